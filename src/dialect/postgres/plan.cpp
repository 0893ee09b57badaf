// Postgres migration steps for each kind of change, each with its reverse. Lock-friendly forms:
// indexes on existing tables CONCURRENTLY (outside the transaction), foreign keys and checks on
// existing tables NOT VALID then VALIDATE, and every statement safe to run twice.
#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "dialect/locks.hpp"
#include "dialect/postgres/ddl.hpp"
#include "dialect/postgres/postgres.hpp"
#include "schema/names.hpp"
#include "util/overloaded.hpp"
#include "util/text.hpp"

namespace schemactl {
namespace {

using namespace plan;
namespace ph = plan::phase;

// Splits Ddl output that holds several one-line statements (e.g. comments) into statements.
std::vector<std::string> lines(const std::string& sql) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < sql.size()) {
    auto nl = sql.find(";\n", start);
    if (nl == std::string::npos) nl = sql.size();
    std::string s = trim(sql.substr(start, nl - start));
    if (!s.empty()) out.push_back(s + ";");
    start = nl + 2;
  }
  return out;
}

// Whether a type change keeps every value (so its reverse is the lossy direction).
bool widening(const std::string& from, const std::string& to) {
  std::string f = to_upper(from), t = to_upper(to);
  auto length = [](const std::string& s) {
    auto open = s.find('(');
    return open == std::string::npos ? -1 : std::atoi(s.c_str() + open + 1);
  };
  if (starts_with(f, "VARCHAR(") && t == "TEXT") return true;
  if (starts_with(f, "VARCHAR(") && starts_with(t, "VARCHAR(")) return length(t) >= length(f);
  static const std::vector<std::string> ints = {"SMALLINT", "INTEGER", "BIGINT"};
  auto fi = std::find(ints.begin(), ints.end(), f), ti = std::find(ints.begin(), ints.end(), t);
  if (fi != ints.end() && ti != ints.end()) return ti >= fi;
  if (f == "REAL" && t == "DOUBLE PRECISION") return true;
  if (f == "JSON" && t == "JSONB") return true;
  return false;
}

// A column type split for the cast rules below: "NUMERIC(10,2)[]" -> base NUMERIC, modifier
// "10,2", array.
struct TypeShape {
  std::string base, modifier;
  bool array = false;
};

TypeShape shape(const std::string& type) {
  TypeShape t;
  std::string u = to_upper(trim(type));
  if (u.size() > 2 && u.compare(u.size() - 2, 2, "[]") == 0) {
    t.array = true;
    u = u.substr(0, u.size() - 2);
  }
  auto open = u.find('(');
  t.base = trim(u.substr(0, open));
  if (open != std::string::npos) t.modifier = u.substr(open + 1, u.rfind(')') - open - 1);
  if (t.base == "SERIAL") t.base = "INTEGER";
  if (t.base == "BIGSERIAL") t.base = "BIGINT";
  return t;
}

// A type named with its schema (an enum type of the registry: built-in types are not).
bool is_qualified(const TypeShape& t) {
  return t.base.find('.') != std::string::npos;
}
bool is_string(const TypeShape& t) {
  return t.base == "TEXT" || t.base == "VARCHAR";
}
bool is_json(const TypeShape& t) {
  return t.base == "JSON" || t.base == "JSONB";
}
bool is_integer(const TypeShape& t) {
  return t.base == "SMALLINT" || t.base == "INTEGER" || t.base == "BIGINT";
}
bool is_number(const TypeShape& t) {
  return is_integer(t) || t.base == "REAL" || t.base == "DOUBLE PRECISION" || t.base == "NUMERIC";
}
int numeric_scale(const TypeShape& t) {
  auto comma = t.modifier.find(',');
  return comma == std::string::npos ? 0 : std::atoi(t.modifier.c_str() + comma + 1);
}

// Whether PostgreSQL has an assignment (or implicit) cast from `from` to `to`: what ALTER COLUMN
// ... TYPE applies without USING, and what it applies to a USING result. Unlike an explicit
// cast, an assignment cast to VARCHAR(n) raises on a longer value instead of cutting it.
bool assignment_cast(const TypeShape& from, const TypeShape& to) {
  if (from.array != to.array) return is_string(to) && !to.array;  // anything prints as text
  if (from.base == to.base) return true;                          // a modifier change
  if (is_string(to)) return true;
  if (is_number(from) && is_number(to)) return true;
  static const std::set<std::pair<std::string, std::string>> pairs = {
      {"DATE", "TIMESTAMP"}, {"DATE", "TIMESTAMPTZ"}, {"TIMESTAMP", "TIMESTAMPTZ"}, {"TIMESTAMPTZ", "TIMESTAMP"},
      {"TIMESTAMP", "DATE"}, {"TIMESTAMPTZ", "DATE"}, {"TIMESTAMP", "TIME"},        {"TIMESTAMPTZ", "TIME"},
      {"JSON", "JSONB"},     {"JSONB", "JSON"}};
  return pairs.count({from.base, to.base}) > 0;
}

// Whether converting `from` to `to` can change a value without an error: rounding to fewer decimal
// places or to an integer, or dropping the time of day or the date. (REAL keeps about 6 digits:
// a change to it is lossy by nature and planned as destructive.)
bool rounds(const TypeShape& from, const TypeShape& to) {
  if (from.array || to.array) return false;
  bool fractional = from.base == "REAL" || from.base == "DOUBLE PRECISION" || is_string(from) ||
                    (from.base == "NUMERIC" && numeric_scale(from) > 0);
  if (to.base == "NUMERIC")
    return from.base == "REAL" || from.base == "DOUBLE PRECISION" || is_string(from) ||
           (from.base == "NUMERIC" && numeric_scale(from) > numeric_scale(to));
  if (is_integer(to)) return fractional && !is_string(from);  // '1.5'::INTEGER raises
  if (to.base == "DATE" || to.base == "TIME") return from.base == "TIMESTAMP" || from.base == "TIMESTAMPTZ";
  return false;
}

// An identity column's type as the registry's override (or the catalog form) spells it:
// "bigint GENERATED ALWAYS AS IDENTITY (START WITH 100)" -> base "bigint", kind "ALWAYS", options
// " (START WITH 100)". Other types: the type as the base, no kind.
struct IdentityType {
  std::string base, kind, options;
};

IdentityType identity_of(const std::string& type) {
  static const std::regex identity("^(.*\\S)\\s+generated\\s+(always|by\\s+default)\\s+as\\s+identity\\s*(\\(.*\\))?$",
                                   std::regex::icase);
  std::smatch m;
  if (!std::regex_match(type, m, identity)) return {type, "", ""};
  return {m[1].str(), to_upper(m[2].str()) == "ALWAYS" ? "ALWAYS" : "BY DEFAULT", m[3].matched ? " " + m[3].str() : ""};
}

