#include "lower/lower.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "lower/names.hpp"
#include "registry/row_values.hpp"
#include "util/text.hpp"

namespace schemactl::lower {
namespace {

using namespace registry;

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

std::string dialect_list(const std::vector<DialectId>& dialects) {
  std::vector<std::string> names;
  for (auto d : dialects) names.push_back(dialect_name(d));
  return "[" + join(names, ", ") + "]";
}

class Lowerer {
 public:
  Lowerer(const Registry& reg, const Dialect& dialect, Diagnostics& diags) : reg_(reg), d_(dialect), diags_(diags) {}

  schema::Schema run() {
    out_.dialect = d_.id();
    out_.registry_name = reg_.name;
    out_.registry_hash = reg_.content_hash;
    out_.pg_schema = reg_.pg_schema;
    out_.pg_lock_timeout = reg_.pg_lock_timeout;
    out_.pg_statement_timeout = reg_.pg_statement_timeout;
    out_.tidb_charset = reg_.tidb_charset;
    out_.tidb_collation = reg_.tidb_collation;
    for (const auto& ext : reg_.extensions) {
      if (decide(ext.dialects, "extension " + ext.name, d_.extension_problem(), ext.pos, "extensions." + ext.name))
        out_.extensions.push_back({ext.name, ext.description});
    }
    for (const auto& entity : reg_.entities) {
      for (const auto& e : entity.enums) {
        claim_name(e.name, "enum " + e.name, e.pos, "enums." + e.name);
        out_.enums.push_back({e.name, e.values, e.description});
      }
    }
    std::set<std::string> lowered;
    for (const auto& entity : reg_.entities)
      for (const auto& t : entity.tables)
        if (lowered.insert(t.name).second) out_.tables.push_back(lower_table(t));  // duplicates: reported by validate
    out_.renames_recorded = true;
    for (const auto& entity : reg_.entities)
      for (const auto& t : entity.tables)
        for (const auto& f : t.fields)
          if (!f.renamed_from.empty()) out_.column_renames[{t.name, f.name}] = f.renamed_from;
    for (const auto& entity : reg_.entities) {
      for (const auto& v : entity.views) lower_view(v);
      for (const auto& f : entity.functions) lower_function(f);
    }
    return std::move(out_);
  }

 private:
  void error(const SourcePos& pos, const std::string& path, const std::string& message) {
    diags_.error(pos, path, message);
  }

  // Whether an object goes into this dialect. `problem` says why the dialect cannot hold it.
  bool decide(const std::vector<DialectId>& dialects, const std::string& what, const std::string& problem,
              const SourcePos& pos, const std::string& path) {
    if (!exists_in(dialects, d_.id())) {
      out_.skipped.push_back({what, "declared for dialects " + dialect_list(dialects)});
      return false;
    }
    if (problem.empty()) return true;
    if (dialects.empty())
      error(pos, path,
            what + " has no " + d_.name() + " decision: " + problem + "; say where it exists with `dialects: [...]`");
    else
      error(pos, path, what + " cannot exist on " + d_.name() + ": " + problem);
    return false;
  }

  // Every relation-level name (tables, views, indexes, constraints, types) of one dialect shares
  // one namespace: Postgres puts indexes and tables in one, and TiDB wants constraint names unique
  // per database. Objects that exist in different dialects only may share a name.
  void claim_name(const std::string& name, const std::string& what, const SourcePos& pos, const std::string& path) {
    check_identifier(name, what, pos, path);
    auto [it, inserted] = names_.emplace(name, std::make_pair(what, pos));
    if (!inserted)
      error(pos, path,
            what + ": the name '" + name + "' is already used by " + it->second.first + " (" + it->second.second.str() +
                ")");
  }

  void check_identifier(const std::string& name, const std::string& what, const SourcePos& pos,
                        const std::string& path) {
    if (!is_identifier(name)) {
      error(pos, path,
            what + ": '" + name +
                "' is not a valid identifier (letters, digits and underscores, not starting with a digit)");
    } else if (name.size() > d_.max_identifier_bytes()) {
      error(pos, path,
            what + ": the name '" + name + "' is " + std::to_string(name.size()) + " bytes; " + d_.name() +
                " allows at most " + std::to_string(d_.max_identifier_bytes()) + " (give it a shorter explicit name)");
    }
  }

