#include "registry/validate.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "registry/row_values.hpp"
#include "util/text.hpp"

namespace schemactl::registry {
namespace {

bool is_cpp_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// Words that reach the SQL as written, where the server has no quoted form (charset and collation
// names in TiDB's table options) or where a quoted one would change the meaning (access methods,
// operator classes, storage parameters): they must be plain words, or a value could end the
// statement and start another.
bool is_sql_word(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool is_sql_name(const std::string& s) {
  return is_sql_word(s) && !std::isdigit(static_cast<unsigned char>(s[0]));
}

// An operator class, optionally schema-qualified: name or schema.name.
bool is_qualified_name(const std::string& s) {
  auto dot = s.find('.');
  if (dot == std::string::npos) return is_sql_name(s);
  return is_sql_name(s.substr(0, dot)) && is_sql_name(s.substr(dot + 1));
}

// A Postgres operator: only operator characters, and neither `--` nor `/*` (which Postgres reads as
// the start of a comment, not as part of an operator).
bool is_operator(const std::string& s) {
  static const std::string kChars = "+-*/<>=~!@#%^&|`?";
  return !s.empty() && s.find_first_not_of(kChars) == std::string::npos && s.find("--") == std::string::npos &&
         s.find("/*") == std::string::npos;
}

// A storage parameter's value: a number or a word (`100`, `0.5`, `-1`, `off`).
bool is_parameter_value(const std::string& s) {
  std::string rest = !s.empty() && s[0] == '-' ? s.substr(1) : s;
  return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
}

bool on_tidb(const std::vector<DialectId>& dialects) {
  return dialects.empty() || std::find(dialects.begin(), dialects.end(), DialectId::tidb) != dialects.end();
}

// Whether `expr` mentions `column` as a name (not as part of a longer word).
bool mentions(const std::string& expr, const std::string& column) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t at = expr.find(column); at != std::string::npos; at = expr.find(column, at + 1)) {
    bool before = at > 0 && word(expr[at - 1]);
    bool after = at + column.size() < expr.size() && word(expr[at + column.size()]);
    if (!before && !after) return true;
  }
  return false;
}

// A referential action that changes the child row (MySQL family: such a column cannot be in a CHECK).
bool changes_child(const std::string& action) {
  return action == "CASCADE" || action == "SET NULL" || action == "SET DEFAULT";
}

class Validator {
 public:
  Validator(const Registry& reg, Diagnostics& diags) : reg_(reg), diags_(diags) {}

  void run() {
    if (reg_.name.empty()) {
      if (reg_.pos.file.empty()) return;  // already reported: no registry file
      diags_.error(reg_.pos, "registry", "the registry needs a name");
    } else if (!is_cpp_identifier(reg_.name)) {
      diags_.error(reg_.pos, "registry", "registry name '" + reg_.name + "' must be an identifier");
    }
    check_namespace();
    check_tidb_options();
    std::map<std::string, const EntitySpec*> entities;
    std::map<std::string, SourcePos> tables, functions;
    for (const auto& e : reg_.entities) {
      if (!e.name.empty()) {
        auto [it, inserted] = entities.emplace(e.name, &e);
        if (!inserted)
          diags_.error(e.pos, "entity", "duplicate entity '" + e.name + "' (also in " + it->second->file + ")");
        if (!is_cpp_identifier(e.name))
          diags_.error(e.pos, "entity", "entity name '" + e.name + "' must be an identifier");
      }
      for (const auto& t : e.tables) {
        auto [it, inserted] = tables.emplace(t.name, t.pos);
        if (!inserted)
          diags_.error(t.pos, t.name, "duplicate table '" + t.name + "' (first defined at " + it->second.str() + ")");
      }
      for (const auto& en : e.enums)
        if (!en.cpp_name.empty() && !is_cpp_identifier(en.cpp_name))
          diags_.error(en.pos, "enums." + en.name + ".cpp_name", "'" + en.cpp_name + "' is not a C++ identifier");
      for (const auto& f : e.functions) {
        auto [it, inserted] = functions.emplace(f.name, f.pos);
        if (!inserted)
          diags_.error(f.pos, f.name,
                       "duplicate function '" + f.name + "' (first defined at " + it->second.str() + ")");
      }
    }
    for (const auto& e : reg_.entities) {
      for (const auto& t : e.tables) check_table(t);
      for (const auto& v : e.views) {
        check_depends(v.depends_on, v.pos, v.name);
        for (const auto& ix : v.indexes) {
          for (const auto& k : ix.keys)
            if (k.expression.empty() && k.column.empty()) diags_.error(k.pos, v.name, "index key needs a column");
          check_index_words(ix, v.name);
        }
      }
      for (const auto& f : e.functions) check_depends(f.depends_on, f.pos, f.name);
    }
  }