// "p_a VARCHAR(20), p_b UUID DEFAULT NULL" -> "p_a VARCHAR(20), p_b UUID": what DROP FUNCTION takes.
std::string signature_arguments(const std::string& arguments) {
  std::vector<std::string> args;
  int depth = 0;
  std::string current;
  for (char c : arguments + ",") {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      std::string a = trim(current);
      auto upper = to_upper(a);
      for (const char* kw : {" DEFAULT ", " = "})
        if (auto pos = upper.find(kw); pos != std::string::npos) a = trim(a.substr(0, pos));
      if (!a.empty()) args.push_back(a);
      current.clear();
    } else {
      current += c;
    }
  }
  return join(args, ", ");
}

class PostgresPlanner {
 public:
  PostgresPlanner(const PostgresDialect& d, const PlanContext& ctx) : d_(d), ctx_(ctx), ddl_(d, ctx.to.pg_schema) {}

  std::vector<Step> plan(const diff::Change& change) {
    std::vector<Step> steps = plan_steps(change);
    // A table renamed in this migration has its new name until the down file renames it back: a
    // second run of the down file finds it under its old name, so what the down file does to the
    // new name only runs while that name exists.
    std::string table = std::visit(
        overloaded{[](const diff::AlterColumn& c) { return c.table; },
                   [](const diff::SetTableComment& c) { return c.table; },
                   [](const diff::InsertRows& c) { return c.table; }, [](const diff::UpdateRows& c) { return c.table; },
                   [](const diff::DeleteRows& c) { return c.table; }, [](const auto&) { return std::string(); }},
        change);
    if (!table.empty() && ctx_.to.table(table) && !ctx_.from.table(table))
      for (auto& s : steps)
        for (auto& statement : s.down)
          if (!starts_with(statement, "ALTER TABLE IF EXISTS ") && !starts_with(statement, "DROP ") &&
              !starts_with(statement, "-- "))
            statement =
                postgres::Ddl::do_block("BEGIN\n    IF to_regclass(" + d_.string_literal(ddl_.qualified(table)) +
                                        ") IS NOT NULL THEN\n    " + statement + "\n    END IF;\nEND\n");
    return steps;
  }

 private:
  std::vector<Step> plan_steps(const diff::Change& change) {
    using namespace diff;
    return std::visit(
        overloaded{
            [&](const MoveSchema& c) { return move_schema(c, change); },
            [&](const CreateExtension& c) {
              return one(ph::create_extension, change, extension_sql(c.extension),
                         {"DROP EXTENSION IF EXISTS " + d_.quote(c.extension.name) + ";"});
            },
            [&](const DropExtension& c) {
              return one(ph::drop_extension, change, {"DROP EXTENSION IF EXISTS " + d_.quote(c.extension.name) + ";"},
                         extension_sql(c.extension));
            },
            [&](const CreateEnum& c) {
              return one(ph::create_enum, change, enum_sql(c.type),
                         {"DROP TYPE IF EXISTS " + ddl_.qualified(c.type.name) + ";"});
            },
            [&](const DropEnum& c) {
              for (const auto& e : ctx_.to.enums)
                if (e.name == c.type.name)
                  throw Refusal("PostgreSQL cannot remove or reorder the values of enum type " + c.type.name +
                                " in place. Instead create a new enum type, convert the columns that use it "
                                "(ALTER COLUMN ... TYPE new_type USING col::text::new_type), then drop the old type");
              return one(ph::drop_enum, change, {"DROP TYPE IF EXISTS " + ddl_.qualified(c.type.name) + ";"},
                         enum_sql(c.type));
            },
            [&](const AddEnumValues& c) { return add_enum_values(c); },
            [&](const CreateTable& c) { return create_table(c.table, change); },
            [&](const DropTable& c) {
              auto steps = create_table(c.table, change);
              Step s = steps.front();
              std::swap(s.up, s.down);
              s.phase = ph::drop_table;
              s.destructive = true;
              s.up_note = "drops table " + c.table.name + " and every row in it";
              s.down_note = "the rows of " + c.table.name + " are not brought back";
              for (const auto& ix : c.table.indexes) s.down.push_back(rtrim(ddl_.create_index(ix, c.table.name)));
              return std::vector<Step>{s};
            },
            [&](const RenameTable& c) {
              std::vector<std::string> up{"ALTER TABLE IF EXISTS " + ddl_.qualified(c.from) + " RENAME TO " +
                                          d_.quote(c.to) + ";"};
              std::vector<std::string> down{"ALTER TABLE IF EXISTS " + ddl_.qualified(c.to) + " RENAME TO " +
                                            d_.quote(c.from) + ";"};
              // The sequences of its serial columns are named after the table: they follow it.
              if (const schema::Table* t = ctx_.from.table(c.from))
                for (const auto& col : t->columns)
                  if (serial(col.type)) {
                    up.push_back(rename_sequence(c.from, col.name, c.to, col.name));
                    down.push_back(rename_sequence(c.to, col.name, c.from, col.name));
                  }
              return one(ph::rename_table, change, up, down);
            },
            [&](const AddColumn& c) { return add_column(c, change); },
            [&](const DropColumn& c) {
              Step s = add_column(AddColumn{c.table, c.column}, change, true).front();
              std::swap(s.up, s.down);
              s.phase = ph::drop_column;
              s.destructive = true;
              s.up_note = "drops column " + c.table + "." + c.column.name + " and its values";
              s.down_note = "the values of " + c.table + "." + c.column.name + " are not brought back";
              return std::vector<Step>{s};
            },
            [&](const RenameConstraint& c) {
              // No IF EXISTS for constraint renames: guarded, so that the file can run twice.
              auto rename = [&](const std::string& a, const std::string& b) {
                return postgres::Ddl::do_block(
                    "BEGIN\n    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = " + d_.string_literal(a) +
                    " AND conrelid = to_regclass(" + d_.string_literal(ddl_.qualified(c.table)) +
                    ")) THEN\n        ALTER TABLE " + ddl_.qualified(c.table) + " RENAME CONSTRAINT " + d_.quote(a) +
                    " TO " + d_.quote(b) + ";\n    END IF;\nEND\n");
              };
              return one(ph::rename_constraint, change, {rename(c.from, c.to)}, {rename(c.to, c.from)});
            },
            [&](const RenameColumn& c) {
              std::vector<std::string> up{rename_column(c.table, c.from, c.to)},
                  down{rename_column(c.table, c.to, c.from)};
              const schema::Table* t = ctx_.to.table(c.table);
              const schema::Column* col = t ? t->column(c.to) : nullptr;
              if (col && serial(col->type)) {
                up.push_back(rename_sequence(c.table, c.from, c.table, c.to));
                down.insert(down.begin(), rename_sequence(c.table, c.to, c.table, c.from));
              }
              return one(ph::rename_column, change, up, down);
            },
            [&](const AlterColumn& c) { return alter_column(c, change); },
            [&](const SetTableComment& c) {
              return one(ph::table_comment, change, {comment("TABLE", ddl_.qualified(c.table), c.to)},
                         {comment("TABLE", ddl_.qualified(c.table), c.from)});
            },
            [&](const AddConstraint& c) { return add_constraint(c.table, c.constraint, c.table_is_new, change); },
            [&](const DropConstraint& c) {
              // The reverse re-adds it on a table in use: NOT VALID, then VALIDATE, in one step.
              Step s = add_constraint(c.table, c.constraint, false, change, false).front();
              std::swap(s.up, s.down);
              s.up_note.clear();  // the notes were about adding it
              s.phase =
                  std::holds_alternative<schema::ForeignKey>(c.constraint) ? ph::drop_foreign_key : ph::drop_constraint;
              return std::vector<Step>{s};
            },
            [&](const AddIndex& c) { return add_index(c.index, c.table_is_new, change); },
            [&](const DropIndex& c) {
              return std::vector<Step>{plan::reversed(add_index(c.index, false, change).front(), ph::drop_index)};
            },
            [&](const CreateView& c) {
              auto steps = create_view(c.view, change);
              // A second run of the up file finds the view there, which blocks an ALTER COLUMN
              // TYPE under it: the file drops it (when there) before the change and creates it
              // after. (The down file drops it in the create's undo.)
              if (c.over_changed_table) {
                Step first = steps.front();
                first.phase = ph::drop_view;
                first.up = drop_view(c.view, ctx_.to, ctx_.from);
                first.down.clear();
                steps.insert(steps.begin(), first);
              }
              return steps;
            },
            [&](const DropView& c) {
              Step s = plan::reversed(create_view(c.view, change).front(), ph::drop_view);
              s.up = drop_view(c.view, ctx_.to, ctx_.from);
              return std::vector<Step>{s};
            },
            [&](const CreateFunction& c) {
              return one(ph::function, change, function_sql(c.function), {drop_function(c.function)});
            },
            [&](const DropFunction& c) {
              return one(ph::drop_function, change, {drop_function(c.function)}, function_sql(c.function));
            },
            [&](const ReplaceFunction& c) {
              return one(ph::function, change, function_sql(c.to, &c.from), function_sql(c.from, &c.to));
            },
            [&](const InsertRows& c) { return insert_rows(c, change); },
            [&](const UpdateRows& c) { return update_rows(c, change); },
            [&](const SetObjectComment& c) {
              if (c.kind == SetObjectComment::Kind::extension)
                return one(ph::create_extension, change, {extension_comment(c.name, c.to)},
                           {extension_comment(c.name, c.from)});
              std::string object = ddl_.qualified(c.name);
              return one(ph::create_enum, change, {comment("TYPE", object, c.to)}, {comment("TYPE", object, c.from)});
            },
            [&](const DeleteRows& c) {
              Step s = plan::reversed(insert_rows(InsertRows{c.table, c.rows}, change).front(), ph::delete_rows);
              s.down_note = "inserts the deleted reference rows again as the registry had them";
              return std::vector<Step>{s};
            },
        },
        change);
  }

