#include "registry/loader.hpp"

#include <yaml-cpp/exceptions.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "registry/yaml_tree.hpp"
#include "util/parallel.hpp"
#include "util/text.hpp"

namespace schemactl::registry {
namespace {

// A map's value for `key`, or an undefined node.
yaml::Node child(const yaml::Node& map, const char* key) {
  if (map.IsMap())
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return yaml::Node();
}

using Keys = std::vector<std::string>;

// Reads one file's nodes, reporting problems with the file's name and the node's position.
class Reader {
 public:
  Reader(std::string file, Diagnostics& diagnostics) : file_(std::move(file)), diags_(diagnostics) {}

  SourcePos pos(const yaml::Node& n) const {
    auto mark = n.Mark();
    if (mark.is_null()) return SourcePos{file_, 0, 0};
    return SourcePos{file_, mark.line + 1, mark.column + 1};
  }

  void error(const yaml::Node& n, const std::string& path, const std::string& message) {
    auto mark = n.Mark();
    if (!mark.is_null() && cut_values_.count({mark.line, mark.column})) return;  // reported as cut already
    diags_.error(pos(n), path, message);
  }

  // True when `n` is a map whose keys are all in `allowed` (each reported otherwise).
  bool check_map(const yaml::Node& n, const std::string& path, const Keys& allowed) {
    if (!n.IsMap()) {
      error(n, path, std::string("expected a mapping") + shape_hint(n));
      return false;
    }
    std::set<std::string> seen;
    const auto entries = std::vector<yaml::Entry>(n.begin(), n.end());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto& e = entries[i];
      std::string key = e.first.IsScalar() ? e.first.Scalar() : std::string("?");
      if (!seen.insert(key).second) error(e.first, path, "duplicate key '" + key + "'");
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        if (std::size_t end = cut_at_comma(entries, i, path); end > i) {
          i = end - 1;
          continue;
        }
        error(e.first, path, "unknown key '" + key + "'" + did_you_mean(key, allowed));
      }
    }
    return true;
  }

  // `{ type: decimal(12,2) }`: in a flow mapping a plain value ends at a comma, so YAML reads the
  // value 'decimal(12' and a key '2)' without a value. When entries[i] is such a key (and perhaps the
  // ones after it), reports the cut value once, at its own position, with the fix (quote it), marks the
  // value so that no other message is given about it, and returns the index after the last piece;
  // else returns i.
  std::size_t cut_at_comma(const std::vector<yaml::Entry>& entries, std::size_t i, const std::string& path) {
    if (i == 0) return i;
    const yaml::Entry& before = entries[i - 1];
    auto open_parens = [](const std::string& t) {
      return std::count(t.begin(), t.end(), '(') - std::count(t.begin(), t.end(), ')');
    };
    if (!before.second.IsScalar() || before.second.Tag() != "?" || open_parens(before.second.Scalar()) <= 0) return i;
    std::string whole = before.second.Scalar();
    long open = open_parens(whole);
    std::size_t end = i;
    while (end < entries.size() && open > 0 && entries[end].first.IsScalar() && entries[end].first.Tag() == "?" &&
           entries[end].second.IsNull()) {
      whole += "," + entries[end].first.Scalar();
      open += open_parens(entries[end].first.Scalar());
      ++end;
    }
    if (end == i || open != 0) return i;
    auto mark = before.second.Mark();
    diags_.error(pos(before.second), path,
                 "'" + before.second.Scalar() +
                     "' was cut at a comma: in a flow mapping `{ ... }` a plain value ends "
                     "at ','; quote the value: " +
                     before.first.Scalar() + ": \"" + whole + "\"");
    cut_values_.insert({mark.line, mark.column});
    return end;
  }