 private:
  void check_namespace() {
    if (reg_.cpp_namespace_pos.file.empty()) return;  // derived from the name, which is checked itself
    std::string ns = reg_.cpp_namespace;
    std::size_t start = 0;
    while (true) {
      auto sep = ns.find("::", start);
      std::string part = ns.substr(start, sep == std::string::npos ? std::string::npos : sep - start);
      if (!is_cpp_identifier(part)) {
        diags_.error(reg_.cpp_namespace_pos, "codegen.namespace",
                     "'" + ns + "' is not a C++ namespace (parts separated by ::)");
        return;
      }
      if (sep == std::string::npos) return;
      start = sep + 2;
    }
  }

  void check_tidb_options() {
    auto check = [&](const std::string& value, const SourcePos& pos, const char* key) {
      if (pos.file.empty() || is_sql_word(value)) return;
      diags_.error(pos, std::string("tidb.") + key,
                   "'" + value + "' is not a " + key + " name (letters, digits and underscores only)");
    };
    check(reg_.tidb_charset, reg_.tidb_charset_pos, "charset");
    check(reg_.tidb_collation, reg_.tidb_collation_pos, "collation");
  }

  // The parts of an index that are SQL words rather than names or expressions.
  void check_index_words(const IndexSpec& ix, const std::string& path) {
    std::set<std::string> reported;
    for (const auto& k : ix.keys)
      if (!k.opclass.empty() && !is_qualified_name(k.opclass) && reported.insert(k.opclass).second)
        diags_.error(
            k.pos.file.empty() ? ix.pos : k.pos, path,
            "operator class '" + k.opclass + "' is not a name (letters, digits and underscores, or schema.name)");
    for (const auto& [key, value] : ix.with) {
      if (!is_sql_name(key))
        diags_.error(ix.pos, path + ".with",
                     "storage parameter '" + key + "' is not a name (letters, digits and underscores)");
      else if (!is_parameter_value(value))
        diags_.error(ix.pos, path + ".with." + key,
                     "storage parameter value '" + value + "' must be a number or a word (letters, digits, _ and .)");
    }
  }

  void check_exclusion_words(const ExclusionSpec& x, const std::string& path) {
    if (!is_sql_name(x.method))
      diags_.error(x.pos, path, "exclusion method '" + x.method + "' is not a name (letters, digits and underscores)");
    for (const auto& e : x.elements)
      if (!e.op.empty() && !is_operator(e.op))
        diags_.error(e.pos, path,
                     "exclusion operator '" + e.op +
                         "' is not an operator (only + - * / < > = ~ ! @ # % ^ & | ` ?, "
                         "without -- or /*)");
  }

  std::vector<std::string> table_names() const {
    std::vector<std::string> out;
    for (const auto& e : reg_.entities)
      for (const auto& t : e.tables) out.push_back(t.name);
    return out;
  }

  std::vector<std::string> relation_names() const {
    auto out = table_names();
    for (const auto& e : reg_.entities)
      for (const auto& v : e.views) out.push_back(v.name);
    return out;
  }