  std::vector<Step> one(int phase, const diff::Change& change, std::vector<std::string> up,
                        std::vector<std::string> down) {
    Step s;
    s.what = diff::describe(change);
    s.phase = phase;
    s.up = std::move(up);
    s.down = std::move(down);
    return {s};
  }

  std::string comment(const std::string& kind, const std::string& object, const std::string& text) {
    if (text.empty()) return "COMMENT ON " + kind + " " + object + " IS NULL;";
    return rtrim(ddl_.comment_on(kind, object, text));
  }

  // Everything the old state holds moves into the new schema (SET SCHEMA takes a table's indexes,
  // constraints and owned sequences along); functions get the new search_path. The reverse moves
  // them back. Each statement only acts while the object is where it expects it, so the file can
  // run twice. The schema itself is created (never dropped: it may hold other things).
  std::vector<Step> move_schema(const diff::MoveSchema& c, const diff::Change& change) {
    auto in = [&](const std::string& schema, const std::string& name) {
      return d_.quote(schema) + "." + d_.quote(name);
    };
    auto moves = [&](const std::string& from, const std::string& to) {
      std::vector<std::string> out;
      if (to != "public") out.push_back("CREATE SCHEMA IF NOT EXISTS " + d_.quote(to) + ";");
      auto guarded = [&](const std::string& condition, const std::string& statement) {
        return postgres::Ddl::do_block("BEGIN\n    IF " + condition + " THEN\n        " + statement +
                                       "\n    END IF;\nEND\n");
      };
      for (const auto& e : ctx_.from.enums)
        out.push_back(guarded("to_regtype(" + d_.string_literal(in(from, e.name)) + ") IS NOT NULL",
                              "ALTER TYPE " + in(from, e.name) + " SET SCHEMA " + d_.quote(to) + ";"));
      for (const auto& t : ctx_.from.tables)
        if (!t.external)
          out.push_back("ALTER TABLE IF EXISTS " + in(from, t.name) + " SET SCHEMA " + d_.quote(to) + ";");
      for (const auto& v : ctx_.from.views)
        out.push_back(std::string("ALTER ") + (v.materialized ? "MATERIALIZED VIEW" : "VIEW") + " IF EXISTS " +
                      in(from, v.name) + " SET SCHEMA " + d_.quote(to) + ";");
      for (const auto& f : ctx_.from.functions) {
        std::string sig = "(" + signature_arguments(f.arguments) + ")";
        out.push_back(guarded("to_regprocedure(" + d_.string_literal(in(from, f.name) + sig) + ") IS NOT NULL",
                              "ALTER FUNCTION " + in(from, f.name) + sig + " SET SCHEMA " + d_.quote(to) + ";"));
        std::string path = postgres::Ddl(d_, to).search_path_clause();
        out.push_back("ALTER FUNCTION " + in(to, f.name) + sig + " " + (path.empty() ? "RESET search_path" : path) +
                      ";");
      }
      return out;
    };
    return one(ph::move_schema, change, moves(c.from, c.to), moves(c.to, c.from));
  }

  // An extension without a description keeps the comment it ships with (its control file's), as
  // CREATE EXTENSION leaves it: setting the description back to none restores that one.
  std::string extension_comment(const std::string& name, const std::string& text) {
    if (!text.empty()) return comment("EXTENSION", d_.quote(name), text);
    return postgres::Ddl::do_block(
        "BEGIN\n    EXECUTE format('COMMENT ON EXTENSION %I IS %L', " + d_.string_literal(name) +
        ", (SELECT comment FROM pg_available_extensions WHERE name = " + d_.string_literal(name) + "));\nEND\n");
  }

