// TiDB migration steps: one change per statement (TiDB before 6.2 rejects more per ALTER TABLE),
// IF [NOT] EXISTS wherever TiDB has it, and refusals for changes TiDB cannot make in place.
#include <algorithm>

#include "dialect/catalog_form.hpp"
#include "dialect/tidb/ddl.hpp"
#include "dialect/tidb/tidb.hpp"
#include "util/overloaded.hpp"
#include "util/text.hpp"

namespace schemactl {
namespace {

using namespace plan;
namespace ph = plan::phase;

std::string type_class(const std::string& type) {
  std::string t = to_upper(type);
  auto open = t.find('(');
  return open == std::string::npos ? t : t.substr(0, open);
}

// Whether MODIFY COLUMN keeps every value.
bool widening(const std::string& from, const std::string& to) {
  std::string f = type_class(from), t = type_class(to);
  auto length = [](const std::string& s) {
    auto open = s.find('(');
    return open == std::string::npos ? -1 : std::atoi(s.c_str() + open + 1);
  };
  if (f == "VARCHAR" && t == "VARCHAR") return length(to) >= length(from);
  if (f == "VARCHAR" && (t == "TEXT" || t == "MEDIUMTEXT" || t == "LONGTEXT")) return true;
  static const std::vector<std::string> ints = {"TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT"};
  auto fi = std::find(ints.begin(), ints.end(), f), ti = std::find(ints.begin(), ints.end(), t);
  if (fi != ints.end() && ti != ints.end()) return ti >= fi;
  if (f == "FLOAT" && t == "DOUBLE") return true;
  if (f == "ENUM" && t == "ENUM") {
    // Values appended, however the two are spelled ("ENUM('a', 'b')", the catalog's "enum('a','b')").
    std::string a = mariadb_catalog_type(from), b = mariadb_catalog_type(to);
    return b.substr(0, b.size() - 1).rfind(a.substr(0, a.size() - 1), 0) == 0;
  }
  return false;
}

class TidbPlanner {
 public:
  TidbPlanner(const TidbDialect& d, const PlanContext& ctx) : d_(d), ctx_(ctx), ddl_(d) {}

