#include "schema/json.hpp"

#include <cstdio>

#include "util/diagnostic.hpp"

namespace schemactl::schema {

using nlohmann::json;

namespace {

template <typename T>
T get(const json& j, const char* key, const std::string& where, T fallback = T{}) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  try {
    return it->template get<T>();
  } catch (const json::exception&) {
    throw Error("snapshot: '" + where + "." + key + "' has the wrong type");
  }
}

Index index_from(const json& j, const std::string& table, const std::string& where) {
  Index ix;
  ix.table = table;
  ix.name = get<std::string>(j, "name", where);
  std::string here = where + "." + ix.name;
  for (const auto& kj : j.value("keys", json::array())) {
    IndexKey k;
    k.expression = kj.contains("expression");
    k.text = get<std::string>(kj, k.expression ? "expression" : "column", here);
    k.opclass = get<std::string>(kj, "opclass", here);
    k.order = get<std::string>(kj, "order", here);
    k.nulls = get<std::string>(kj, "nulls", here);
    k.prefix = get<int>(kj, "prefix", here);
    ix.keys.push_back(k);
  }
  ix.unique = get<bool>(j, "unique", here);
  ix.method = get<std::string>(j, "method", here);
  ix.where = get<std::string>(j, "where", here);
  ix.include = get<std::vector<std::string>>(j, "include", here);
  for (const auto& w : j.value("with", json::array()))
    ix.with.emplace_back(w.at(0).get<std::string>(), w.at(1).get<std::string>());
  return ix;
}

}  // namespace

namespace {

// A compact JSON writer for snapshots: building an nlohmann::json tree first cost more than
// everything else `migrate new` does. Keys are written only when they differ from the default,
// as schema_from_json fills defaults back in.
class Writer {
 public:
  std::string out;

  void string(const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out += static_cast<char>(c);
          }
      }
    }
    out += '"';
  }
  void strings(const std::vector<std::string>& v) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      string(v[i]);
    }
    out += ']';
  }
  // Object members: open() ... field(...) ... close().
  void open() {
    out += '{';
    first_.push_back(true);
  }
  void close() {
    out += '}';
    first_.pop_back();
  }
  void key(const char* k) {
    if (!first_.back()) out += ',';
    first_.back() = false;
    out += '"';
    out += k;
    out += "\":";
  }
  void field(const char* k, const std::string& v, bool always = false) {
    if (v.empty() && !always) return;
    key(k);
    string(v);
  }
  void field(const char* k, const std::vector<std::string>& v, bool always = false) {
    if (v.empty() && !always) return;
    key(k);
    strings(v);
  }
  void flag(const char* k, bool v, bool fallback = false) {
    if (v == fallback) return;
    key(k);
    out += v ? "true" : "false";
  }
  void number(const char* k, int v) {
    if (v == 0) return;
    key(k);
    out += std::to_string(v);
  }

 private:
  std::vector<bool> first_;
};

void write_index(Writer& w, const Index& ix) {
  w.open();
  w.field("name", ix.name, true);
  w.key("keys");
  w.out += '[';
  for (std::size_t i = 0; i < ix.keys.size(); ++i) {
    const auto& k = ix.keys[i];
    if (i) w.out += ',';
    w.open();
    w.field(k.expression ? "expression" : "column", k.text, true);
    w.field("opclass", k.opclass);
    w.field("order", k.order);
    w.field("nulls", k.nulls);
    w.number("prefix", k.prefix);
    w.close();
  }
  w.out += ']';
  w.flag("unique", ix.unique);
  w.field("method", ix.method);
  w.field("where", ix.where);
  w.field("include", ix.include);
  if (!ix.with.empty()) {
    w.key("with");
    w.out += '[';
    for (std::size_t i = 0; i < ix.with.size(); ++i) {
      if (i) w.out += ',';
      w.strings({ix.with[i].first, ix.with[i].second});
    }
    w.out += ']';
  }
  w.close();
}