  std::vector<std::string> extension_sql(const schema::Extension& e) {
    std::vector<std::string> out{rtrim(ddl_.create_extension(e))};
    if (!e.comment.empty()) out.push_back(comment("EXTENSION", d_.quote(e.name), e.comment));
    return out;
  }

  std::vector<std::string> enum_sql(const schema::EnumType& e) {
    std::vector<std::string> out{rtrim(ddl_.create_enum_once(e))};
    if (!e.comment.empty()) out.push_back(comment("TYPE", ddl_.qualified(e.name), e.comment));
    return out;
  }

  std::string rename_column(const std::string& table, const std::string& from, const std::string& to) {
    // No IF EXISTS for column renames: guard it so the file can run twice.
    return postgres::Ddl::do_block(
        "BEGIN\n    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = " +
        d_.string_literal(ctx_.to.pg_schema) + " AND table_name = " + d_.string_literal(table) + " AND column_name = " +
        d_.string_literal(from) + ") AND NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = " +
        d_.string_literal(ctx_.to.pg_schema) + " AND table_name = " + d_.string_literal(table) +
        " AND column_name = " + d_.string_literal(to) + ") THEN\n        ALTER TABLE " + ddl_.qualified(table) +
        " RENAME COLUMN " + d_.quote(from) + " TO " + d_.quote(to) + ";\n    END IF;\nEND\n");
  }

  // Whether PostgreSQL must compute the column's default for each existing row when the column is
  // added (a rewrite): serial types and volatile functions. now() and constants are stored once.
  static bool volatile_default(const schema::Column& col) {
    if (serial(col.type)) return true;
    std::string d = to_lower(col.default_sql);
    for (const char* f : {"random(", "gen_random_uuid(", "uuid_generate_v1(", "uuid_generate_v4(", "clock_timestamp(",
                          "timeofday(", "nextval("})
      if (d.find(f) != std::string::npos) return true;
    return false;
  }

  static bool serial(const std::string& type) {
    std::string u = to_upper(type);
    return u == "SERIAL" || u == "BIGSERIAL";
  }

  std::string rename_sequence(const std::string& table, const std::string& column, const std::string& new_table,
                              const std::string& new_column) {
    return "ALTER SEQUENCE IF EXISTS " + ddl_.qualified(schema::sequence_name(table, column)) + " RENAME TO " +
           d_.quote(schema::sequence_name(new_table, new_column)) + ";";
  }

  // Each changed row by its key; the reverse puts the old values back.
  std::vector<Step> update_rows(const diff::UpdateRows& c, const diff::Change& change) {
    Step s;
    s.what = diff::describe(change);
    s.phase = ph::insert_rows;
    for (const auto& row : c.rows) {
      std::vector<std::string> where;
      for (std::size_t i = 0; i < c.key_columns.size(); ++i)
        where.push_back(d_.quote(c.key_columns[i]) + " = " + row.key[i]);
      auto update = [&](const std::vector<std::string>& values) {
        std::vector<std::string> set;
        for (std::size_t i = 0; i < row.columns.size(); ++i)
          set.push_back(d_.quote(row.columns[i]) + " = " + values[i]);
        return "UPDATE " + ddl_.qualified(c.table) + " SET " + join(set, ", ") + " WHERE " + join(where, " AND ") + ";";
      };
      s.up.push_back(update(row.set));
      s.down.insert(s.down.begin(), update(row.was));
    }
    s.down_note = "puts the old values of the reference rows back, over any edits made to them since";
    return {s};
  }

  std::vector<Step> add_enum_values(const diff::AddEnumValues& c) {
    Step s;
    s.what = diff::describe(c);
    s.phase = ph::create_enum;
    for (std::size_t i = 0; i < c.to.values.size(); ++i) {
      const std::string& v = c.to.values[i];
      if (std::find(c.from.values.begin(), c.from.values.end(), v) != c.from.values.end()) continue;
      std::string where;
      if (i > 0) {  // the previous value exists by now: an old one, or a new one added just before
        where = " AFTER " + d_.string_literal(c.to.values[i - 1]);
      } else {  // new first value: before the first of the old ones
        for (const auto& later : c.to.values)
          if (std::find(c.from.values.begin(), c.from.values.end(), later) != c.from.values.end()) {
            where = " BEFORE " + d_.string_literal(later);
            break;
          }
      }
      s.up.push_back("ALTER TYPE " + ddl_.qualified(c.to.name) + " ADD VALUE IF NOT EXISTS " + d_.string_literal(v) +
                     where + ";");
    }
    // A new value cannot be used in the transaction that adds it: the applier runs these first.
    s.outside_transaction = true;
    s.irreversible = true;
    s.down_note = "PostgreSQL cannot remove values from an enum type; " + c.to.name + " keeps them";
    s.down.push_back("-- " + s.down_note);
    return {s};
  }

  std::vector<Step> create_table(const schema::Table& t, const diff::Change& change) {
    schema::TableOrder no_deferral;
    std::vector<std::string> up{rtrim(ddl_.create_table(t, no_deferral))};
    for (auto& c : lines(ddl_.table_comments(t))) up.push_back(c);
    return one(ph::create_table, change, up, {"DROP TABLE IF EXISTS " + ddl_.qualified(t.name) + ";"});
  }

  std::vector<Step> add_column(const diff::AddColumn& c, const diff::Change& change, bool for_drop = false) {
    const schema::Column& col = c.column;
    Step s;
    s.what = diff::describe(change);
    s.phase = ph::add_column;
    std::string add = "ALTER TABLE " + ddl_.qualified(c.table) + " ADD COLUMN IF NOT EXISTS ";
    if (!col.nullable && col.default_sql.empty() && !for_drop && !serial(col.type)) {
      // No default to fill existing rows with: add it nullable, then tighten (fails on a non-empty table).
      schema::Column loose = col;
      loose.nullable = true;
      s.up.push_back(add + ddl_.column_definition(loose) + ";");
      s.up.push_back("ALTER TABLE " + ddl_.qualified(c.table) + " ALTER COLUMN " + d_.quote(col.name) +
                     " SET NOT NULL;");
      s.destructive = true;
      s.up_note = "adds NOT NULL column " + c.table + "." + col.name +
                  " without a default: it fails if the table has rows (give it a default)";
    } else {
      s.up.push_back(add + ddl_.column_definition(col) + ";");
    }
    if (!for_drop && volatile_default(col)) {
      s.rewrites = true;
      s.up_note = "adds " + c.table + "." + col.name + " with a volatile default (" +
                  (col.default_sql.empty() ? col.type : col.default_sql) +
                  "): PostgreSQL computes it for every row, rewriting " + c.table + " under an ACCESS EXCLUSIVE lock";
    }
    if (!col.comment.empty())
      s.up.push_back(comment("COLUMN", ddl_.qualified(c.table) + "." + d_.quote(col.name), col.comment));
    // IF EXISTS twice over: the table may be gone or renamed by the time this runs again.
    s.down.push_back("ALTER TABLE IF EXISTS " + ddl_.qualified(c.table) + " DROP COLUMN IF EXISTS " +
                     d_.quote(col.name) + ";");
    if (!for_drop) s.down_note = "dropping " + c.table + "." + col.name + " loses the values written to it since";
    return {s};
  }