  std::vector<Step> plan(const diff::Change& change) {
    using namespace diff;
    return std::visit(
        overloaded{
            // Extensions and functions never reach a TiDB schema; enum types live inside column
            // types, so their changes arrive as column changes.
            [&](const MoveSchema&) { return std::vector<Step>{}; },  // postgres.schema
            [&](const CreateExtension&) { return std::vector<Step>{}; },
            [&](const DropExtension&) { return std::vector<Step>{}; },
            [&](const CreateEnum&) { return std::vector<Step>{}; },
            [&](const DropEnum&) { return std::vector<Step>{}; },
            [&](const AddEnumValues&) { return std::vector<Step>{}; },
            [&](const CreateFunction&) { return std::vector<Step>{}; },
            [&](const DropFunction&) { return std::vector<Step>{}; },
            [&](const ReplaceFunction&) { return std::vector<Step>{}; },
            [&](const CreateTable& c) {
              return one(ph::create_table, change,
                         {rtrim(ddl_.create_table(c.table, ctx_.to.tidb_charset, ctx_.to.tidb_collation))},
                         {"DROP TABLE IF EXISTS " + q(c.table.name) + ";"});
            },
            [&](const DropTable& c) {
              std::vector<std::string> down{
                  rtrim(ddl_.create_table(c.table, ctx_.from.tidb_charset, ctx_.from.tidb_collation))};
              auto steps = one(ph::drop_table, change, {"DROP TABLE IF EXISTS " + q(c.table.name) + ";"}, down);
              steps.front().destructive = true;
              steps.front().up_note = "drops table " + c.table.name + " and every row in it";
              steps.front().down_note = "the rows of " + c.table.name + " are not brought back";
              return steps;
            },
            [&](const RenameTable& c) {
              return one(ph::rename_table, change, {"RENAME TABLE " + q(c.from) + " TO " + q(c.to) + ";"},
                         {"RENAME TABLE " + q(c.to) + " TO " + q(c.from) + ";"});
            },
            [&](const AddColumn& c) {
              auto steps =
                  one(ph::add_column, change, {add_column(c.table, c.column)}, {drop_column(c.table, c.column.name)});
              if (!c.column.nullable && c.column.default_sql.empty() && !c.column.auto_increment) {
                steps.front().destructive = true;
                steps.front().up_note =
                    "adds NOT NULL column " + c.table + "." + c.column.name +
                    " without a default: existing rows get the type's zero value (give it a default)";
              }
              steps.front().down_note =
                  "dropping " + c.table + "." + c.column.name + " loses the values written to it since";
              return steps;
            },
            [&](const DropColumn& c) {
              auto steps =
                  one(ph::drop_column, change, {drop_column(c.table, c.column.name)}, {add_column(c.table, c.column)});
              steps.front().destructive = true;
              steps.front().up_note = "drops column " + c.table + "." + c.column.name + " and its values";
              steps.front().down_note = "the values of " + c.table + "." + c.column.name + " are not brought back";
              return steps;
            },
            [&](const RenameColumn& c) {
              return one(ph::rename_column, change,
                         {"ALTER TABLE " + q(c.table) + " RENAME COLUMN " + q(c.from) + " TO " + q(c.to) + ";"},
                         {"ALTER TABLE " + q(c.table) + " RENAME COLUMN " + q(c.to) + " TO " + q(c.from) + ";"});
            },
            [&](const AlterColumn& c) { return alter_column(c, change); },
            [&](const SetTableComment& c) {
              return one(ph::table_comment, change,
                         {"ALTER TABLE " + q(c.table) + " COMMENT = " + d_.string_literal(c.to) + ";"},
                         {"ALTER TABLE " + q(c.table) + " COMMENT = " + d_.string_literal(c.from) + ";"});
            },
            // TiDB's primary key is always named PRIMARY.
            [&](const RenameConstraint&) { return std::vector<Step>{}; },
            [&](const AddConstraint& c) { return add_constraint(c.table, c.constraint, c.table_is_new, change); },
            [&](const DropConstraint& c) {
              Step s = add_constraint(c.table, c.constraint, false, change).front();
              if (const auto* u = std::get_if<schema::Unique>(&c.constraint))
                s.down = around_needed_index(c.table, u->name, ctx_.from, s.down);
              std::swap(s.up, s.down);
              s.phase =
                  std::holds_alternative<schema::ForeignKey>(c.constraint) ? ph::drop_foreign_key : ph::drop_constraint;
              return std::vector<Step>{s};
            },
            [&](const AddIndex& c) {
              // Before the foreign keys: MySQL-family databases need an index on a foreign key's
              // columns (and make one up otherwise), and refuse to drop one a key still uses.
              return one(
                  ph::add_constraint, change, {rtrim(ddl_.create_index(c.index))},
                  around_needed_index(c.index.table, c.index.name, ctx_.to, {drop_index(c.index.table, c.index.name)}));
            },
            [&](const DropIndex& c) {
              return one(ph::drop_index, change,
                         around_needed_index(c.index.table, c.index.name, ctx_.from,
                                             {drop_index(c.index.table, c.index.name)}),
                         {rtrim(ddl_.create_index(c.index))});
            },
            [&](const CreateView& c) {
              return one(ph::create_view, change, {rtrim(ddl_.create_view(c.view))},
                         {"DROP VIEW IF EXISTS " + q(c.view.name) + ";"});
            },
            [&](const DropView& c) {
              return one(ph::drop_view, change, {"DROP VIEW IF EXISTS " + q(c.view.name) + ";"},
                         {rtrim(ddl_.create_view(c.view))});
            },
            [&](const InsertRows& c) { return insert_rows(c, change); },
            [&](const UpdateRows& c) { return update_rows(c, change); },
            // Enum types live inside column types on TiDB, and extensions do not exist there.
            [&](const SetObjectComment&) { return std::vector<Step>{}; },
            [&](const DeleteRows& c) {
              Step s = plan::reversed(insert_rows(InsertRows{c.table, c.rows}, change).front(), ph::delete_rows);
              s.down_note = "inserts the deleted reference rows again as the registry had them";
              return std::vector<Step>{s};
            },
        },
        change);
  }