  // Both servers round a number with more fraction digits than the column keeps, without an error.
  // What it keeps: by the logical type, or by the dialect's SQL type (an override) when that differs.
  std::string fraction_problem(const std::string& number, const LogicalType& type, const std::string& sql_type) const {
    std::optional<int> logical;
    if (type.kind == TypeKind::decimal) logical = type.scale;
    if (type.kind == TypeKind::smallint || type.kind == TypeKind::int_ || type.kind == TypeKind::bigint ||
        type.kind == TypeKind::serial || type.kind == TypeKind::bigserial)
      logical = 0;
    std::optional<int> keeps = sql_type.empty() ? logical : d_.fraction_digits(sql_type);
    if (!keeps) return {};
    auto dot = number.find('.');
    if (dot == std::string::npos) return {};
    std::string fraction = number.substr(dot + 1);
    fraction.erase(fraction.find_last_not_of('0') + 1);
    if (static_cast<int>(fraction.size()) <= *keeps) return {};
    std::string column = keeps == logical ? type.str() : sql_type + " on " + d_.name();
    return "'" + number + "' has " + std::to_string(fraction.size()) + (fraction.size() == 1 ? " digit" : " digits") +
           " after the point, but the column is " + column + ", which keeps " +
           (*keeps == 0 ? "whole numbers" : std::to_string(*keeps)) + ": the servers would round it";
  }

  // `sql_type`: the column's, as lowered for this dialect ("" where there is none, as for a check).
  std::string literal(const Literal& lit, const LogicalType& type, const std::string& sql_type, const SourcePos& pos,
                      const std::string& path) {
    if (lit.kind == Literal::Kind::null) return "NULL";
    switch (type.kind) {
      case TypeKind::smallint:
      case TypeKind::int_:
      case TypeKind::bigint:
      case TypeKind::serial:
      case TypeKind::bigserial:
      case TypeKind::float_:
      case TypeKind::double_:
      case TypeKind::decimal:
        if (lit.kind != Literal::Kind::number) {
          error(pos, path, "'" + lit.text + "' is not a number, but the column is " + type.str());
          return "NULL";
        }
        if (std::string problem = fraction_problem(lit.text, type, sql_type); !problem.empty()) {
          error(pos, path, problem);
          return "NULL";
        }
        return lit.text;
      case TypeKind::bool_:
        if (lit.kind != Literal::Kind::boolean) {
          error(pos, path, "'" + lit.text + "' is not true or false, but the column is bool");
          return "NULL";
        }
        return lit.text == "true" ? "TRUE" : "FALSE";
      case TypeKind::json:
      case TypeKind::list:
      case TypeKind::vector:
      case TypeKind::bytes:
        error(pos, path,
              "a plain literal cannot be used for a " + kind_name(type.kind) +
                  " column; use { expr: ... } or { sql: ... }");
        return "NULL";
      default:
        return d_.string_literal(lit.text);
    }
  }

  std::string column_type(const FieldSpec& f, const std::string& path) {
    auto ov = f.overrides.find(d_.id());
    if (ov != f.overrides.end() && !ov->second.type.empty()) return ov->second.type;
    auto reg_ov = reg_.type_overrides.find(d_.id());
    if (reg_ov != reg_.type_overrides.end()) {
      auto it = reg_ov->second.find(kind_name(f.type.kind));
      if (it != reg_ov->second.end()) return it->second;
    }
    if (std::string problem = d_.type_problem(f.type, reg_); !problem.empty()) error(f.type_pos, path, problem);
    return d_.sql_type(f.type, reg_);
  }

  schema::Column lower_column(const TableSpec& t, const FieldSpec& f, bool in_primary_key) {
    std::string path = t.name + "." + f.name;
    check_identifier(f.name, "column " + path, f.pos, path);
    schema::Column c;
    c.name = f.name;
    c.type = column_type(f, path);
    c.nullable = f.nullable && !in_primary_key;
    c.auto_increment = d_.auto_increment(f.type);
    c.comment = f.description;
    const DefaultSpec* spec = &f.default_value;
    auto ov = f.overrides.find(d_.id());
    if (ov != f.overrides.end() && ov->second.default_value) spec = &*ov->second.default_value;
    switch (f.type_ok ? spec->kind : DefaultSpec::Kind::none) {
      case DefaultSpec::Kind::none:
        break;
      case DefaultSpec::Kind::literal:
        if (spec->literal.kind != Literal::Kind::null)
          c.default_sql = literal(spec->literal, f.type, c.type, spec->pos, path + ".default");
        break;
      case DefaultSpec::Kind::expr:
        c.default_sql = d_.named_default(spec->expr, f.type, c.type);
        break;
      case DefaultSpec::Kind::sql:
        if (const std::string* sql = spec->sql.get(d_.id()))
          c.default_sql = trim(*sql);
        else
          error(spec->pos, path + ".default", "the default's sql has no " + d_.name() + " text");
        break;
    }
    if (ov != f.overrides.end() && !ov->second.on_update.empty()) {
      std::string problem;
      c.on_update = d_.named_on_update(ov->second.on_update, c, problem);
      if (!problem.empty() && f.type_ok)
        error(ov->second.on_update_pos, path + "." + d_.name() + ".on_update", problem);
    }
    if (!f.type_ok) return c;  // already reported; anything more would be noise
    if (spec->kind != DefaultSpec::Kind::none) {
      if (std::string problem = d_.default_problem(c, *spec); !problem.empty())
        error(spec->pos, path + ".default", problem);
    }
    return c;
  }