void write_table(Writer& w, const Table& t) {
  w.open();
  w.field("name", t.name, true);
  w.field("comment", t.comment);
  w.flag("external", t.external);
  w.key("columns");
  w.out += '[';
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const auto& c = t.columns[i];
    if (i) w.out += ',';
    w.open();
    w.field("name", c.name, true);
    w.field("type", c.type, true);
    w.flag("nullable", c.nullable, true);
    w.field("default", c.default_sql);
    w.field("on_update", c.on_update);
    w.flag("auto_increment", c.auto_increment);
    w.field("comment", c.comment);
    w.close();
  }
  w.out += ']';
  if (t.primary_key) {
    w.key("primary_key");
    w.open();
    w.field("name", t.primary_key->name, true);
    w.field("columns", t.primary_key->columns, true);
    w.close();
  }
  auto list = [&](const char* key, std::size_t n, auto&& item) {
    if (n == 0) return;
    w.key(key);
    w.out += '[';
    for (std::size_t i = 0; i < n; ++i) {
      if (i) w.out += ',';
      w.open();
      item(i);
      w.close();
    }
    w.out += ']';
  };
  list("uniques", t.uniques.size(), [&](std::size_t i) {
    w.field("name", t.uniques[i].name, true);
    w.field("columns", t.uniques[i].columns, true);
  });
  list("checks", t.checks.size(), [&](std::size_t i) {
    w.field("name", t.checks[i].name, true);
    w.field("expr", t.checks[i].expr, true);
  });
  list("foreign_keys", t.foreign_keys.size(), [&](std::size_t i) {
    const auto& f = t.foreign_keys[i];
    w.field("name", f.name, true);
    w.field("columns", f.columns, true);
    w.field("ref_table", f.ref_table, true);
    w.field("ref_columns", f.ref_columns, true);
    w.field("on_delete", f.on_delete);
    w.field("on_update", f.on_update);
  });
  list("exclusions", t.exclusions.size(), [&](std::size_t i) {
    const auto& x = t.exclusions[i];
    w.field("name", x.name, true);
    w.field("method", x.method, true);
    w.key("elements");
    w.out += '[';
    for (std::size_t e = 0; e < x.elements.size(); ++e) {
      if (e) w.out += ',';
      w.open();
      w.field(x.elements[e].expression ? "expression" : "column", x.elements[e].text, true);
      w.field("operator", x.elements[e].op, true);
      w.close();
    }
    w.out += ']';
    w.field("where", x.where);
  });
  if (!t.indexes.empty()) {
    w.key("indexes");
    w.out += '[';
    for (std::size_t i = 0; i < t.indexes.size(); ++i) {
      if (i) w.out += ',';
      write_index(w, t.indexes[i]);
    }
    w.out += ']';
  }
  if (!t.rows.values.empty()) {
    w.key("rows");
    w.open();
    w.field("conflict", t.rows.conflict_columns, true);
    w.field("columns", t.rows.columns, true);
    w.key("values");
    w.out += '[';
    for (std::size_t i = 0; i < t.rows.values.size(); ++i) {
      if (i) w.out += ',';
      w.strings(t.rows.values[i]);
    }
    w.out += ']';
    w.close();
  }
  w.close();
}

}  // namespace