  void check_depends(const std::vector<std::string>& deps, const SourcePos& pos, const std::string& path) {
    auto names = relation_names();
    for (const auto& d : deps)
      if (std::find(names.begin(), names.end(), d) == names.end())
        diags_.error(pos, path + ".depends_on", "unknown table or view '" + d + "'" + did_you_mean(d, names));
  }

  std::vector<std::string> column_names(const TableSpec& t) const {
    std::vector<std::string> out;
    for (const auto& f : t.fields) out.push_back(f.name);
    return out;
  }

  // Reports each name in `cols` that is not a column of `t`; true if all exist.
  bool check_columns(const TableSpec& t, const std::vector<std::string>& cols, const SourcePos& pos,
                     const std::string& path, const std::string& what) {
    bool ok = true;
    auto names = column_names(t);
    for (const auto& c : cols) {
      if (!t.field(c)) {
        diags_.error(pos, path, what + ": unknown column '" + c + "' in table " + t.name + did_you_mean(c, names));
        ok = false;
      }
    }
    if (cols.empty()) {
      diags_.error(pos, path, what + ": needs at least one column");
      ok = false;
    }
    std::set<std::string> seen;
    for (const auto& c : cols)
      if (!seen.insert(c).second) {
        diags_.error(pos, path, what + ": column '" + c + "' is listed twice");
        ok = false;
      }
    return ok;
  }

  void check_table(const TableSpec& t) {
    const std::string& path = t.name;
    if (!t.cpp_name.empty() && !is_cpp_identifier(t.cpp_name))
      diags_.error(t.pos, path + ".cpp_name", "'" + t.cpp_name + "' is not a C++ identifier");
    bool column_pk = std::any_of(t.fields.begin(), t.fields.end(), [](const FieldSpec& f) { return f.primary_key; });
    int column_pk_count = static_cast<int>(
        std::count_if(t.fields.begin(), t.fields.end(), [](const FieldSpec& f) { return f.primary_key; }));
    if (column_pk && !t.primary_key.empty())
      diags_.error(t.primary_key_pos, path, "primary key declared twice: on a column and in 'primary_key:' (keep one)");
    if (column_pk_count > 1)
      diags_.error(t.pos, path,
                   "more than one column says primary_key: true; list a composite key under 'primary_key:'");
    if (!t.primary_key.empty()) check_columns(t, t.primary_key, t.primary_key_pos, path, "primary key");
    for (const auto& key : t.key_columns()) {
      const FieldSpec* f = t.field(key);
      if (f && f->nullable_given && f->nullable)
        diags_.error(f->pos, path + "." + f->name, "a primary-key column cannot be nullable");
    }
    if (t.external) {
      if (!t.indexes.empty() || !t.checks.empty() || !t.uniques.empty() || !t.foreign_keys.empty() ||
          !t.exclusions.empty() || t.rows)
        diags_.error(t.pos, path,
                     "an external table is only referenced: it cannot declare indexes, constraints or rows");
      if (t.key_columns().empty())
        diags_.error(t.pos, path, "an external table needs its primary key, to be referenced");
    }
    std::set<std::string> cpp_names, field_names;
    for (const auto& f : t.fields) {
      // A repeated column key was reported by the loader; its C++ name would only repeat that.
      if (!field_names.insert(f.name).second) continue;
      check_field(t, f, cpp_names);
    }
    for (const auto& u : t.uniques) check_columns(t, u.columns, u.pos, path, "unique constraint");
    // Two unique constraints on the same columns: Postgres keeps one of them silently, so the
    // database would not match the registry.
    std::map<std::set<std::string>, SourcePos> unique_sets;
    for (const auto& f : t.fields)
      if (f.unique) unique_sets.emplace(std::set<std::string>{f.name}, f.pos);
    for (const auto& u : t.uniques) {
      auto [it, inserted] = unique_sets.emplace(std::set<std::string>(u.columns.begin(), u.columns.end()), u.pos);
      if (!inserted && !u.columns.empty())
        diags_.error(
            u.pos, path,
            "a unique constraint on (" + join(u.columns, ", ") + ") is already declared at " + it->second.str());
    }
    for (const auto& c : t.checks)
      if (!c.column.empty()) check_columns(t, {c.column}, c.pos, path, "check");
    for (const auto& fk : t.foreign_keys)
      if (check_columns(t, fk.columns, fk.pos, path, "foreign key")) check_foreign_key(t, fk, path);
    check_fk_actions_and_checks(t);
    for (const auto& ix : t.indexes) check_index(t, ix, path);
    for (const auto& x : t.exclusions) {
      for (const auto& e : x.elements)
        if (!e.column.empty()) check_columns(t, {e.column}, e.pos, path, "exclusion constraint");
      check_exclusion_words(x, path);
    }
    check_duplicate_exclusions(t, path);
    if (t.rows) check_rows(t, *t.rows);
  }