 private:
  std::string q(const std::string& name) const { return d_.quote(name); }

  std::vector<Step> one(int phase, const diff::Change& change, std::vector<std::string> up,
                        std::vector<std::string> down) {
    Step s;
    s.what = diff::describe(change);
    s.phase = phase;
    s.up = std::move(up);
    s.down = std::move(down);
    return {s};
  }

  std::string add_column(const std::string& table, const schema::Column& c) {
    return "ALTER TABLE " + q(table) + " ADD COLUMN IF NOT EXISTS " + ddl_.column_definition(c) + ";";
  }
  std::string drop_column(const std::string& table, const std::string& column) {
    return "ALTER TABLE " + q(table) + " DROP COLUMN IF EXISTS " + q(column) + ";";
  }
  std::string drop_index(const std::string& table, const std::string& name) {
    return "DROP INDEX IF EXISTS " + q(name) + " ON " + q(table) + ";";
  }

  // Whether either state declares an index or unique key of that name on the table.
  bool declares_index(const std::string& table, const std::string& name) const {
    for (const schema::Schema* s : {&ctx_.from, &ctx_.to})
      if (const schema::Table* t = s->table(table)) {
        for (const auto& ix : t->indexes)
          if (ix.name == name) return true;
        for (const auto& u : t->uniques)
          if (u.name == name) return true;
      }
    return false;
  }

  // Whether an index, unique or primary key leading with `columns` (in order) can serve a foreign key.
  static bool leads_with(const std::vector<std::string>& key, const std::vector<std::string>& columns) {
    return key.size() >= columns.size() && std::equal(columns.begin(), columns.end(), key.begin());
  }

  // The foreign keys of `table` that both states have unchanged (so that they exist while the
  // index changes) and that only the index `name` serves in `state`: MySQL-family servers refuse to
  // drop it (error 1553, needed in a foreign key constraint) while such a key exists.
  std::vector<const schema::ForeignKey*> needing(const std::string& table, const std::string& name,
                                                 const schema::Schema& state) const {
    std::vector<const schema::ForeignKey*> out;
    const schema::Table* t = state.table(table);
    if (!t) return out;
    // The key as the other state has it: on this table or, renamed in this migration, under its new
    // (or old) name; pointing at the same table, or at one renamed in this migration.
    // Its columns as `to` names them (a column renamed in this migration keeps its key: the server
    // renames the key's column with it).
    const bool state_is_to = &state == &ctx_.to;
    auto to_names = [&](const std::vector<std::string>& columns, const std::string& to_table, bool in_to) {
      std::vector<std::string> out;
      for (const auto& c : columns) out.push_back(in_to ? c : ctx_.column_in(to_table, c, true));
      return out;
    };
    auto counterpart = [&](const schema::ForeignKey& f, const schema::Schema& other) -> const schema::Table* {
      for (const auto& x : other.tables)
        for (const auto& g : x.foreign_keys)
          if (g.name == f.name &&
              to_names(g.columns, state_is_to ? table : x.name, !state_is_to) ==
                  to_names(f.columns, state_is_to ? table : x.name, state_is_to) &&
              g.ref_columns == f.ref_columns && g.on_delete == f.on_delete && g.on_update == f.on_update &&
              (g.ref_table == f.ref_table || !other.table(f.ref_table) || !state.table(g.ref_table)) &&
              (x.name == table || !other.table(table) || !state.table(x.name)))
            return &x;
      return nullptr;
    };
    auto unchanged = [&](const schema::ForeignKey& f) {
      const schema::Table* before = &state == &ctx_.from ? t : counterpart(f, ctx_.from);
      const schema::Table* after = &state == &ctx_.to ? t : counterpart(f, ctx_.to);
      if (!before || !after) return false;
      for (const auto& col : f.columns) {  // a retyped column's key is dropped and added around the change
        const std::string in_to = state_is_to ? col : ctx_.column_in(after->name, col, true);
        const schema::Column *a = before->column(ctx_.column_in(after->name, in_to, false)), *b = after->column(in_to);
        if (!a || !b || a->type != b->type) return false;
      }
      return true;
    };
    // Whether index `index` (its columns `key`, as `state` names them) is there in the other state
    // too, the same: one that this migration also drops does not serve the key in the meantime.
    const schema::Schema& other_state = state_is_to ? ctx_.from : ctx_.to;
    const schema::Table* other_table = other_state.table(table);
    auto kept = [&](const std::string& index, const std::vector<std::string>& key) {
      if (!other_table) return true;  // (a renamed table: as before, taken as kept)
      std::vector<std::string> want;
      for (const auto& c : key)
        want.push_back(state_is_to ? ctx_.column_in(table, c, false) : ctx_.column_in(table, c, true));
      if (index == "PRIMARY") return other_table->primary_key && other_table->primary_key->columns == want;
      for (const auto& u : other_table->uniques)
        if (u.name == index) return u.columns == want;
      for (const auto& ix : other_table->indexes)
        if (ix.name == index) {
          std::vector<std::string> cols;
          for (const auto& k : ix.keys) {
            if (k.expression || k.prefix != 0) break;
            cols.push_back(k.text);
          }
          return std::equal(want.begin(), want.end(), cols.begin(), cols.end());
        }
      return false;
    };
    for (const auto& f : t->foreign_keys) {
      if (!unchanged(f)) continue;
      bool served_by_it = false, served_otherwise = false;
      auto consider = [&](const std::string& index, const std::vector<std::string>& key) {
        if (!leads_with(key, f.columns)) return;
        if (index == name)
          served_by_it = true;
        else if (kept(index, key))
          served_otherwise = true;
      };
      if (t->primary_key) consider("PRIMARY", t->primary_key->columns);
      for (const auto& u : t->uniques) consider(u.name, u.columns);
      for (const auto& ix : t->indexes) {
        // An expression or a prefix of a column cannot serve a key: the index's usable columns end there.
        std::vector<std::string> key;
        for (const auto& k : ix.keys) {
          if (k.expression || k.prefix != 0) break;
          key.push_back(k.text);
        }
        consider(ix.name, key);
      }
      if (served_by_it && !served_otherwise) out.push_back(&f);
    }
    return out;
  }