std::string to_snapshot_text(const Schema& s) {
  Writer w;
  w.out = "{\n";
  auto member = [&](const char* key, bool first = false) {
    if (!first) w.out += ",\n";
    w.out += '"';
    w.out += key;
    w.out += "\": ";
  };
  // One object per line inside each list: quick to parse, and `git diff` shows what changed.
  auto lines = [&](std::size_t n, auto&& item) {
    if (n == 0) {
      w.out += "[]";
      return;
    }
    w.out += "[\n";
    for (std::size_t i = 0; i < n; ++i) {
      w.out += "  ";
      item(i);
      w.out += i + 1 < n ? ",\n" : "\n";
    }
    w.out += ']';
  };
  member("format", true);
  w.out += "1";
  member("dialect");
  w.string(dialect_name(s.dialect));
  member("registry");
  w.string(s.registry_name);
  if (s.pg_schema != "public") member("pg_schema"), w.string(s.pg_schema);
  if (s.tidb_charset != "utf8mb4") member("tidb_charset"), w.string(s.tidb_charset);
  if (s.tidb_collation != "utf8mb4_bin") member("tidb_collation"), w.string(s.tidb_collation);
  member("extensions");
  lines(s.extensions.size(), [&](std::size_t i) {
    w.open();
    w.field("name", s.extensions[i].name, true);
    w.field("comment", s.extensions[i].comment);
    w.close();
  });
  member("enums");
  lines(s.enums.size(), [&](std::size_t i) {
    w.open();
    w.field("name", s.enums[i].name, true);
    w.field("values", s.enums[i].values, true);
    w.field("comment", s.enums[i].comment);
    w.close();
  });
  member("tables");
  lines(s.tables.size(), [&](std::size_t i) { write_table(w, s.tables[i]); });
  member("views");
  lines(s.views.size(), [&](std::size_t i) {
    const auto& v = s.views[i];
    w.open();
    w.field("name", v.name, true);
    w.field("sql", v.sql, true);
    w.flag("materialized", v.materialized);
    w.field("comment", v.comment);
    w.field("depends_on", v.depends_on);
    if (!v.indexes.empty()) {
      w.key("indexes");
      w.out += '[';
      for (std::size_t k = 0; k < v.indexes.size(); ++k) {
        if (k) w.out += ',';
        write_index(w, v.indexes[k]);
      }
      w.out += ']';
    }
    w.close();
  });
  member("functions");
  lines(s.functions.size(), [&](std::size_t i) {
    const auto& f = s.functions[i];
    w.open();
    w.field("name", f.name, true);
    w.field("arguments", f.arguments, true);
    w.field("returns", f.returns, true);
    w.field("language", f.language, true);
    w.field("volatility", f.volatility, true);
    w.field("body", f.body, true);
    w.field("comment", f.comment);
    w.field("depends_on", f.depends_on);
    w.close();
  });
  if (s.renames_recorded) {
    member("column_renames");
    std::vector<std::pair<std::pair<std::string, std::string>, std::vector<std::string>>> renames(
        s.column_renames.begin(), s.column_renames.end());
    lines(renames.size(), [&](std::size_t i) {
      w.open();
      w.field("table", renames[i].first.first, true);
      w.field("column", renames[i].first.second, true);
      w.field("renamed_from", renames[i].second, true);
      w.close();
    });
  }
  w.out += "\n}\n";
  return std::move(w.out);
}