  // Two exclusion constraints alike but for their names: CREATE TABLE keeps only the first one
  // (Postgres drops an index constraint equal to an earlier one), ALTER TABLE ... ADD makes both,
  // so install.sql and a migration would leave different databases.
  void check_duplicate_exclusions(const TableSpec& t, const std::string& path) {
    auto key = [](const ExclusionSpec& x) {
      std::string k = x.method + "\n" + x.where;
      for (const auto& e : x.elements) k += "\n" + e.column + "\t" + e.expression + "\t" + e.op;
      return k;
    };
    std::map<std::string, SourcePos> seen;
    for (const auto& x : t.exclusions) {
      auto [it, inserted] = seen.emplace(key(x), x.pos);
      if (!inserted)
        diags_.error(x.pos, path,
                     "exclusion constraint" + (x.name.empty() ? std::string() : " '" + x.name + "'") +
                         " is the same as the one declared at " + it->second.str() +
                         " (Postgres keeps only one of them)");
    }
  }

  // MySQL-family servers refuse a CHECK on a column that a foreign key's ON DELETE / ON UPDATE
  // CASCADE, SET NULL or SET DEFAULT would change (MySQL 3823, MariaDB 1901): the table cannot be
  // created on TiDB.
  void check_fk_actions_and_checks(const TableSpec& t) {
    std::vector<const ForeignKeySpec*> fks;
    std::vector<ForeignKeySpec> from_fields;
    for (const auto& f : t.fields)
      if (f.references) {
        ForeignKeySpec fk = *f.references;
        if (fk.columns.empty()) fk.columns = {f.name};
        from_fields.push_back(std::move(fk));
      }
    for (const auto& fk : t.foreign_keys) fks.push_back(&fk);
    for (const auto& fk : from_fields) fks.push_back(&fk);
    std::vector<std::pair<const CheckSpec*, std::string>> checks;  // with the column it is declared on
    for (const auto& c : t.checks) checks.emplace_back(&c, c.column);
    for (const auto& f : t.fields)
      if (f.check) checks.emplace_back(&*f.check, f.name);
    for (const ForeignKeySpec* fk : fks) {
      if (!on_tidb(fk->dialects)) continue;
      std::string action = changes_child(fk->on_delete)   ? "ON DELETE " + fk->on_delete
                           : changes_child(fk->on_update) ? "ON UPDATE " + fk->on_update
                                                          : "";
      if (action.empty()) continue;
      for (const auto& column : fk->columns)
        for (const auto& [check, declared_on] : checks) {
          if (!on_tidb(check->dialects)) continue;
          const std::string* expr = check->expr.get(DialectId::tidb);
          bool uses = declared_on == column || (expr && mentions(*expr, column));
          if (!uses) continue;
          diags_.error(check->pos, t.name + "." + column,
                       "a check on " + t.name + "." + column + " while its foreign key has " + action +
                           ": TiDB and MySQL refuse a CHECK on a column that a referential action changes "
                           "(MySQL error 3823, MariaDB 1901). Use on_delete/on_update restrict (or no action), "
                           "or give the check `dialects: [postgres]`");
        }
    }
  }