  std::string check_expr(const CheckSpec& c, const LogicalType* type, const std::string& path, std::string& problem) {
    if (c.kind == CheckSpec::Kind::expr) {
      const std::string* e = c.expr.get(d_.id());
      if (!e) {
        problem = "it has no " + d_.name() + " expression";
        return {};
      }
      return trim(*e);
    }
    std::string col = d_.quote(c.column);
    LogicalType fallback;
    const LogicalType& t = type ? *type : fallback;
    if (c.kind == CheckSpec::Kind::in_list) {
      std::vector<std::string> values;
      for (const auto& v : c.values) values.push_back(literal(v, t, "", v.pos, path + ".check"));
      return col + " IN (" + join(values, ", ") + ")";
    }
    std::vector<std::string> parts;
    if (c.min) parts.push_back(col + " >= " + c.min->text);
    if (c.max) parts.push_back(col + " <= " + c.max->text);
    return join(parts, " AND ");
  }

  schema::Table lower_table(const TableSpec& t) {
    schema::Table out;
    out.name = t.name;
    out.comment = t.description;
    out.external = t.external;
    claim_name(t.name, "table " + t.name, t.pos, t.name);
    auto key = t.key_columns();
    for (const auto& f : t.fields) {
      bool in_key = std::find(key.begin(), key.end(), f.name) != key.end();
      out.columns.push_back(lower_column(t, f, in_key));
    }
    if (t.external) return out;  // referenced only: nothing else of it is created
    if (!key.empty()) {
      out.primary_key = schema::PrimaryKey{primary_key_name(t.name), key};
      SourcePos pos = t.primary_key.empty() ? t.pos : t.primary_key_pos;
      claim_name(out.primary_key->name, "primary key of " + t.name, pos, t.name);
      if (std::string problem = d_.key_problem(key, out); !problem.empty())
        error(pos, t.name, "primary key of " + t.name + " cannot exist on " + d_.name() + ": " + problem);
    }
    // Uniques: column-level first, then table-level, each in registry order.
    std::vector<UniqueSpec> uniques;
    for (const auto& f : t.fields)
      if (f.unique) uniques.push_back(UniqueSpec{*f.unique, {f.name}, {}, f.pos});
    uniques.insert(uniques.end(), t.uniques.begin(), t.uniques.end());
    for (const auto& u : uniques) {
      std::string name = u.name.empty() ? unique_name(t.name, u.columns) : u.name;
      std::string what = "unique constraint " + name + " on " + t.name;
      if (!decide(u.dialects, what, d_.key_problem(u.columns, out), u.pos, t.name)) continue;
      claim_name(name, what, u.pos, t.name);
      out.uniques.push_back(schema::Unique{name, u.columns});
    }
    std::vector<CheckSpec> checks;
    for (const auto& f : t.fields)
      if (f.check) checks.push_back(*f.check);
    checks.insert(checks.end(), t.checks.begin(), t.checks.end());
    int unnamed = 0;
    for (const auto& c : checks) {
      std::string name = c.name;
      if (name.empty())
        name = c.column.empty() ? table_check_name(t.name, ++unnamed) : column_check_name(t.name, c.column);
      std::string what = "check " + name + " on " + t.name;
      const FieldSpec* f = c.column.empty() ? nullptr : t.field(c.column);
      std::string problem;
      std::string expr = check_expr(c, f ? &f->type : nullptr, t.name + "." + c.column, problem);
      if (!decide(c.dialects, what, problem, c.pos, t.name)) continue;
      claim_name(name, what, c.pos, t.name);
      out.checks.push_back({name, expr});
    }
    std::vector<ForeignKeySpec> fks;
    for (const auto& f : t.fields)
      if (f.references) fks.push_back(*f.references);
    fks.insert(fks.end(), t.foreign_keys.begin(), t.foreign_keys.end());
    for (const auto& fk : fks) {
      schema::ForeignKey lowered;
      lowered.name = fk.name.empty() ? foreign_key_name(t.name, fk.columns) : fk.name;
      lowered.columns = fk.columns;
      lowered.ref_table = fk.ref_table;
      lowered.ref_columns = fk.ref_columns;
      if (lowered.ref_columns.empty())
        if (const TableSpec* target = reg_.table(fk.ref_table)) lowered.ref_columns = target->key_columns();
      lowered.on_delete = fk.on_delete;
      lowered.on_update = fk.on_update;
      std::string what = "foreign key " + lowered.name + " on " + t.name;
      if (!decide(fk.dialects, what, "", fk.pos, t.name)) continue;
      claim_name(lowered.name, what, fk.pos, t.name);
      out.foreign_keys.push_back(lowered);
    }
    for (const auto& x : t.exclusions) {
      schema::Exclusion lowered;
      std::vector<std::string> parts;
      lowered.method = x.method;
      lowered.where = trim(x.where);
      for (const auto& e : x.elements) {
        bool expression = !e.expression.empty();
        lowered.elements.push_back({expression ? trim(e.expression) : e.column, expression, e.op});
        parts.push_back(expression ? "expr" : e.column);
      }
      lowered.name = x.name.empty() ? exclusion_name(t.name, parts) : x.name;
      std::string what = "exclusion constraint " + lowered.name + " on " + t.name;
      if (!decide(x.dialects, what, d_.exclusion_problem(lowered), x.pos, t.name)) continue;
      claim_name(lowered.name, what, x.pos, t.name);
      out.exclusions.push_back(lowered);
    }
    for (const auto& ix : t.indexes)
      if (auto lowered = lower_index(ix, out, "index")) out.indexes.push_back(std::move(*lowered));
    for (const auto& f : t.fields) {
      const schema::Column* c = out.column(f.name);
      if (!c || !c->auto_increment) continue;
      if (std::string problem = d_.auto_increment_problem(f.name, out); !problem.empty())
        error(f.pos, t.name + "." + f.name,
              "serial column " + t.name + "." + f.name + " cannot exist on " + d_.name() + ": " + problem);
    }
    if (t.rows) lower_rows(t, *t.rows, out);
    return out;
  }