  // The USING clause of ALTER COLUMN ... TYPE, or nothing. Never an explicit cast that can cut a
  // value short (`x::VARCHAR(20)` truncates): with an assignment cast, no USING at all (a value
  // that does not fit raises); where one is needed, a cast to the unmodified type, which
  // PostgreSQL then assigns to the target (raising likewise); where the conversion could round a
  // value or drop part of it, a CASE that raises for any value that does not survive unchanged.
  std::string conversion(const std::string& table, const std::string& column, const std::string& from_type,
                         const std::string& to_type) {
    const TypeShape from = shape(from_type), to = shape(to_type);
    const std::string col = d_.quote(column);
    if (rounds(from, to)) {
      std::string exact = is_string(from) ? col + "::" + to.base : col;
      std::string message = d_.string_literal(table + "." + column + " holds a value that does not fit " + to_type +
                                              " exactly (it would be rounded or cut): ");
      return " USING CASE WHEN " + exact + " = " + col + "::" + to_type + " THEN " + col + "::" + to_type + " ELSE (" +
             message + " || " + col + "::TEXT)::" + to_type + " END";
    }
    if (assignment_cast(from, to)) return "";
    // Enum types keep their case and quotes: only a modifier is ever dropped.
    std::string unmodified = to.modifier.empty() ? to_type : to.base + (to.array ? "[]" : "");
    // An enum (written schema-qualified, unlike the built-in types) casts only to and from text:
    // to or from anything else the value goes through its text.
    bool through_text = (is_qualified(from) || is_qualified(to)) && !is_string(from) && !is_string(to);
    // JSON takes a cast from text and from JSON only: a number or a boolean goes through its text
    // (42 -> '42', the JSON number 42; a value whose text is not JSON raises).
    through_text = through_text || (is_json(to) && !is_json(from) && !is_string(from));
    return " USING " + col + (through_text ? "::TEXT::" : "::") + unmodified;
  }