  void check_field(const TableSpec& t, const FieldSpec& f, std::set<std::string>& cpp_names) {
    std::string path = t.name + "." + f.name;
    if (f.description.size() > 1024)
      diags_.error(f.pos, path + ".description",
                   "the description is " + std::to_string(f.description.size()) +
                       " bytes; TiDB and MySQL keep at most 1024 bytes in a column comment (shorten it)");
    if (!f.cpp_name.empty() && !is_cpp_identifier(f.cpp_name))
      diags_.error(f.pos, path + ".cpp_name", "'" + f.cpp_name + "' is not a C++ identifier");
    std::string cpp = f.cpp_name.empty() ? f.name : f.cpp_name;
    if (!cpp_names.insert(cpp).second)
      diags_.error(f.pos, path, "C++ member name '" + cpp + "' is used twice in " + t.name);
    const EnumSpec* en = nullptr;
    if (f.type.kind == TypeKind::enum_) {
      en = reg_.enum_type(f.type.enum_name);
      if (!en) {
        std::vector<std::string> names;
        for (const auto& e : reg_.entities)
          for (const auto& x : e.enums) names.push_back(x.name);
        diags_.error(f.type_pos, path,
                     "unknown enum '" + f.type.enum_name + "'" + did_you_mean(f.type.enum_name, names));
      }
    }
    auto check_enum_value = [&](const Literal& lit, const std::string& where) {
      if (!en || lit.kind == Literal::Kind::null) return;
      if (std::find(en->values.begin(), en->values.end(), lit.text) == en->values.end())
        diags_.error(lit.pos, path + where,
                     "'" + lit.text + "' is not a value of enum " + en->name + " (" + join(en->values, ", ") + ")" +
                         did_you_mean(lit.text, en->values));
    };
    if (f.default_value.kind == DefaultSpec::Kind::literal) check_enum_value(f.default_value.literal, ".default");
    if (f.type_ok && f.default_value.kind == DefaultSpec::Kind::expr) check_named_default(f, f.default_value, path);
    if (f.default_value.kind == DefaultSpec::Kind::literal && f.default_value.literal.kind == Literal::Kind::null &&
        f.nullable_given && !f.nullable)
      diags_.error(f.default_value.pos, path + ".default", "a NOT NULL column cannot default to null");
    if (f.check && f.check->kind == CheckSpec::Kind::in_list)
      for (const auto& v : f.check->values) check_enum_value(v, ".check");
    if (f.references) {
      ForeignKeySpec fk = *f.references;
      check_foreign_key(t, fk, path + ".references");
    }
    if (f.primary_key && f.type.kind == TypeKind::list)
      diags_.error(f.pos, path, "a list column cannot be a primary key");
  }

  void check_named_default(const FieldSpec& f, const DefaultSpec& d, const std::string& path) {
    TypeKind k = f.type.kind;
    bool ok = true;
    if (d.expr == "now")
      ok = k == TypeKind::timestamp || k == TypeKind::timestamptz;
    else if (d.expr == "current_date")
      ok = k == TypeKind::date;
    else if (d.expr == "uuid")
      ok = k == TypeKind::uuid || k == TypeKind::string || k == TypeKind::text;
    else if (d.expr == "empty_object")
      ok = k == TypeKind::json;
    else if (d.expr == "empty_array")
      ok = k == TypeKind::json || k == TypeKind::list;
    if (!ok)
      diags_.error(d.pos, path + ".default", "default '" + d.expr + "' does not fit a " + f.type.str() + " column");
  }