  // A map used as a dictionary (names -> definitions): duplicates are errors.
  bool check_dictionary(const yaml::Node& n, const std::string& path, const char* what) {
    if (!n.IsMap()) {
      error(n, path, std::string("expected a mapping of ") + what + shape_hint(n));
      return false;
    }
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) {
        error(it->first, path, std::string("expected a name for a ") + what);
        return false;
      }
      if (!seen.insert(it->first.Scalar()).second)
        error(it->first, path, std::string("duplicate ") + what + " '" + it->first.Scalar() + "'");
    }
    return true;
  }

  std::optional<std::string> scalar(const yaml::Node& n, const std::string& path) {
    if (!n.IsScalar()) {
      error(n, path, std::string("expected a scalar") + shape_hint(n));
      return std::nullopt;
    }
    return n.Scalar();
  }

  std::string string_or(const yaml::Node& map, const char* key, const std::string& path, std::string fallback = {}) {
    yaml::Node n = child(map, key);
    if (!n) return fallback;
    if (n.IsNull()) return fallback;
    auto s = scalar(n, path + "." + key);
    return s ? *s : fallback;
  }

  std::optional<bool> boolean(const yaml::Node& n, const std::string& path) {
    if (!n.IsScalar()) {
      error(n, path, "expected true or false" + shape_hint(n));
      return std::nullopt;
    }
    const std::string& s = n.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
    error(n, path, "expected true or false, not '" + s + "'");
    return std::nullopt;
  }

  bool bool_or(const yaml::Node& map, const char* key, const std::string& path, bool fallback) {
    yaml::Node n = child(map, key);
    if (!n) return fallback;
    auto b = boolean(n, path + "." + key);
    return b ? *b : fallback;
  }

  // A name list written as a sequence (or a single scalar).
  std::vector<std::string> names(const yaml::Node& n, const std::string& path) {
    std::vector<std::string> out;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
    } else if (n.IsSequence()) {
      for (const auto& item : n)
        if (auto s = scalar(item, path)) out.push_back(*s);
    } else {
      error(n, path, "expected a list of names" + shape_hint(n));
    }
    return out;
  }

  std::vector<DialectId> dialects(const yaml::Node& map, const std::string& path) {
    std::vector<DialectId> out;
    yaml::Node n = child(map, "dialects");
    if (!n) return out;
    auto list = names(n, path + ".dialects");
    std::size_t i = 0;
    for (const auto& s : list) {
      auto d = parse_dialect(s);
      yaml::Node at = n.IsSequence() ? n[i] : n;
      if (!d)
        error(at, path + ".dialects", "unknown dialect '" + s + "'" + did_you_mean(s, {"postgres", "tidb"}));
      else if (std::find(out.begin(), out.end(), *d) == out.end())
        out.push_back(*d);
      ++i;
    }
    if (n && list.empty()) error(n, path + ".dialects", "an empty dialects list leaves the object nowhere");
    return out;
  }

  // `sql: text` or `sql: { postgres: ..., tidb: ... }`.
  PerDialectSql per_dialect(const yaml::Node& n, const std::string& path) {
    PerDialectSql out;
    if (n.IsScalar()) {
      out.common = n.Scalar();
    } else if (check_map(n, path, {"postgres", "tidb"})) {
      for (auto it = n.begin(); it != n.end(); ++it) {
        auto d = parse_dialect(it->first.Scalar());
        if (!d) continue;
        if (auto s = scalar(it->second, path + "." + it->first.Scalar())) out.specific[*d] = *s;
      }
    }
    return out;
  }

  Literal literal(const yaml::Node& n, const std::string& path) {
    Literal lit;
    lit.pos = pos(n);
    if (n.IsNull()) return lit;
    if (!n.IsScalar()) {
      error(n, path, "expected a literal value" + shape_hint(n));
      return lit;
    }
    lit.text = n.Scalar();
    if (n.Tag() == "!") {  // quoted: always a string
      lit.kind = Literal::Kind::string;
    } else if (lit.text == "true" || lit.text == "false") {
      lit.kind = Literal::Kind::boolean;
    } else if (lit.text == "null" || lit.text == "~") {
      lit.kind = Literal::Kind::null;
    } else if (is_number(lit.text)) {
      lit.kind = Literal::Kind::number;
    } else {
      lit.kind = Literal::Kind::string;
    }
    return lit;
  }

  std::optional<int> positive_int(const yaml::Node& n, const std::string& path) {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      if (!s.empty() && s.size() < 7 && std::all_of(s.begin(), s.end(), ::isdigit) && std::stoi(s) > 0)
        return std::stoi(s);
    }
    error(n, path, "expected a positive whole number");
    return std::nullopt;
  }

  const std::string& file() const { return file_; }

 private:
  static bool is_number(const std::string& s) {
    if (s.empty()) return false;
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    bool digits = false, dot = false;
    for (; i < s.size(); ++i) {
      if (std::isdigit(static_cast<unsigned char>(s[i])))
        digits = true;
      else if (s[i] == '.' && !dot)
        dot = true;
      else
        return false;
    }
    return digits;
  }

  static std::string shape_hint(const yaml::Node& n) {
    if (n.IsSequence()) return ", found a list";
    if (n.IsMap()) return ", found a mapping";
    if (n.IsNull()) return ", found nothing";
    if (n.IsScalar()) return ", found '" + n.Scalar() + "'";
    return "";
  }

  std::string file_;
  Diagnostics& diags_;
  std::set<std::pair<int, int>> cut_values_;  // (line, column) of values cut at a comma, already reported
};

std::string upper_words(const std::string& s) {
  return to_upper(trim(s));
}

class EntityLoader {
 public:
  EntityLoader(Reader& r, Registry& reg) : r_(r), reg_(reg) {}

  void load(const yaml::Node& root) {
    EntitySpec entity;
    entity.file = r_.file();
    entity.pos = r_.pos(child(root, "entity"));
    r_.check_map(root, "", {"entity", "description", "enums", "tables", "views", "materialized_views", "functions"});
    if (auto s = r_.scalar(child(root, "entity"), "entity")) entity.name = *s;
    entity.description = r_.string_or(root, "description", entity.name);
    if (auto n = child(root, "enums"); n && r_.check_dictionary(n, "enums", "enum"))
      for (auto it = n.begin(); it != n.end(); ++it)
        entity.enums.push_back(load_enum(it->first, it->second, entity.name));
    if (auto n = child(root, "tables"); n && r_.check_dictionary(n, "tables", "table"))
      for (auto it = n.begin(); it != n.end(); ++it)
        entity.tables.push_back(load_table(it->first, it->second, entity.name));
    if (auto n = child(root, "views"); n && r_.check_dictionary(n, "views", "view"))
      for (auto it = n.begin(); it != n.end(); ++it)
        entity.views.push_back(load_view(it->first, it->second, entity.name, false));
    if (auto n = child(root, "materialized_views");
        n && r_.check_dictionary(n, "materialized_views", "materialized view"))
      for (auto it = n.begin(); it != n.end(); ++it)
        entity.views.push_back(load_view(it->first, it->second, entity.name, true));
    if (auto n = child(root, "functions"); n && r_.check_dictionary(n, "functions", "function"))
      for (auto it = n.begin(); it != n.end(); ++it)
        entity.functions.push_back(load_function(it->first, it->second, entity.name));
    reg_.entities.push_back(std::move(entity));
  }