  // `drop` (the statements that drop index `name` of `table`, taken from `state`) with every
  // foreign key that needs that index dropped before and added again after, when the server makes
  // its own index for the key again (named after it), as a fresh install of the new state has it.
  std::vector<std::string> around_needed_index(const std::string& table, const std::string& name,
                                               const schema::Schema& state, std::vector<std::string> drop) const {
    std::vector<std::string> before, after;
    for (const schema::ForeignKey* f : needing(table, name, state)) {
      before.push_back("ALTER TABLE " + q(table) + " DROP FOREIGN KEY " + q(f->name) + ";");
      after.push_back("ALTER TABLE " + q(table) + " ADD " + ddl_.foreign_key_clause(*f) + ";");
    }
    if (before.empty()) return drop;
    before.insert(before.end(), drop.begin(), drop.end());
    before.insert(before.end(), after.begin(), after.end());
    return before;
  }

  bool in_primary_key(const std::string& table, const std::string& column) const {
    const schema::Table* t = ctx_.from.table(table);
    if (!t || !t->primary_key) return false;
    const auto& cols = t->primary_key->columns;
    return std::find(cols.begin(), cols.end(), column) != cols.end();
  }

  // `c` as MODIFY COLUMN restates it with AUTO_INCREMENT: NOT NULL, as the server makes it anyway.
  static schema::Column auto_increment_target(schema::Column c) {
    c.nullable = false;
    return c;
  }