  void check_foreign_key(const TableSpec& t, const ForeignKeySpec& fk, const std::string& path) {
    const TableSpec* target = reg_.table(fk.ref_table);
    if (!target) {
      diags_.error(fk.pos, path,
                   "references unknown table '" + fk.ref_table + "'" + did_you_mean(fk.ref_table, table_names()));
      return;
    }
    std::vector<std::string> ref_cols = fk.ref_columns.empty() ? target->key_columns() : fk.ref_columns;
    if (ref_cols.empty()) {
      diags_.error(fk.pos, path, "table " + target->name + " has no primary key; name the referenced column(s)");
      return;
    }
    if (!check_columns(*target, ref_cols, fk.pos, path, "referenced columns")) return;
    if (ref_cols.size() != fk.columns.size()) {
      diags_.error(fk.pos, path,
                   "foreign key has " + std::to_string(fk.columns.size()) + " column(s) but references " +
                       std::to_string(ref_cols.size()));
      return;
    }
    for (std::size_t i = 0; i < ref_cols.size(); ++i) {
      const FieldSpec* from = t.field(fk.columns[i]);
      const FieldSpec* to = target->field(ref_cols[i]);
      if (from && to && !fk_compatible(from->type, to->type))
        diags_.error(fk.pos, path,
                     "foreign key type mismatch: " + t.name + "." + from->name + " is " + from->type.str() + " but " +
                         target->name + "." + to->name + " is " + to->type.str());
      if (from && fk.on_delete == "SET NULL" && !from->nullable)
        diags_.error(fk.pos, path, "ON DELETE SET NULL on " + t.name + "." + from->name + ", which is NOT NULL");
      // TiDB wants a foreign key's columns exactly like the referenced ones: same length and precision.
      auto tidb_override = [](const FieldSpec* f) { return f->overrides.count(DialectId::tidb) > 0; };
      if (from && to && on_tidb(fk.dialects) && fk_compatible(from->type, to->type) && !tidb_override(from) &&
          !tidb_override(to) && from->type.kind == to->type.kind &&
          (from->type.length != to->type.length || from->type.precision != to->type.precision ||
           from->type.scale != to->type.scale))
        diags_.error(fk.pos, path,
                     "foreign key " + t.name + "." + from->name + " is " + from->type.str() + " but " + target->name +
                         "." + to->name + " is " + to->type.str() +
                         ": TiDB requires a foreign key's columns to have the referenced columns' exact type "
                         "(the same length and precision); make them the same");
    }
    if (on_tidb(fk.dialects))
      for (const auto& [when, action] : {std::pair<std::string, std::string>{"ON DELETE", fk.on_delete},
                                         std::pair<std::string, std::string>{"ON UPDATE", fk.on_update}})
        if (action == "SET DEFAULT")
          diags_.error(fk.pos, path,
                       when +
                           " SET DEFAULT: TiDB (like MySQL's InnoDB) accepts it but acts as RESTRICT, so the "
                           "rows would not get their default there; use restrict, set null or cascade, or give "
                           "the key `dialects: [postgres]`");
    // The referenced columns must be a primary key or unique: databases refuse otherwise.
    auto same = [&](const std::vector<std::string>& cols) {
      return std::is_permutation(cols.begin(), cols.end(), ref_cols.begin(), ref_cols.end());
    };
    bool keyed = same(target->key_columns());
    for (const auto& u : target->uniques) keyed = keyed || same(u.columns);
    for (const auto& f : target->fields) keyed = keyed || (f.unique && same({f.name}));
    for (const auto& ix : target->indexes) {
      std::vector<std::string> cols;
      for (const auto& k : ix.keys) cols.push_back(k.column);
      keyed = keyed || (ix.unique && ix.where.empty() && same(cols));
    }
    if (!keyed)
      diags_.error(
          fk.pos, path,
          "referenced columns " + target->name + "(" + join(ref_cols, ", ") + ") are not a primary key or unique");
  }

  void check_index(const TableSpec& t, const IndexSpec& ix, const std::string& path) {
    std::vector<std::string> cols;
    for (const auto& k : ix.keys)
      if (k.expression.empty()) cols.push_back(k.column);
    if (!cols.empty()) check_columns(t, cols, ix.pos, path, "index");
    if (!ix.include.empty()) check_columns(t, ix.include, ix.pos, path, "index include");
    check_index_words(ix, path);
  }