 private:
  EnumSpec load_enum(const yaml::Node& key, const yaml::Node& n, const std::string& entity) {
    EnumSpec e;
    e.name = key.Scalar();
    e.entity = entity;
    e.pos = r_.pos(key);
    std::string path = "enums." + e.name;
    yaml::Node values = n;
    if (n.IsMap()) {
      r_.check_map(n, path, {"values", "description", "cpp_name"});
      e.description = r_.string_or(n, "description", path);
      e.cpp_name = r_.string_or(n, "cpp_name", path);
      values = child(n, "values");
      if (!values) {
        r_.error(n, path, "missing required key 'values'");
        return e;
      }
    }
    e.values = r_.names(values, path + ".values");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < e.values.size(); ++i)
      if (!seen.insert(e.values[i]).second)
        r_.error(values[i], path + ".values", "duplicate enum value '" + e.values[i] + "'");
    if (e.values.empty()) r_.error(values, path, "an enum needs at least one value");
    return e;
  }

  TableSpec load_table(const yaml::Node& key, const yaml::Node& n, const std::string& entity) {
    TableSpec t;
    t.name = key.Scalar();
    t.entity = entity;
    t.pos = r_.pos(key);
    const std::string& path = t.name;
    if (!r_.check_map(n, path,
                      {"cpp_name", "description", "external", "renamed_from", "columns", "primary_key", "unique",
                       "checks", "foreign_keys", "indexes", "exclusions", "rows"}))
      return t;
    t.cpp_name = r_.string_or(n, "cpp_name", path);
    t.description = r_.string_or(n, "description", path);
    t.external = r_.bool_or(n, "external", path, false);
    if (auto rf = child(n, "renamed_from")) t.renamed_from = r_.names(rf, path + ".renamed_from");
    yaml::Node columns = child(n, "columns");
    if (!columns) {
      r_.error(n, path, "missing required key 'columns'");
    } else if (r_.check_dictionary(columns, path + ".columns", "column")) {
      for (auto it = columns.begin(); it != columns.end(); ++it)
        t.fields.push_back(load_field(it->first, it->second, t.name));
      if (t.fields.empty()) r_.error(columns, path, "a table needs at least one column");
    }
    if (auto pk = child(n, "primary_key")) {
      t.primary_key = r_.names(pk, path + ".primary_key");
      t.primary_key_pos = r_.pos(pk);
    }
    for_each_item(child(n, "unique"), path + ".unique", [&](const yaml::Node& u, const std::string& p) {
      UniqueSpec spec;
      spec.pos = r_.pos(u);
      if (u.IsSequence()) {  // shorthand: a bare column list
        spec.columns = r_.names(u, p);
      } else if (r_.check_map(u, p, {"columns", "name", "dialects"})) {
        spec.name = r_.string_or(u, "name", p);
        spec.dialects = r_.dialects(u, p);
        if (auto c = child(u, "columns"))
          spec.columns = r_.names(c, p + ".columns");
        else
          r_.error(u, p, "missing required key 'columns'");
      }
      t.uniques.push_back(std::move(spec));
    });
    for_each_item(child(n, "checks"), path + ".checks", [&](const yaml::Node& c, const std::string& p) {
      if (auto spec = load_check(c, p, "")) t.checks.push_back(std::move(*spec));
    });
    for_each_item(child(n, "foreign_keys"), path + ".foreign_keys", [&](const yaml::Node& f, const std::string& p) {
      if (!r_.check_map(f, p, {"name", "columns", "references", "on_delete", "on_update", "dialects"})) return;
      ForeignKeySpec fk;
      fk.pos = r_.pos(f);
      fk.name = r_.string_or(f, "name", p);
      fk.dialects = r_.dialects(f, p);
      if (auto c = child(f, "columns"))
        fk.columns = r_.names(c, p + ".columns");
      else
        r_.error(f, p, "missing required key 'columns'");
      yaml::Node ref = child(f, "references");
      if (!ref) {
        r_.error(f, p, "missing required key 'references'");
      } else if (r_.check_map(ref, p + ".references", {"table", "columns", "column"})) {
        fk.ref_table = r_.string_or(ref, "table", p + ".references");
        if (auto c = child(ref, "columns"))
          fk.ref_columns = r_.names(c, p + ".references.columns");
        else if (auto c1 = child(ref, "column"))
          fk.ref_columns = r_.names(c1, p + ".references.column");
        if (fk.ref_table.empty()) r_.error(ref, p + ".references", "missing required key 'table'");
      }
      fk.on_delete = action(f, "on_delete", p);
      fk.on_update = action(f, "on_update", p);
      t.foreign_keys.push_back(std::move(fk));
    });
    for_each_item(child(n, "indexes"), path + ".indexes", [&](const yaml::Node& i, const std::string& p) {
      if (auto spec = load_index(i, p)) t.indexes.push_back(std::move(*spec));
    });
    for_each_item(child(n, "exclusions"), path + ".exclusions", [&](const yaml::Node& x, const std::string& p) {
      if (!r_.check_map(x, p, {"name", "method", "elements", "where", "dialects"})) return;
      ExclusionSpec ex;
      ex.pos = r_.pos(x);
      ex.name = r_.string_or(x, "name", p);
      ex.method = to_lower(r_.string_or(x, "method", p, "gist"));
      ex.where = r_.string_or(x, "where", p);
      ex.dialects = r_.dialects(x, p);
      for_each_item(child(x, "elements"), p + ".elements", [&](const yaml::Node& e, const std::string& ep) {
        if (!r_.check_map(e, ep, {"column", "expression", "operator"})) return;
        ExclusionElement el;
        el.pos = r_.pos(e);
        el.column = r_.string_or(e, "column", ep);
        el.expression = r_.string_or(e, "expression", ep);
        el.op = r_.string_or(e, "operator", ep);
        if (el.column.empty() == el.expression.empty()) r_.error(e, ep, "give exactly one of 'column' or 'expression'");
        if (el.op.empty()) r_.error(e, ep, "missing required key 'operator'");
        ex.elements.push_back(std::move(el));
      });
      if (ex.elements.empty()) r_.error(x, p, "an exclusion constraint needs at least one element");
      t.exclusions.push_back(std::move(ex));
    });
    if (auto rows = child(n, "rows")) t.rows = load_rows(rows, path + ".rows");
    return t;
  }

  FieldSpec load_field(const yaml::Node& key, const yaml::Node& n, const std::string& table) {
    FieldSpec f;
    f.name = key.Scalar();
    f.pos = r_.pos(key);
    std::string path = table + "." + f.name;
    yaml::Node type_node = n;
    if (n.IsMap()) {
      r_.check_map(n, path,
                   {"type", "nullable", "primary_key", "unique", "default", "check", "references", "description",
                    "cpp_name", "renamed_from", "postgres", "tidb"});
      type_node = child(n, "type");
      if (!type_node) {
        r_.error(n, path, "missing required key 'type'");
        return f;
      }
    } else if (!n.IsScalar()) {
      r_.error(n, path, "expected a type name or a mapping with 'type'");
      return f;
    }
    f.type_pos = r_.pos(type_node);
    if (auto text = r_.scalar(type_node, path + ".type")) {
      std::string err;
      if (auto type = parse_logical_type(*text, err)) {
        f.type = *type;
        f.type_ok = true;
      } else
        r_.error(type_node, path, err);
    }
    if (!n.IsMap()) return f;
    if (auto nn = child(n, "nullable")) {
      // An invalid value is reported once, here: it does not count as given (no follow-on errors).
      if (auto b = r_.boolean(nn, path + ".nullable")) {
        f.nullable = *b;
        f.nullable_given = true;
      }
    }
    f.primary_key = r_.bool_or(n, "primary_key", path, false);
    if (auto u = child(n, "unique")) {
      if (u.IsMap()) {
        r_.check_map(u, path + ".unique", {"name"});
        f.unique = r_.string_or(u, "name", path + ".unique");
      } else if (auto b = r_.boolean(u, path + ".unique"); b && *b) {
        f.unique = std::string();
      }
    }
    if (auto d = child(n, "default")) f.default_value = load_default(d, path + ".default");
    if (auto c = child(n, "check")) f.check = load_check(c, path + ".check", f.name);
    if (auto ref = child(n, "references")) {
      if (r_.check_map(ref, path + ".references", {"table", "column", "on_delete", "on_update", "name", "dialects"})) {
        ForeignKeySpec fk;
        fk.pos = r_.pos(ref);
        fk.columns = {f.name};
        fk.ref_table = r_.string_or(ref, "table", path + ".references");
        std::string col = r_.string_or(ref, "column", path + ".references");
        if (!col.empty()) fk.ref_columns = {col};
        if (fk.ref_table.empty()) r_.error(ref, path + ".references", "missing required key 'table'");
        fk.name = r_.string_or(ref, "name", path + ".references");
        fk.on_delete = action(ref, "on_delete", path + ".references");
        fk.on_update = action(ref, "on_update", path + ".references");
        fk.dialects = r_.dialects(ref, path + ".references");
        f.references = std::move(fk);
      }
    }
    f.description = r_.string_or(n, "description", path);
    f.cpp_name = r_.string_or(n, "cpp_name", path);
    if (auto rf = child(n, "renamed_from")) f.renamed_from = r_.names(rf, path + ".renamed_from");
    for (DialectId d : kAllDialects) {
      std::string dname = dialect_name(d);
      yaml::Node o = child(n, dname.c_str());
      if (!o) continue;
      std::string opath = path + "." + dname;
      if (!r_.check_map(o, opath, {"type", "default", "on_update"})) continue;
      ColumnOverride ov;
      ov.pos = r_.pos(o);
      ov.type = r_.string_or(o, "type", opath);
      if (auto dd = child(o, "default")) ov.default_value = load_default(dd, opath + ".default");
      if (auto u = child(o, "on_update")) {
        // What the server sets the column to on UPDATE; whether the dialect has it is lowering's call.
        static const Keys kOnUpdate = {"now"};
        ov.on_update_pos = r_.pos(u);
        if (auto s = r_.scalar(u, opath + ".on_update")) {
          if (std::find(kOnUpdate.begin(), kOnUpdate.end(), *s) == kOnUpdate.end())
            r_.error(u, opath + ".on_update",
                     "unknown on_update expression '" + *s + "'" + did_you_mean(*s, kOnUpdate) +
                         "; known: " + join(kOnUpdate, ", "));
          else
            ov.on_update = *s;
        }
      }
      f.overrides[d] = std::move(ov);
    }
    return f;
  }

  DefaultSpec load_default(const yaml::Node& n, const std::string& path) {
    DefaultSpec d;
    d.pos = r_.pos(n);
    if (n.IsMap()) {
      if (!r_.check_map(n, path, {"expr", "sql"})) return d;
      if (child(n, "expr") && child(n, "sql")) {
        r_.error(n, path, "give either 'expr' or 'sql', not both");
        return d;
      }
      if (auto e = child(n, "expr")) {
        static const Keys kExprs = {"now", "uuid", "empty_object", "empty_array", "current_date"};
        if (auto s = r_.scalar(e, path + ".expr")) {
          if (std::find(kExprs.begin(), kExprs.end(), *s) == kExprs.end()) {
            r_.error(e, path,
                     "unknown default expression '" + *s + "'" + did_you_mean(*s, kExprs) +
                         "; known: " + join(kExprs, ", "));
          } else {
            d.kind = DefaultSpec::Kind::expr;
            d.expr = *s;
          }
        }
      } else if (auto s = child(n, "sql")) {
        d.kind = DefaultSpec::Kind::sql;
        d.sql = r_.per_dialect(s, path + ".sql");
      } else {
        r_.error(n, path, "expected 'expr' or 'sql'");
      }
      return d;
    }
    d.literal = r_.literal(n, path);
    d.kind = DefaultSpec::Kind::literal;
    return d;
  }

  std::optional<CheckSpec> load_check(const yaml::Node& n, const std::string& path, const std::string& column) {
    Keys allowed = {"name", "in", "range", "expr", "dialects"};
    if (column.empty()) allowed.push_back("column");
    if (!r_.check_map(n, path, allowed)) return std::nullopt;
    CheckSpec c;
    c.pos = r_.pos(n);
    c.name = r_.string_or(n, "name", path);
    c.column = column.empty() ? r_.string_or(n, "column", path) : column;
    c.dialects = r_.dialects(n, path);
    int forms = (child(n, "in") ? 1 : 0) + (child(n, "range") ? 1 : 0) + (child(n, "expr") ? 1 : 0);
    if (forms != 1) {
      r_.error(n, path, "give exactly one of 'in', 'range' or 'expr'");
      return std::nullopt;
    }
    if ((child(n, "in") || child(n, "range")) && c.column.empty()) {
      r_.error(n, path, "'in' and 'range' checks need a 'column'");
      return std::nullopt;
    }
    if (auto in = child(n, "in")) {
      c.kind = CheckSpec::Kind::in_list;
      if (!in.IsSequence() || in.size() == 0) {
        r_.error(in, path + ".in", "expected a non-empty list of values");
        return std::nullopt;
      }
      for (const auto& v : in) c.values.push_back(r_.literal(v, path + ".in"));
    } else if (auto range = child(n, "range")) {
      c.kind = CheckSpec::Kind::range;
      if (!range.IsSequence() || range.size() != 2) {
        r_.error(range, path + ".range", "expected [min, max] (either may be null)");
        return std::nullopt;
      }
      for (int i = 0; i < 2; ++i) {
        Literal lit = r_.literal(range[i], path + ".range");
        if (lit.kind == Literal::Kind::null) continue;
        if (lit.kind != Literal::Kind::number) {
          r_.error(range[i], path + ".range", "range bounds must be numbers, not '" + lit.text + "'");
          continue;
        }
        (i == 0 ? c.min : c.max) = lit;
      }
      if (!c.min && !c.max) r_.error(range, path + ".range", "a range needs at least one bound");
    } else {
      c.kind = CheckSpec::Kind::expr;
      c.expr = r_.per_dialect(child(n, "expr"), path + ".expr");
    }
    return c;
  }

  std::optional<IndexSpec> load_index(const yaml::Node& n, const std::string& path) {
    if (!r_.check_map(
            n, path,
            {"name", "columns", "expression", "unique", "method", "where", "include", "with", "dialects", "opclass"}))
      return std::nullopt;
    IndexSpec ix;
    ix.pos = r_.pos(n);
    ix.name = r_.string_or(n, "name", path);
    ix.unique = r_.bool_or(n, "unique", path, false);
    ix.method = to_lower(r_.string_or(n, "method", path));
    static const Keys kMethods = {"btree", "gin", "gist", "ivfflat", "hnsw", "hash", "brin"};
    if (!ix.method.empty() && std::find(kMethods.begin(), kMethods.end(), ix.method) == kMethods.end()) {
      r_.error(child(n, "method"), path,
               "unknown index method '" + ix.method + "'" + did_you_mean(ix.method, kMethods));
      ix.method.clear();  // reported once, here: no follow-on "TiDB has no <typo> indexes"
    }
    ix.where = r_.string_or(n, "where", path);
    ix.dialects = r_.dialects(n, path);
    std::string opclass = r_.string_or(n, "opclass", path);
    if (auto inc = child(n, "include")) ix.include = r_.names(inc, path + ".include");
    if (auto with = child(n, "with"); with && r_.check_dictionary(with, path + ".with", "storage parameter"))
      for (auto it = with.begin(); it != with.end(); ++it)
        if (auto v = r_.scalar(it->second, path + ".with")) ix.with.emplace_back(it->first.Scalar(), *v);
    if (child(n, "columns") && child(n, "expression"))
      r_.error(n, path, "give either 'columns' or 'expression', not both");
    if (auto e = child(n, "expression")) {
      IndexKeySpec key;
      key.pos = r_.pos(e);
      if (auto s = r_.scalar(e, path + ".expression")) key.expression = *s;
      ix.keys.push_back(key);
    }
    for_each_item(child(n, "columns"), path + ".columns", [&](const yaml::Node& c, const std::string& p) {
      IndexKeySpec key;
      key.pos = r_.pos(c);
      if (c.IsScalar()) {
        key.column = c.Scalar();
      } else if (r_.check_map(c, p, {"column", "expression", "order", "nulls", "opclass", "prefix"})) {
        key.column = r_.string_or(c, "column", p);
        key.expression = r_.string_or(c, "expression", p);
        if (key.column.empty() == key.expression.empty())
          r_.error(c, p, "give exactly one of 'column' or 'expression'");
        key.order = upper_words(r_.string_or(c, "order", p));
        if (!key.order.empty() && key.order != "ASC" && key.order != "DESC")
          r_.error(child(c, "order"), p, "order must be 'asc' or 'desc', not '" + r_.string_or(c, "order", p) + "'");
        key.nulls = upper_words(r_.string_or(c, "nulls", p));
        if (!key.nulls.empty() && key.nulls != "FIRST" && key.nulls != "LAST")
          r_.error(child(c, "nulls"), p, "nulls must be 'first' or 'last', not '" + r_.string_or(c, "nulls", p) + "'");
        key.opclass = r_.string_or(c, "opclass", p);
        if (auto pf = child(c, "prefix"))
          if (auto v = r_.positive_int(pf, p + ".prefix")) key.prefix = *v;
      } else {
        return;
      }
      ix.keys.push_back(key);
    });
    if (!opclass.empty())
      for (auto& k : ix.keys)
        if (k.opclass.empty()) k.opclass = opclass;
    if (ix.keys.empty() && !child(n, "columns") && !child(n, "expression"))
      r_.error(n, path, "an index needs 'columns' or 'expression'");
    return ix;
  }

  RowsSpec load_rows(const yaml::Node& n, const std::string& path) {
    RowsSpec rows;
    rows.pos = r_.pos(n);
    if (!r_.check_map(n, path, {"key", "values"})) return rows;
    if (auto k = child(n, "key")) rows.key = r_.names(k, path + ".key");
    for_each_item(child(n, "values"), path + ".values", [&](const yaml::Node& row, const std::string& p) {
      RowSpec spec;
      spec.pos = r_.pos(row);
      if (!r_.check_dictionary(row, p, "column")) return;
      for (auto it = row.begin(); it != row.end(); ++it)
        spec.values.emplace_back(it->first.Scalar(), r_.literal(it->second, p + "." + it->first.Scalar()));
      rows.rows.push_back(std::move(spec));
    });
    return rows;
  }

  ViewSpec load_view(const yaml::Node& key, const yaml::Node& n, const std::string& entity, bool materialized) {
    ViewSpec v;
    v.name = key.Scalar();
    v.entity = entity;
    v.materialized = materialized;
    v.pos = r_.pos(key);
    const std::string& path = v.name;
    Keys allowed = {"description", "depends_on", "sql", "dialects"};
    if (materialized) allowed.push_back("indexes");
    if (!r_.check_map(n, path, allowed)) return v;
    v.description = r_.string_or(n, "description", path);
    v.dialects = r_.dialects(n, path);
    if (auto d = child(n, "depends_on")) v.depends_on = r_.names(d, path + ".depends_on");
    if (auto s = child(n, "sql"))
      v.sql = r_.per_dialect(s, path + ".sql");
    else
      r_.error(n, path, "missing required key 'sql'");
    for_each_item(child(n, "indexes"), path + ".indexes", [&](const yaml::Node& i, const std::string& p) {
      if (auto spec = load_index(i, p)) v.indexes.push_back(std::move(*spec));
    });
    return v;
  }

  FunctionSpec load_function(const yaml::Node& key, const yaml::Node& n, const std::string& entity) {
    FunctionSpec f;
    f.name = key.Scalar();
    f.entity = entity;
    f.pos = r_.pos(key);
    const std::string& path = f.name;
    if (!r_.check_map(
            n, path,
            {"description", "language", "arguments", "returns", "volatility", "body", "depends_on", "dialects"}))
      return f;
    f.description = r_.string_or(n, "description", path);
    f.language = to_lower(r_.string_or(n, "language", path, "plpgsql"));
    if (f.language != "plpgsql" && f.language != "sql")
      r_.error(child(n, "language"), path, "language must be 'plpgsql' or 'sql', not '" + f.language + "'");
    f.arguments = r_.string_or(n, "arguments", path);
    f.returns = r_.string_or(n, "returns", path);
    if (f.returns.empty()) r_.error(n, path, "missing required key 'returns'");
    f.volatility = to_upper(r_.string_or(n, "volatility", path, "volatile"));
    if (f.volatility != "VOLATILE" && f.volatility != "STABLE" && f.volatility != "IMMUTABLE")
      r_.error(child(n, "volatility"), path, "volatility must be volatile, stable or immutable");
    f.dialects = r_.dialects(n, path);
    if (auto d = child(n, "depends_on")) f.depends_on = r_.names(d, path + ".depends_on");
    if (auto b = child(n, "body")) {
      f.body_pos = r_.pos(b);
      if (auto s = r_.scalar(b, path + ".body")) f.body = *s;
    } else {
      r_.error(n, path, "missing required key 'body'");
    }
    return f;
  }

  std::string action(const yaml::Node& map, const char* key, const std::string& path) {
    yaml::Node n = child(map, key);
    if (!n) return {};
    auto s = r_.scalar(n, path + "." + key);
    if (!s) return {};
    static const Keys kActions = {"cascade", "set null", "set default", "restrict", "no action"};
    std::string norm = to_lower(trim(*s));
    for (auto& c : norm)
      if (c == '_') c = ' ';
    if (std::find(kActions.begin(), kActions.end(), norm) == kActions.end()) {
      r_.error(n, path,
               std::string("unknown ") + key + " action '" + *s + "'" + did_you_mean(norm, kActions) +
                   "; known: " + join(kActions, ", "));
      return {};
    }
    return to_upper(norm);
  }

  template <typename F>
  void for_each_item(const yaml::Node& n, const std::string& path, F&& f) {
    if (!n) return;
    if (!n.IsSequence()) {
      r_.error(n, path, "expected a list");
      return;
    }
    std::size_t i = 0;
    for (auto it = n.begin(); it != n.end(); ++it, ++i) f(*it, path + "[" + std::to_string(i) + "]");
  }

  Reader& r_;
  Registry& reg_;
};