  std::vector<Step> alter_column(const diff::AlterColumn& c, const diff::Change& change) {
    std::string from_class = type_class(c.from.type), to_class = type_class(c.to.type);
    if (c.from.auto_increment != c.to.auto_increment)
      throw Refusal(
          c.to.auto_increment
              ? "TiDB cannot add AUTO_INCREMENT to an existing column (ALTER TABLE cannot add the attribute), so " +
                    c.table + "." + c.to.name +
                    " cannot become serial in place: no statement is planned for it. Instead create a new table "
                    "with the column as serial (it must lead a key), copy the rows with INSERT ... SELECT, and swap "
                    "the tables with RENAME TABLE; or keep the column an int and number the rows in the "
                    "application. On MySQL or MariaDB (not TiDB) `ALTER TABLE " +
                    q(c.table) + " MODIFY COLUMN " + ddl_.column_definition(auto_increment_target(c.to)) +
                    ";` adds it by hand (the column must lead a key)"
              : "TiDB removes AUTO_INCREMENT from " + c.table + "." + c.to.name +
                    " only with tidb_allow_remove_auto_inc = 1, which MySQL does not know. Instead keep it serial, "
                    "or add a new int column, copy the values with UPDATE, and drop the old column in a later "
                    "migration");
    if (c.from.type != c.to.type) {
      std::string why;
      if (in_primary_key(c.table, c.to.name))
        why = "it is part of the primary key, whose type TiDB cannot change";
      else if (from_class == "JSON" || to_class == "JSON" || from_class == "VECTOR" || to_class == "VECTOR")
        why = "TiDB cannot convert between " + c.from.type + " and " + c.to.type;
      else if (from_class == "ENUM" && to_class == "ENUM" && !widening(c.from.type, c.to.type))
        why = "TiDB can only append values to an ENUM in place";
      if (!why.empty())
        throw Refusal("cannot change " + c.table + "." + c.to.name + " from " + c.from.type + " to " + c.to.type +
                      " in place: " + why + ". Instead add a new column, copy the values with UPDATE, and drop " +
                      "the old column in a later migration");
    }
    // MODIFY COLUMN restates the whole column: type, nullability, default and comment in one change.
    auto steps = one(ph::alter_column, change,
                     {"ALTER TABLE " + q(c.table) + " MODIFY COLUMN " + ddl_.column_definition(c.to) + ";"},
                     {"ALTER TABLE " + q(c.table) + " MODIFY COLUMN " + ddl_.column_definition(c.from) + ";"});
    Step& s = steps.front();
    if (c.from.type != c.to.type && !widening(c.from.type, c.to.type)) {
      s.destructive = true;
      s.up_note = "changes " + c.table + "." + c.to.name + " from " + c.from.type + " to " + c.to.type +
                  ", which can fail or lose data (TiDB rewrites the column)";
    } else if (c.from.type != c.to.type) {
      s.down_note = "values that do not fit " + c.from.type + " make the down migration fail";
    }
    if (c.from.nullable && !c.to.nullable) {
      // (after the type change's note, which the same MODIFY makes: both can lose or fail)
      s.destructive = true;
      const std::string not_null = "makes " + c.table + "." + c.to.name + " NOT NULL: fails if any row holds NULL";
      s.up_note = s.up_note.empty() ? not_null : s.up_note + "; it also " + not_null;
    }
    return steps;
  }