  std::vector<Step> alter_column(const diff::AlterColumn& c, const diff::Change& change) {
    std::vector<Step> steps;
    std::string target = "ALTER TABLE " + ddl_.qualified(c.table) + " ALTER COLUMN " + d_.quote(c.to.name);
    auto step = [&](std::string up, std::string down) {
      Step s;
      s.what = diff::describe(change);
      s.phase = ph::alter_column;
      s.up.push_back(std::move(up));
      s.down.push_back(std::move(down));
      steps.push_back(std::move(s));
      return &steps.back();
    };
    // SERIAL / BIGSERIAL exist only in CREATE TABLE: the column's real type is INTEGER / BIGINT,
    // with a sequence it owns and a nextval() default.
    // (The catalog's "integer" / "bigint", the source of a drift repair, are the same types.)
    auto real = [](const std::string& t) {
      std::string u = to_upper(t);
      return u == "SERIAL" || u == "INTEGER"     ? std::string("INTEGER")
             : u == "BIGSERIAL" || u == "BIGINT" ? std::string("BIGINT")
                                                 : t;
    };
    // An identity column (`bigint GENERATED ALWAYS AS IDENTITY`): its type is the base; becoming
    // one, ceasing to be one or changing ALWAYS / BY DEFAULT are catalog changes of their own.
    const IdentityType from_identity = identity_of(c.from.type), to_identity = identity_of(c.to.type);
    const std::string to_type = real(to_identity.base), from_type = real(from_identity.base);
    const bool from_serial = serial(c.from.type), to_serial = serial(c.to.type);
    const bool type_changed = from_type != to_type, serial_changed = from_serial != to_serial;
    const std::string seq = ddl_.qualified(schema::sequence_name(c.table, c.to.name));
    const std::string table = ddl_.qualified(c.table), column = d_.quote(c.to.name);
    // The identity's sequence moved past the largest value (rows may hold values it never gave:
    // written BY DEFAULT, OVERRIDING SYSTEM VALUE or before it was an identity), never back.
    const std::string restart_identity =
        "SELECT setval(s, GREATEST(m, COALESCE(pg_sequence_last_value(s), m)) + 1, false) FROM (SELECT "
        "pg_get_serial_sequence(" +
        d_.string_literal(table) + ", " + d_.string_literal(c.to.name) + ")::regclass AS s, max(" + column +
        ") AS m FROM " + table + ") AS x WHERE m IS NOT NULL;";
    auto add_identity = [&](const IdentityType& id) {
      return std::vector<std::string>{target + " ADD GENERATED " + id.kind + " AS IDENTITY" + id.options + ";",
                                      restart_identity};
    };
    const std::string drop_identity =
        "ALTER TABLE IF EXISTS " + table + " ALTER COLUMN " + column + " DROP IDENTITY IF EXISTS;";
    const bool identity_added = !to_identity.kind.empty() && from_identity.kind.empty();
    if (!from_identity.kind.empty() && to_identity.kind.empty()) {
      // First: an identity column takes no other default, and its type changes only without it.
      Step s = one(ph::alter_column, change, {drop_identity}, add_identity(from_identity)).front();
      s.up_note = "drops the identity of " + c.table + "." + c.to.name + " (and its sequence)";
      steps.push_back(std::move(s));
    }
    if (!from_identity.kind.empty() && !to_identity.kind.empty() && from_identity.kind != to_identity.kind) {
      // Catalog only; the sequence past the values written while it was the other kind.
      Step* s = step(target + " SET GENERATED " + to_identity.kind + ";",
                     target + " SET GENERATED " + from_identity.kind + ";");
      s->up.push_back(restart_identity);
      s->down.push_back(restart_identity);
    }
    if (type_changed) {
      Step s;
      s.what = diff::describe(change);
      s.phase = ph::alter_column;
      // The old default may not cast to the new type: drop it first, set the new one after.
      if (!c.from.default_sql.empty()) s.up.push_back(target + " DROP DEFAULT;");
      s.up.push_back(target + " TYPE " + to_type + conversion(c.table, c.to.name, from_type, to_type) + ";");
      if (!c.to.default_sql.empty()) s.up.push_back(target + " SET DEFAULT " + c.to.default_sql + ";");
      if (!c.to.default_sql.empty()) s.down.push_back(target + " DROP DEFAULT;");
      s.down.push_back(target + " TYPE " + from_type + conversion(c.table, c.to.name, to_type, from_type) + ";");
      if (!c.from.default_sql.empty()) s.down.push_back(target + " SET DEFAULT " + c.from.default_sql + ";");
      if (from_serial && to_serial) {  // the sequence takes the column's new type
        s.up.push_back("ALTER SEQUENCE IF EXISTS " + seq + " AS " + to_type + ";");
        s.down.insert(s.down.begin(), "ALTER SEQUENCE IF EXISTS " + seq + " AS " + from_type + ";");
      }
      const bool binary = binary_compatible(from_type, to_type);
      s.rewrites = !binary;
      if (widening(from_type, to_type)) {
        s.up_note = binary ? "changes " + c.table + "." + c.to.name + " from " + from_type + " to " + to_type +
                                 " (binary-compatible: no rewrite)"
                           : "rewrites " + c.table + " under an ACCESS EXCLUSIVE lock (" + from_type + " to " +
                                 to_type + " is not binary-compatible)";
        s.down_note = "values that do not fit " + from_type + " make the down migration fail";
      } else {
        s.destructive = true;
        s.up_note = "changes " + c.table + "." + c.to.name + " from " + c.from.type + " to " + c.to.type +
                    ", which can fail or lose data (rewrites the table under an exclusive lock)";
      }
      steps.push_back(std::move(s));
    }
    auto default_step = [&] {
      if (type_changed || c.from.default_sql == c.to.default_sql) return;
      std::string up =
          c.to.default_sql.empty() ? target + " DROP DEFAULT;" : target + " SET DEFAULT " + c.to.default_sql + ";";
      std::string down =
          c.from.default_sql.empty() ? target + " DROP DEFAULT;" : target + " SET DEFAULT " + c.from.default_sql + ";";
      step(up, down);
    };
    // Becoming serial, the column's default is its sequence's: the one it had goes first (a
    // repair of a serial pointed at another sequence sets nextval of its own, and keeps it).
    if (serial_changed && to_serial) default_step();
    if (serial_changed) steps.push_back(serial_step(c, change, to_serial ? to_type : from_type, !to_serial));
    const bool respelled = from_identity.kind.empty() && to_identity.kind.empty()
                               ? c.from.type != c.to.type
                               : to_upper(from_identity.base) != to_upper(to_identity.base);
    if (!type_changed && !serial_changed && respelled)
      step(target + " TYPE " + to_type + ";", target + " TYPE " + from_type + ";");  // same type, other spelling
    if (!(serial_changed && to_serial)) default_step();
    // Becoming an identity column (a hand DROP IDENTITY repaired, or an override changed): after
    // its old default is gone, NOT NULL first (PostgreSQL requires it), and its new sequence past
    // the largest value.
    const bool identity_not_null = identity_added && c.from.nullable && !c.to.nullable;
    if (identity_added) {
      std::vector<std::string> up, down{drop_identity};
      if (identity_not_null) up.push_back(target + " SET NOT NULL;");
      for (auto& x : add_identity(to_identity)) up.push_back(std::move(x));
      if (identity_not_null) down.push_back(target + " DROP NOT NULL;");
      Step s = one(ph::alter_column, change, up, down).front();
      s.up_note = "makes " + c.table + "." + c.to.name + " an identity column (GENERATED " + to_identity.kind +
                  "), its sequence past the largest value";
      if (identity_not_null) {
        s.rewrites = true;  // SET NOT NULL scans the table under ACCESS EXCLUSIVE
        s.destructive = true;
        s.up_note += ", after SET NOT NULL (a scan under ACCESS EXCLUSIVE; fails if any row holds NULL)";
      }
      steps.push_back(std::move(s));
    }
    if (c.from.nullable != c.to.nullable && !c.to.nullable && from_serial && to_serial && !type_changed) {
      // A serial column that lost NOT NULL (by hand: SERIAL is NOT NULL): the rows that took a NULL
      // meanwhile are numbered from its sequence, moved first past the largest value (explicit
      // values leave it behind) but never back, so that they and the next INSERT get new numbers.
      const std::string column = d_.quote(c.to.name), table = ddl_.qualified(c.table);
      Step s;
      s.what = diff::describe(change);
      s.phase = ph::alter_column;
      s.up = {"SELECT setval(" + d_.string_literal(seq) + ", GREATEST(COALESCE((SELECT max(" + column + ") FROM " +
                  table + "), 0), (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM " + seq +
                  ")) + 1, false);",
              "UPDATE " + table + " SET " + column + " = DEFAULT WHERE " + column + " IS NULL;"};
      s.up_note = "numbers the rows of " + c.table + " where " + c.to.name + " is NULL from its sequence";
      steps.push_back(std::move(s));
    }
    if (c.from.nullable != c.to.nullable && !c.to.nullable && ((serial_changed && to_serial) || identity_not_null)) {
      // (serial_step numbers the NULLs and sets NOT NULL; so does the identity's step)
    } else if (c.from.nullable != c.to.nullable && !c.to.nullable) {
      // Without a scan under ACCESS EXCLUSIVE: a CHECK (c IS NOT NULL) added NOT VALID, validated
      // after the transaction (SHARE UPDATE EXCLUSIVE), then SET NOT NULL, which PostgreSQL 12+
      // proves from the valid check without scanning, and the check dropped again.
      std::string check = not_null_check_name(c.table, c.to.name);
      std::string add = rtrim(ddl_.add_constraint_once(
          c.table, check,
          "CONSTRAINT " + d_.quote(check) + " CHECK (" + d_.quote(c.to.name) + " IS NOT NULL) NOT VALID"));
      Step* a = step(add, drop_constraint(c.table, check));
      a->up_note = "";
      steps.push_back(outside(change, ph::alter_column, {validate(c.table, check)}, {}));
      Step set = outside(change, ph::alter_column, {target + " SET NOT NULL;"}, {target + " DROP NOT NULL;"});
      set.destructive = true;
      set.up_note = "makes " + c.table + "." + c.to.name + " NOT NULL: fails if any row holds NULL";
      steps.push_back(set);
      steps.push_back(outside(change, ph::alter_column, {drop_constraint(c.table, check)}, {}));
    } else if (c.from.nullable != c.to.nullable) {
      Step* s = step(target + (c.to.nullable ? " DROP NOT NULL;" : " SET NOT NULL;"),
                     target + (c.from.nullable ? " DROP NOT NULL;" : " SET NOT NULL;"));
      if (!c.to.nullable) {
        s->destructive = true;
        s->up_note = "makes " + c.table + "." + c.to.name + " NOT NULL: fails if any row holds NULL";
      } else {
        s->down_note = "setting NOT NULL again fails once NULLs were written to " + c.table + "." + c.to.name;
      }
    }
    if (c.from.comment != c.to.comment) {
      std::string object = ddl_.qualified(c.table) + "." + d_.quote(c.to.name);
      step(comment("COLUMN", object, c.to.comment), comment("COLUMN", object, c.from.comment));
    }
    return steps;
  }