  std::optional<schema::Index> lower_index(const IndexSpec& ix, const schema::Table& table, const std::string& kind) {
    schema::Index out;
    out.table = table.name;
    out.unique = ix.unique;
    out.method = ix.method;
    out.where = trim(ix.where);
    out.include = ix.include;
    out.with = ix.with;
    std::vector<std::string> parts;
    for (const auto& k : ix.keys) {
      bool expression = !k.expression.empty();
      out.keys.push_back(
          {expression ? trim(k.expression) : k.column, expression, k.opclass, k.order, k.nulls, k.prefix});
      parts.push_back(expression ? "expr" : k.column);
    }
    out.name = ix.name.empty() ? index_name(table.name, parts) : ix.name;
    std::string what = kind + " " + out.name + " on " + table.name;
    std::string problem = d_.adapt_index(out, table);
    if (!decide(ix.dialects, what, problem, ix.pos, table.name)) return std::nullopt;
    claim_name(out.name, what, ix.pos, table.name);
    return out;
  }

  // Two rows that this dialect's unique indexes take as one value though the type does not (a
  // collation ignoring case or trailing spaces, a uuid spelled two ways): TiDB's INSERT IGNORE
  // would drop one, Postgres fail the install. What validation reported already is not said again.
  void check_rows_unique_here(const TableSpec& t, const RowsSpec& rows, const schema::Table& out) {
    auto literal_of = [](const RowSpec& row, const std::string& column) -> const Literal* {
      for (const auto& [col, lit] : row.values)
        if (col == column) return &lit;
      return nullptr;
    };
    auto here = [&](const std::string& column, const Literal& lit) -> Dialect::UniqueForm {
      const FieldSpec* f = t.field(column);
      const schema::Column* c = out.column(column);
      if (!f || !f->type_ok || !c) return {lit.text, ""};
      return d_.unique_form(f->type, value_form(f->type, lit), *c, reg_);
    };
    std::set<std::vector<std::string>> reported;
    for (const auto& set : unique_sets(t, rows.key.empty() ? t.key_columns() : rows.key)) {
      if (!reported.insert(set.columns).second) continue;
      auto form = [&](const std::string& column, const Literal& lit) { return here(column, lit).form; };
      for (const auto& c : clashes(rows, set.columns, form)) {
        std::vector<std::string> whys;
        for (const auto& col : set.columns) {
          const Literal *a = literal_of(*c.first, col), *b = literal_of(*c.later, col);
          if (a && b && value_form(t, col, *a) != value_form(t, col, *b))
            whys.push_back(col + ": " + here(col, *b).why);
        }
        if (whys.empty()) continue;  // one value to the type as well: validation said so
        error(c.later->pos, t.name + ".rows",
              "this row and the row at line " + std::to_string(c.first->pos.line) + " hold (" +
                  join(written(*c.later, set.columns), ", ") + ") and (" + join(written(*c.first, set.columns), ", ") +
                  ") in (" + join(set.columns, ", ") + "), which " + d_.name() + " compares as one value (" +
                  join(whys, "; ") + "), and " + set.what + " requires them to be distinct");
      }
    }
  }