  std::vector<Step> add_constraint(const std::string& table, const diff::Constraint& c, bool table_is_new,
                                   const diff::Change& change) {
    (void)table_is_new;
    return std::visit(
        overloaded{
            [&](const schema::PrimaryKey& k) -> std::vector<Step> {
              throw Refusal("TiDB cannot add or drop the clustered primary key " + k.name + " of " + table +
                            " in place; create a new table with the new key and copy the rows");
            },
            [&](const schema::Unique& u) {
              std::vector<std::string> cols;
              for (const auto& x : u.columns) cols.push_back(q(x));
              return one(ph::add_constraint, change,
                         {"CREATE UNIQUE INDEX IF NOT EXISTS " + q(u.name) + " ON " + q(table) + " (" +
                          join(cols, ", ") + ");"},
                         around_needed_index(table, u.name, ctx_.to, {drop_index(table, u.name)}));
            },
            [&](const schema::Check& k) {
              return one(ph::add_constraint, change,
                         {"ALTER TABLE " + q(table) + " ADD CONSTRAINT " + q(k.name) + " CHECK (" + k.expr + ");"},
                         {"ALTER TABLE " + q(table) + " DROP CONSTRAINT " + q(k.name) + ";"});
            },
            [&](const schema::ForeignKey& f) {
              std::vector<std::string> drop{"ALTER TABLE " + q(table) + " DROP FOREIGN KEY " + q(f.name) + ";"};
              // MySQL-family servers make up an index named after the key when no index leads with
              // its columns, and keep it when the key goes: a later key of that name on other
              // columns then fails (1061, duplicate key name). Drop it with the key (on a table
              // that stays: a new or dropped table's key goes with its table). A key dropped from a
              // table renamed in the same migration is dropped under the table's old name.
              if (!table_is_new && (ctx_.to.table(table) || ctx_.renamed_tables.count(table)) &&
                  !declares_index(table, f.name))
                drop.push_back(drop_index(table, f.name));
              return one(ph::add_foreign_key, change,
                         {"ALTER TABLE " + q(table) + " ADD " + ddl_.foreign_key_clause(f) + ";"}, drop);
            },
            [&](const schema::Exclusion& x) -> std::vector<Step> {
              throw Refusal("TiDB has no exclusion constraints (" + x.name + ")");
            },
        },
        c);
  }

  std::vector<Step> insert_rows(const diff::InsertRows& c, const diff::Change& change) {
    schema::Table t;
    t.name = c.table;
    t.rows = c.rows;
    std::vector<std::string> keys;
    for (const auto& row : c.rows.values) keys.push_back("(" + join(c.rows.key_of(row), ", ") + ")");
    std::vector<std::string> cols;
    for (const auto& k : c.rows.conflict_columns) cols.push_back(q(k));
    auto steps =
        one(ph::insert_rows, change, {rtrim(ddl_.insert_rows(t))},
            {"DELETE FROM " + q(c.table) + " WHERE (" + join(cols, ", ") + ") IN (" + join(keys, ", ") + ");"});
    steps.front().down_note = "deletes the reference rows by key, including any edits made to them since";
    return steps;
  }

  // Each changed row by its key; the reverse puts the old values back.
  std::vector<Step> update_rows(const diff::UpdateRows& c, const diff::Change& change) {
    Step s;
    s.what = diff::describe(change);
    s.phase = ph::insert_rows;
    for (const auto& row : c.rows) {
      std::vector<std::string> where;
      for (std::size_t i = 0; i < c.key_columns.size(); ++i) where.push_back(q(c.key_columns[i]) + " = " + row.key[i]);
      auto update = [&](const std::vector<std::string>& values) {
        std::vector<std::string> set;
        for (std::size_t i = 0; i < row.columns.size(); ++i) set.push_back(q(row.columns[i]) + " = " + values[i]);
        return "UPDATE " + q(c.table) + " SET " + join(set, ", ") + " WHERE " + join(where, " AND ") + ";";
      };
      s.up.push_back(update(row.set));
      s.down.insert(s.down.begin(), update(row.was));
    }
    s.down_note = "puts the old values of the reference rows back, over any edits made to them since";
    return {s};
  }

  const TidbDialect& d_;
  const PlanContext& ctx_;
  tidb::Ddl ddl_;
};

}  // namespace

std::vector<plan::Step> TidbDialect::plan_change(const diff::Change& change, const plan::PlanContext& context) const {
  return TidbPlanner(*this, context).plan(change);
}

std::string TidbDialect::migration_preamble(bool up, const plan::SessionSettings& settings) const {
  (void)up;
  (void)settings;  // TiDB runs DDL online; the applier bounds lock waits (--lock-wait-timeout)
  return "-- TiDB commits each DDL statement on its own: `schemactl migrate up` records progress per statement,\n"
         "-- so a failure part-way can be resumed (or undone with `migrate down`). TiDB has no IF [NOT] EXISTS\n"
         "-- for constraints: run by hand, this file is safe to repeat only up to its first ADD CONSTRAINT.\n"
         "-- String literals escape backslashes: a session with NO_BACKSLASH_ESCAPES would read them doubled.\n"
         "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');\n";
}

}  // namespace schemactl