  // A column becoming serial (or, `reverse`, ceasing to be): the sequence PostgreSQL would have made
  // for it (<table>_<column>_seq, owned by the column, so that dropping the column drops it), moved
  // past the largest value, as the column's default; rows holding NULL take numbers from it, and
  // the column becomes NOT NULL as SERIAL makes it. The reverse drops the default and the sequence
  // (and NOT NULL again, where the registry has the column nullable). Every statement can run twice.
  Step serial_step(const diff::AlterColumn& c, const diff::Change& change, const std::string& type, bool reverse) {
    const std::string table = ddl_.qualified(c.table), column = d_.quote(c.to.name);
    const std::string seq = ddl_.qualified(schema::sequence_name(c.table, c.to.name));
    const std::string target = "ALTER TABLE " + table + " ALTER COLUMN " + column;
    const std::string regclass = d_.string_literal(seq);
    const bool nullable = reverse ? c.to.nullable : c.from.nullable;
    std::vector<std::string> add{
        "CREATE SEQUENCE IF NOT EXISTS " + seq + " AS " + type + " OWNED BY " + table + "." + column + ";",
        // The default first: its lock keeps writers out until the sequence is past every value.
        target + " SET DEFAULT nextval(" + regclass + "::regclass);",
        "SELECT setval(" + regclass + ", COALESCE((SELECT max(" + column + ") FROM " + table + "), 0) + 1, false);"};
    if (nullable) {
      add.push_back("UPDATE " + table + " SET " + column + " = DEFAULT WHERE " + column + " IS NULL;");
      add.push_back(target + " SET NOT NULL;");
    }
    std::vector<std::string> remove;
    if (nullable) remove.push_back(target + " DROP NOT NULL;");
    remove.push_back("ALTER TABLE IF EXISTS " + table + " ALTER COLUMN " + column + " DROP DEFAULT;");
    remove.push_back("DROP SEQUENCE IF EXISTS " + seq + ";");
    Step s = one(ph::alter_column, change, reverse ? remove : add, reverse ? add : remove).front();
    s.rewrites = nullable && !reverse;  // the UPDATE and SET NOT NULL scan the table under ACCESS EXCLUSIVE
    (reverse ? s.down_note : s.up_note) = "numbers the rows of " + c.table + " where " + c.to.name +
                                          " is NULL from its new sequence" +
                                          (nullable ? ", then sets NOT NULL (a scan under ACCESS EXCLUSIVE)" : "");
    if (!nullable) (reverse ? s.down_note : s.up_note).clear();
    return s;
  }

  // The temporary check behind a lock-safe SET NOT NULL: <table>_<column>_not_null, or a hashed name
  // when that would pass 63 bytes.
  static std::string not_null_check_name(const std::string& table, const std::string& column) {
    std::string name = table + "_" + column + "_not_null";
    return name.size() <= 63 ? name : "schemactl_not_null_" + sha256_hex(table + "." + column).substr(0, 16);
  }

  std::string constraint_clause(const diff::Constraint& c) {
    return std::visit(
        overloaded{
            [&](const schema::PrimaryKey& k) {
              std::vector<std::string> cols;
              for (const auto& x : k.columns) cols.push_back(d_.quote(x));
              return "CONSTRAINT " + d_.quote(k.name) + " PRIMARY KEY (" + join(cols, ", ") + ")";
            },
            [&](const schema::Unique& u) {
              std::vector<std::string> cols;
              for (const auto& x : u.columns) cols.push_back(d_.quote(x));
              return "CONSTRAINT " + d_.quote(u.name) + " UNIQUE (" + join(cols, ", ") + ")";
            },
            [&](const schema::Check& k) { return "CONSTRAINT " + d_.quote(k.name) + " CHECK (" + k.expr + ")"; },
            [&](const schema::ForeignKey& f) { return ddl_.foreign_key_clause(f); },
            [&](const schema::Exclusion& x) { return ddl_.exclusion_clause(x); },
        },
        c);
  }

  // A step that runs after the migration's transaction, each statement on its own (the applier
  // records each): what a table in use needs so that no long scan holds a lock that stops writers.
  Step outside(const diff::Change& change, int phase, std::vector<std::string> up, std::vector<std::string> down) {
    Step s = one(phase, change, std::move(up), std::move(down)).front();
    s.outside_transaction = true;
    return s;
  }

  std::string validate(const std::string& table, const std::string& name) {
    return "ALTER TABLE " + ddl_.qualified(table) + " VALIDATE CONSTRAINT " + d_.quote(name) + ";";
  }

  std::string drop_constraint(const std::string& table, const std::string& name) {
    return "ALTER TABLE IF EXISTS " + ddl_.qualified(table) + " DROP CONSTRAINT IF EXISTS " + d_.quote(name) + ";";
  }