void load_registry_file(Reader& r, const yaml::Node& root, Registry& reg) {
  reg.pos = r.pos(child(root, "registry"));
  r.check_map(root, "", {"registry", "description", "postgres", "tidb", "codegen", "types", "extensions"});
  if (auto s = r.scalar(child(root, "registry"), "registry")) reg.name = *s;
  reg.description = r.string_or(root, "description", "");
  if (auto pg = child(root, "postgres");
      pg && r.check_map(pg, "postgres", {"schema", "lock_timeout", "statement_timeout"})) {
    reg.pg_schema = r.string_or(pg, "schema", "postgres", "public");
    // Durations as PostgreSQL reads them: a whole number, optionally with a unit (0: no limit).
    static const std::regex duration("^[0-9]+ ?(us|ms|s|min|h|d)?$");
    for (auto [key, field] :
         {std::pair{"lock_timeout", &reg.pg_lock_timeout}, std::pair{"statement_timeout", &reg.pg_statement_timeout}}) {
      auto n = child(pg, key);
      if (!n) continue;
      std::string text = r.string_or(pg, key, "postgres");
      if (std::regex_match(text, duration))
        *field = text;
      else
        r.error(n, std::string("postgres.") + key,
                "'" + text + "' is not a duration: a whole number with an optional unit (ms, s, min, h), e.g. 5s");
    }
  }
  if (auto t = child(root, "tidb"); t && r.check_map(t, "tidb", {"charset", "collation"})) {
    reg.tidb_charset = r.string_or(t, "charset", "tidb", reg.tidb_charset);
    reg.tidb_collation = r.string_or(t, "collation", "tidb", reg.tidb_collation);
    if (child(t, "charset")) reg.tidb_charset_pos = r.pos(child(t, "charset"));
    if (child(t, "collation")) reg.tidb_collation_pos = r.pos(child(t, "collation"));
  }
  if (auto c = child(root, "codegen"); c && r.check_map(c, "codegen", {"namespace"})) {
    reg.cpp_namespace = r.string_or(c, "namespace", "codegen");
    if (child(c, "namespace")) reg.cpp_namespace_pos = r.pos(child(c, "namespace"));
  }
  if (auto types = child(root, "types"); types && r.check_map(types, "types", {"postgres", "tidb"})) {
    for (auto it = types.begin(); it != types.end(); ++it) {
      auto d = parse_dialect(it->first.Scalar());
      if (!d) continue;
      std::string path = "types." + it->first.Scalar();
      if (!r.check_dictionary(it->second, path, "type override")) continue;
      for (auto jt = it->second.begin(); jt != it->second.end(); ++jt) {
        const std::string& kind = jt->first.Scalar();
        if (!parse_kind_name(kind)) {
          r.error(jt->first, path, "unknown logical type '" + kind + "'" + did_you_mean(kind, kind_names()));
          continue;
        }
        if (auto sql = r.scalar(jt->second, path + "." + kind)) reg.type_overrides[*d][kind] = *sql;
      }
    }
  }
  if (auto ext = child(root, "extensions"); ext && r.check_dictionary(ext, "extensions", "extension")) {
    for (auto it = ext.begin(); it != ext.end(); ++it) {
      ExtensionSpec e;
      e.name = it->first.Scalar();
      e.pos = r.pos(it->first);
      std::string path = "extensions." + e.name;
      if (!it->second.IsNull() && r.check_map(it->second, path, {"dialects", "description"})) {
        e.dialects = r.dialects(it->second, path);
        e.description = r.string_or(it->second, "description", path);
      }
      reg.extensions.push_back(std::move(e));
    }
  }
}

}  // namespace