  void check_rows(const TableSpec& t, const RowsSpec& rows) {
    std::string path = t.name + ".rows";
    auto key = rows.key.empty() ? t.key_columns() : rows.key;
    if (key.empty()) {
      diags_.error(rows.pos, path, "reference rows need a key (the table has no primary key): give 'key:'");
      return;
    }
    if (!check_columns(t, key, rows.pos, path, "rows key")) return;
    auto same = [&](const std::vector<std::string>& cols) {
      return std::is_permutation(cols.begin(), cols.end(), key.begin(), key.end());
    };
    bool keyed = same(t.key_columns());
    for (const auto& u : t.uniques) keyed = keyed || same(u.columns);
    for (const auto& f : t.fields) keyed = keyed || (f.unique && same({f.name}));
    if (!keyed)
      diags_.error(rows.pos, path, "rows key (" + join(key, ", ") + ") must be the primary key or a unique constraint");
    check_rows_distinct(t, rows, key);
    for (const auto& row : rows.rows) {
      for (const auto& [col, lit] : row.values)
        if (!t.field(col))
          diags_.error(lit.pos, path,
                       "unknown column '" + col + "' in table " + t.name + did_you_mean(col, column_names(t)));
      for (const auto& f : t.fields) {
        bool given =
            std::any_of(row.values.begin(), row.values.end(), [&](const auto& p) { return p.first == f.name; });
        bool required = !f.nullable && f.default_value.kind == DefaultSpec::Kind::none &&
                        f.type.kind != TypeKind::serial && f.type.kind != TypeKind::bigserial;
        if (!given && required)
          diags_.error(row.pos, path, "row leaves out " + f.name + ", which is NOT NULL and has no default");
      }
    }
  }

  // Two rows that a unique holds apart would fail the install on Postgres and be dropped by TiDB's
  // INSERT IGNORE: the same values, as the column's type holds them (1 and 1.0 in an int; NULLs are
  // distinct), in every column of the primary key, a unique constraint, a unique column or a plain
  // unique index. What only one dialect compares as equal (a collation) is found when lowering.
  void check_rows_distinct(const TableSpec& t, const RowsSpec& rows, const std::vector<std::string>& key) {
    auto form = [&](const std::string& column, const Literal& lit) { return value_form(t, column, lit); };
    std::set<std::vector<std::string>> reported;
    for (const auto& set : unique_sets(t, key)) {
      if (!reported.insert(set.columns).second) continue;
      for (const auto& c : clashes(rows, set.columns, form)) {
        if (set.is_rows_key) {
          diags_.error(c.later->pos, t.name + ".rows",
                       "duplicate row key (" + join(written(*c.later, set.columns), ", ") + ")" +
                           (written(*c.later, set.columns) == written(*c.first, set.columns)
                                ? ""
                                : ": the row at line " + std::to_string(c.first->pos.line) + " has (" +
                                      join(written(*c.first, set.columns), ", ") + "), the same value"));
          continue;
        }
        diags_.error(c.later->pos, t.name + ".rows",
                     "this row and the row at line " + std::to_string(c.first->pos.line) + " have the same (" +
                         join(set.columns, ", ") + ") = (" + join(written(*c.later, set.columns), ", ") + ")" +
                         (written(*c.later, set.columns) == written(*c.first, set.columns)
                              ? ""
                              : " and (" + join(written(*c.first, set.columns), ", ") + ")") +
                         ", which " + set.what + " requires to be distinct");
      }
    }
  }

  const Registry& reg_;
  Diagnostics& diags_;
};

}  // namespace

void validate(const Registry& reg, Diagnostics& diagnostics) {
  Validator(reg, diagnostics).run();
}

}  // namespace schemactl::registry