  void lower_rows(const TableSpec& t, const RowsSpec& rows, schema::Table& out) {
    check_rows_unique_here(t, rows, out);
    out.rows.conflict_columns = rows.key.empty() ? t.key_columns() : rows.key;
    for (const auto& row : rows.rows)
      for (const auto& [col, _] : row.values)
        if (std::find(out.rows.columns.begin(), out.rows.columns.end(), col) == out.rows.columns.end())
          out.rows.columns.push_back(col);
    for (const auto& row : rows.rows) {
      std::vector<std::string> values;
      for (const auto& col : out.rows.columns) {
        auto it = std::find_if(row.values.begin(), row.values.end(), [&](const auto& p) { return p.first == col; });
        const FieldSpec* f = t.field(col);
        if (it == row.values.end() || !f)
          values.push_back("DEFAULT");
        else
          values.push_back(literal(it->second, f->type, out.column(col) ? out.column(col)->type : "", it->second.pos,
                                   t.name + ".rows." + col));
      }
      out.rows.values.push_back(std::move(values));
    }
  }

  void lower_view(const ViewSpec& v) {
    std::string what = std::string(v.materialized ? "materialized view " : "view ") + v.name;
    const std::string* sql = v.sql.get(d_.id());
    std::string problem = v.materialized ? d_.materialized_view_problem() : "";
    if (problem.empty() && !sql) problem = "it has no " + d_.name() + " SQL body";
    schema::View out;
    out.name = v.name;
    out.materialized = v.materialized;
    out.comment = v.description;
    out.depends_on = v.depends_on;
    bool keep = decide(v.dialects, what, problem, v.pos, v.name);
    if (keep) {
      claim_name(v.name, what, v.pos, v.name);
      out.sql = trim(*sql);
      while (!out.sql.empty() && out.sql.back() == ';') out.sql = trim(out.sql.substr(0, out.sql.size() - 1));
    }
    // A skipped view's indexes are skipped with it.
    schema::Table as_table;
    as_table.name = v.name;
    for (const auto& ix : v.indexes) {
      std::vector<DialectId> dialects = ix.dialects.empty() ? v.dialects : ix.dialects;
      IndexSpec spec = ix;
      spec.dialects = dialects;
      if (auto lowered = lower_index(spec, as_table, "index"); lowered && keep) out.indexes.push_back(*lowered);
    }
    if (keep) out_.views.push_back(std::move(out));
  }

  void lower_function(const FunctionSpec& f) {
    std::string what = "function " + f.name;
    check_identifier(f.name, what, f.pos, f.name);
    if (!decide(f.dialects, what, d_.function_problem(), f.pos, f.name)) return;
    out_.functions.push_back(
        {f.name, trim(f.arguments), trim(f.returns), f.language, f.volatility, f.body, f.description, f.depends_on});
  }

  const Registry& reg_;
  const Dialect& d_;
  Diagnostics& diags_;
  schema::Schema out_;
  std::map<std::string, std::pair<std::string, SourcePos>> names_;
};

}  // namespace

schema::Schema lower(const registry::Registry& reg, const Dialect& dialect, Diagnostics& diagnostics) {
  return Lowerer(reg, dialect, diagnostics).run();
}

}  // namespace schemactl::lower