std::vector<SourceFile> read_registry_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error("registry directory '" + dir.string() + "' does not exist or is not a directory");
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) paths.push_back(entry.path());
  }
  if (ec) throw Error("cannot read registry directory '" + dir.string() + "': " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<SourceFile> files;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw Error("cannot read '" + p.string() + "'");
    std::ostringstream buf;
    buf << in.rdbuf();
    files.push_back(SourceFile{p.lexically_normal().string(), buf.str()});
  }
  return files;
}

namespace {

// What one file contributes; files are read independently (in parallel) and merged in name order.
struct FileLoad {
  enum class Kind { broken, registry, entity } kind = Kind::broken;
  Registry part;  // the registry file's settings, or one entity
  Diagnostics diags;
  SourcePos registry_pos;
};

FileLoad load_file(const SourceFile& file) {
  FileLoad out;
  Reader r(file.name, out.diags);
  std::unique_ptr<yaml::Document> doc;
  try {
    doc = std::make_unique<yaml::Document>(file.content);
  } catch (const YAML::ParserException& e) {
    out.diags.error(SourcePos{file.name, e.mark.line + 1, e.mark.column + 1}, "", "YAML syntax error: " + e.msg);
    return out;
  }
  yaml::Node root = doc->root();
  if (!root || root.IsNull()) {
    out.diags.error(SourcePos{file.name, 0, 0}, "", "file is empty");
  } else if (!root.IsMap()) {
    r.error(root, "", "expected a mapping with 'registry:' or 'entity:' at the top");
  } else if (yaml::Node reg_node = child(root, "registry")) {
    out.kind = FileLoad::Kind::registry;
    out.registry_pos = r.pos(reg_node);
    load_registry_file(r, root, out.part);
  } else if (child(root, "entity")) {
    out.kind = FileLoad::Kind::entity;
    EntityLoader(r, out.part).load(root);
  } else {
    r.error(root, "", "expected 'registry:' (the registry file) or 'entity:' (an entity file) at the top");
  }
  return out;
}

}  // namespace