  // `lock_safe` (adding to a table in use): a foreign key or check is added NOT VALID in the
  // transaction (a brief lock) and validated after it commits, in a transaction of its own that
  // only takes SHARE UPDATE EXCLUSIVE; a unique or primary key builds its index CONCURRENTLY first
  // and then takes it over (`USING INDEX`, a brief lock). Otherwise (a new table, or the reverse of
  // a drop) it is one step in the transaction.
  std::vector<Step> add_constraint(const std::string& table, const diff::Constraint& c, bool table_is_new,
                                   const diff::Change& change, bool lock_safe = true) {
    const std::string name = diff::constraint_name(c);
    const int phase = std::holds_alternative<schema::ForeignKey>(c) ? ph::add_foreign_key : ph::add_constraint;
    bool check_like = std::holds_alternative<schema::ForeignKey>(c) || std::holds_alternative<schema::Check>(c);
    bool keyed = std::holds_alternative<schema::Unique>(c) || std::holds_alternative<schema::PrimaryKey>(c);
    if (!table_is_new && lock_safe && keyed) {
      std::vector<std::string> cols;
      if (const auto* u = std::get_if<schema::Unique>(&c))
        for (const auto& x : u->columns) cols.push_back(d_.quote(x));
      if (const auto* k = std::get_if<schema::PrimaryKey>(&c))
        for (const auto& x : k->columns) cols.push_back(d_.quote(x));
      bool pk = std::holds_alternative<schema::PrimaryKey>(c);
      std::string index = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + d_.quote(name) + " ON " +
                          ddl_.qualified(table) + " (" + join(cols, ", ") + ");";
      std::string take = rtrim(ddl_.add_constraint_once(
          table, name,
          "CONSTRAINT " + d_.quote(name) + (pk ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + d_.quote(name)));
      std::vector<Step> steps{
          outside(change, phase, {index}, {"DROP INDEX CONCURRENTLY IF EXISTS " + ddl_.qualified(name) + ";"}),
          outside(change, phase, {take}, {drop_constraint(table, name)})};
      steps.front().up_note = "builds the index for " + name + " CONCURRENTLY (writers go on), then takes it over";
      return steps;
    }
    bool validate_later = !table_is_new && check_like;
    std::string clause = constraint_clause(c) + (validate_later ? " NOT VALID" : "");
    std::vector<std::string> up{rtrim(ddl_.add_constraint_once(table, name, clause))};
    if (validate_later && !lock_safe) up.push_back(validate(table, name));
    auto steps = one(phase, change, up, {drop_constraint(table, name)});
    if (validate_later && lock_safe) steps.push_back(outside(change, phase, {validate(table, name)}, {}));
    if (!table_is_new && keyed)
      steps.front().up_note = "builds an index for " + name + " while holding a lock on " + table;
    return steps;
  }

  std::vector<Step> add_index(const schema::Index& ix, bool table_is_new, const diff::Change& change) {
    std::string create = rtrim(ddl_.create_index(ix, ix.table));
    std::string drop = "DROP INDEX IF EXISTS " + ddl_.qualified(ix.name) + ";";
    if (!table_is_new) {
      // On a table in use: build without blocking writes. CONCURRENTLY cannot run in a transaction.
      create.replace(create.find("INDEX IF NOT EXISTS"), 5, "INDEX CONCURRENTLY");
      drop = "DROP INDEX CONCURRENTLY IF EXISTS " + ddl_.qualified(ix.name) + ";";
    }
    auto steps = one(ph::add_index, change, {create}, {drop});
    steps.front().outside_transaction = !table_is_new;
    return steps;
  }

  std::vector<Step> create_view(const schema::View& v, const diff::Change& change) {
    std::vector<std::string> up{rtrim(ddl_.create_view(v))};
    if (!v.comment.empty())
      up.push_back(comment(v.materialized ? "MATERIALIZED VIEW" : "VIEW", ddl_.qualified(v.name), v.comment));
    for (const auto& ix : v.indexes) up.push_back(rtrim(ddl_.create_index(ix, v.name)));
    return one(ph::create_view, change, up, drop_view(v, ctx_.from, ctx_.to));
  }

  // DROP VIEW IF EXISTS, after the views that depend on it (deepest first) which only `has` holds
  // and `lacks` does not: the file creates those after it, so a second run finds them there, and
  // PostgreSQL refuses to drop a view others depend on. (Dependents both states hold are dropped
  // and created again by steps of their own.)
  std::vector<std::string> drop_view(const schema::View& v, const schema::Schema& has, const schema::Schema& lacks) {
    auto drop = [&](const schema::View& x) {
      return std::string("DROP ") + (x.materialized ? "MATERIALIZED VIEW" : "VIEW") + " IF EXISTS " +
             ddl_.qualified(x.name) + ";";
    };
    std::vector<const schema::View*> dependents;
    std::set<std::string> seen{v.name};
    for (bool grew = true; grew;) {
      grew = false;
      for (const schema::Schema* s : {&ctx_.to, &ctx_.from})
        for (const auto& w : s->views)
          if (!seen.count(w.name) && std::any_of(w.depends_on.begin(), w.depends_on.end(),
                                                 [&](const std::string& d) { return seen.count(d) > 0; })) {
            seen.insert(w.name);
            dependents.push_back(&w);
            grew = true;
          }
    }
    auto only_in_has = [&](const schema::View& w) {
      bool in_has = std::any_of(has.views.begin(), has.views.end(), [&](const auto& x) { return x.name == w.name; });
      bool in_lacks =
          std::any_of(lacks.views.begin(), lacks.views.end(), [&](const auto& x) { return x.name == w.name; });
      return in_has && !in_lacks;
    };
    std::vector<std::string> out;
    for (auto it = dependents.rbegin(); it != dependents.rend(); ++it)
      if (only_in_has(**it)) out.push_back(drop(**it));
    out.push_back(drop(v));
    return out;
  }

  // CREATE OR REPLACE keeps the comment the function had: replacing one that has a comment
  // (`replaced`) sets the new one, or NULL.
  std::vector<std::string> function_sql(const schema::Function& f, const schema::Function* replaced = nullptr) {
    std::vector<std::string> out{rtrim(ddl_.create_function(f))};
    if (!f.comment.empty() || (replaced && !replaced->comment.empty()))
      out.push_back(
          comment("FUNCTION", ddl_.qualified(f.name) + "(" + signature_arguments(f.arguments) + ")", f.comment));
    return out;
  }

  std::string drop_function(const schema::Function& f) {
    return "DROP FUNCTION IF EXISTS " + ddl_.qualified(f.name) + "(" + signature_arguments(f.arguments) + ");";
  }

  std::vector<Step> insert_rows(const diff::InsertRows& c, const diff::Change& change) {
    schema::Table t;
    t.name = c.table;
    t.rows = c.rows;
    std::vector<std::string> keys;
    for (const auto& row : c.rows.values) keys.push_back("(" + join(c.rows.key_of(row), ", ") + ")");
    std::vector<std::string> cols;
    for (const auto& k : c.rows.conflict_columns) cols.push_back(d_.quote(k));
    auto steps = one(ph::insert_rows, change, {rtrim(ddl_.insert_rows(t))},
                     {"DELETE FROM " + ddl_.qualified(c.table) + " WHERE (" + join(cols, ", ") + ") IN (" +
                      join(keys, ", ") + ");"});
    steps.front().down_note = "deletes the reference rows by key, including any edits made to them since";
    return steps;
  }

  const PostgresDialect& d_;
  const PlanContext& ctx_;
  postgres::Ddl ddl_;
};

}  // namespace

std::vector<plan::Step> PostgresDialect::plan_change(const diff::Change& change,
                                                     const plan::PlanContext& context) const {
  return PostgresPlanner(*this, context).plan(change);
}

std::string PostgresDialect::migration_preamble(bool up, const plan::SessionSettings& settings) const {
  (void)up;
  // Fail fast instead of queueing behind long transactions (and blocking everyone queued behind us).
  // The values come from the registry (`postgres.lock_timeout`, `postgres.statement_timeout`);
  // `schemactl migrate up --lock-wait-timeout / --statement-timeout` override them.
  std::string out = "-- Safe to run twice: every statement uses IF [NOT] EXISTS or is guarded.\nSET lock_timeout = " +
                    string_literal(settings.lock_timeout) + ";\n";
  if (!settings.statement_timeout.empty())
    out += "SET statement_timeout = " + string_literal(settings.statement_timeout) + ";\n";
  // View bodies are resolved when they are created: in the registry's schema, as install.sql does.
  if (settings.pg_schema != "public")
    out += postgres::Ddl(*this, settings.pg_schema).search_path_clause() + ";\n";
  else if (settings.pin_search_path)
    out += "SET search_path = public;\n";
  return out;
}

}  // namespace schemactl