Schema schema_from_json(const json& j) {
  if (!j.is_object()) throw Error("snapshot: expected a JSON object");
  if (get<int>(j, "format", "snapshot") != 1) throw Error("snapshot: unknown format version (expected 1)");
  Schema s;
  auto d = parse_dialect(get<std::string>(j, "dialect", "snapshot"));
  if (!d) throw Error("snapshot: unknown dialect");
  s.dialect = *d;
  s.registry_name = get<std::string>(j, "registry", "snapshot");
  s.pg_schema = get<std::string>(j, "pg_schema", "snapshot", "public");
  s.tidb_charset = get<std::string>(j, "tidb_charset", "snapshot", "utf8mb4");
  s.tidb_collation = get<std::string>(j, "tidb_collation", "snapshot", "utf8mb4_bin");
  try {
    for (const auto& e : j.value("extensions", json::array()))
      s.extensions.push_back({e.at("name").get<std::string>(), e.value("comment", "")});
    for (const auto& e : j.value("enums", json::array()))
      s.enums.push_back(
          {e.at("name").get<std::string>(), e.at("values").get<std::vector<std::string>>(), e.value("comment", "")});
    for (const auto& tj : j.value("tables", json::array())) {
      Table t;
      t.name = tj.at("name").get<std::string>();
      std::string where = "tables." + t.name;
      t.comment = get<std::string>(tj, "comment", where);
      t.external = get<bool>(tj, "external", where);
      for (const auto& cj : tj.at("columns")) {
        Column c;
        c.name = cj.at("name").get<std::string>();
        c.type = cj.at("type").get<std::string>();
        c.nullable = get<bool>(cj, "nullable", where, true);
        c.default_sql = get<std::string>(cj, "default", where);
        c.on_update = get<std::string>(cj, "on_update", where);  // absent (older snapshots): none
        c.auto_increment = get<bool>(cj, "auto_increment", where);
        c.comment = get<std::string>(cj, "comment", where);
        t.columns.push_back(c);
      }
      if (tj.contains("primary_key"))
        t.primary_key = PrimaryKey{tj["primary_key"].at("name").get<std::string>(),
                                   tj["primary_key"].at("columns").get<std::vector<std::string>>()};
      for (const auto& u : tj.value("uniques", json::array()))
        t.uniques.push_back({u.at("name").get<std::string>(), u.at("columns").get<std::vector<std::string>>()});
      for (const auto& c : tj.value("checks", json::array()))
        t.checks.push_back({c.at("name").get<std::string>(), c.at("expr").get<std::string>()});
      for (const auto& f : tj.value("foreign_keys", json::array()))
        t.foreign_keys.push_back({f.at("name").get<std::string>(), f.at("columns").get<std::vector<std::string>>(),
                                  f.at("ref_table").get<std::string>(),
                                  f.at("ref_columns").get<std::vector<std::string>>(), f.value("on_delete", ""),
                                  f.value("on_update", "")});
      for (const auto& x : tj.value("exclusions", json::array())) {
        Exclusion ex;
        ex.name = x.at("name").get<std::string>();
        ex.method = x.at("method").get<std::string>();
        ex.where = x.value("where", "");
        for (const auto& e : x.value("elements", json::array())) {
          bool expr = e.contains("expression");
          ex.elements.push_back(
              {e.at(expr ? "expression" : "column").get<std::string>(), expr, e.at("operator").get<std::string>()});
        }
        t.exclusions.push_back(ex);
      }
      for (const auto& ix : tj.value("indexes", json::array())) t.indexes.push_back(index_from(ix, t.name, where));
      if (tj.contains("rows")) {
        const auto& r = tj["rows"];
        t.rows.conflict_columns = r.at("conflict").get<std::vector<std::string>>();
        t.rows.columns = r.at("columns").get<std::vector<std::string>>();
        t.rows.values = r.at("values").get<std::vector<std::vector<std::string>>>();
      }
      s.tables.push_back(std::move(t));
    }
    for (const auto& vj : j.value("views", json::array())) {
      View v;
      v.name = vj.at("name").get<std::string>();
      v.sql = vj.at("sql").get<std::string>();
      v.materialized = vj.value("materialized", false);
      v.comment = vj.value("comment", "");
      v.depends_on = vj.value("depends_on", std::vector<std::string>{});
      for (const auto& ix : vj.value("indexes", json::array())) v.indexes.push_back(index_from(ix, v.name, "views"));
      s.views.push_back(std::move(v));
    }
    s.renames_recorded = j.contains("column_renames");
    for (const auto& rj : j.value("column_renames", json::array()))
      s.column_renames[{rj.at("table").get<std::string>(), rj.at("column").get<std::string>()}] =
          rj.at("renamed_from").get<std::vector<std::string>>();
    for (const auto& fj : j.value("functions", json::array()))
      s.functions.push_back({fj.at("name").get<std::string>(), fj.at("arguments").get<std::string>(),
                             fj.at("returns").get<std::string>(), fj.at("language").get<std::string>(),
                             fj.at("volatility").get<std::string>(), fj.at("body").get<std::string>(),
                             fj.value("comment", ""), fj.value("depends_on", std::vector<std::string>{})});
  } catch (const json::exception& e) {
    throw Error(std::string("snapshot: malformed (") + e.what() + ")");
  }
  return s;
}

}  // namespace schemactl::schema