Registry load_registry(const std::vector<SourceFile>& files, Diagnostics& diags) {
  // Parsing YAML is most of the work: two workers (the machines this runs on have two cores or more)
  // each take every other file; the merge below restores file order, so results never depend on it.
  std::vector<FileLoad> loads(files.size());
  split_in_two(files.size(), [&](std::size_t first, std::size_t stride) {
    for (std::size_t i = first; i < files.size(); i += stride) loads[i] = load_file(files[i]);
  });
  Registry reg;
  std::string hash_input;
  const SourceFile* registry_file = nullptr;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const SourceFile& file = files[i];
    FileLoad& load = loads[i];
    // The hash covers names and bytes, so renaming a file changes it too.
    std::string base = std::filesystem::path(file.name).filename().string();
    hash_input += base + '\0' + std::to_string(file.content.size()) + '\0' + file.content;
    diags.merge(load.diags);
    if (load.kind == FileLoad::Kind::registry) {
      if (registry_file) {
        diags.error(load.registry_pos, "registry", "a second registry file (the first is " + registry_file->name + ")");
        continue;
      }
      registry_file = &file;
      std::vector<EntitySpec> entities = std::move(reg.entities);
      reg = std::move(load.part);
      reg.entities = std::move(entities);
    } else if (load.kind == FileLoad::Kind::entity) {
      for (auto& e : load.part.entities) reg.entities.push_back(std::move(e));
    }
  }
  if (files.empty())
    diags.error(SourcePos{}, "", "no registry files (*.yaml) found");
  else if (!registry_file)
    diags.error(SourcePos{files.front().name, 0, 0}, "",
                "no registry file: one file must have a top-level 'registry:' key");
  if (reg.cpp_namespace.empty()) reg.cpp_namespace = reg.name + "::models";
  reg.content_hash = sha256_hex(hash_input);
  reg.build_index();
  return reg;
}

}  // namespace schemactl::registry
