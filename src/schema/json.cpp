#include "schema/json.hpp"

#include "util/diagnostic.hpp"

namespace schemactl::schema {

using nlohmann::json;

namespace {

// Fields are written only when they differ from the default, which keeps snapshots small and
// readable; reading fills defaults back in.
template <typename T>
void put(json& j, const char* key, const T& value, const T& fallback = T{}) {
  if (!(value == fallback)) j[key] = value;
}

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

json index_json(const Index& ix) {
  json j;
  j["name"] = ix.name;
  json keys = json::array();
  for (const auto& k : ix.keys) {
    json kj;
    kj[k.expression ? "expression" : "column"] = k.text;
    put(kj, "opclass", k.opclass);
    put(kj, "order", k.order);
    put(kj, "nulls", k.nulls);
    put(kj, "prefix", k.prefix);
    keys.push_back(kj);
  }
  j["keys"] = keys;
  put(j, "unique", ix.unique);
  put(j, "method", ix.method);
  put(j, "where", ix.where);
  put(j, "include", ix.include);
  if (!ix.with.empty()) {
    json w = json::array();
    for (const auto& [k, v] : ix.with) w.push_back({k, v});
    j["with"] = w;
  }
  return j;
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

json to_json(const Schema& s) {
  json j;
  j["format"] = 1;
  j["dialect"] = dialect_name(s.dialect);
  j["registry"] = s.registry_name;
  put(j, "pg_schema", s.pg_schema, std::string("public"));
  put(j, "tidb_charset", s.tidb_charset, std::string("utf8mb4"));
  put(j, "tidb_collation", s.tidb_collation, std::string("utf8mb4_bin"));
  json ext = json::array();
  for (const auto& e : s.extensions) {
    json ej{{"name", e.name}};
    put(ej, "comment", e.comment);
    ext.push_back(ej);
  }
  j["extensions"] = ext;
  json enums = json::array();
  for (const auto& e : s.enums) {
    json ej{{"name", e.name}, {"values", e.values}};
    put(ej, "comment", e.comment);
    enums.push_back(ej);
  }
  j["enums"] = enums;
  json tables = json::array();
  for (const auto& t : s.tables) {
    json tj{{"name", t.name}};
    put(tj, "comment", t.comment);
    put(tj, "external", t.external);
    json cols = json::array();
    for (const auto& c : t.columns) {
      json cj{{"name", c.name}, {"type", c.type}};
      put(cj, "nullable", c.nullable, true);
      put(cj, "default", c.default_sql);
      put(cj, "auto_increment", c.auto_increment);
      put(cj, "comment", c.comment);
      cols.push_back(cj);
    }
    tj["columns"] = cols;
    if (t.primary_key) tj["primary_key"] = {{"name", t.primary_key->name}, {"columns", t.primary_key->columns}};
    for (const auto& u : t.uniques) tj["uniques"].push_back({{"name", u.name}, {"columns", u.columns}});
    for (const auto& c : t.checks) tj["checks"].push_back({{"name", c.name}, {"expr", c.expr}});
    for (const auto& f : t.foreign_keys) {
      json fj{{"name", f.name}, {"columns", f.columns}, {"ref_table", f.ref_table}, {"ref_columns", f.ref_columns}};
      put(fj, "on_delete", f.on_delete);
      put(fj, "on_update", f.on_update);
      tj["foreign_keys"].push_back(fj);
    }
    for (const auto& x : t.exclusions) {
      json xj{{"name", x.name}, {"method", x.method}};
      for (const auto& e : x.elements)
        xj["elements"].push_back({{e.expression ? "expression" : "column", e.text}, {"operator", e.op}});
      put(xj, "where", x.where);
      tj["exclusions"].push_back(xj);
    }
    for (const auto& ix : t.indexes) tj["indexes"].push_back(index_json(ix));
    if (!t.rows.values.empty())
      tj["rows"] = {{"conflict", t.rows.conflict_columns}, {"columns", t.rows.columns}, {"values", t.rows.values}};
    tables.push_back(tj);
  }
  j["tables"] = tables;
  json views = json::array();
  for (const auto& v : s.views) {
    json vj{{"name", v.name}, {"sql", v.sql}};
    put(vj, "materialized", v.materialized);
    put(vj, "comment", v.comment);
    put(vj, "depends_on", v.depends_on);
    for (const auto& ix : v.indexes) vj["indexes"].push_back(index_json(ix));
    views.push_back(vj);
  }
  j["views"] = views;
  json functions = json::array();
  for (const auto& f : s.functions) {
    json fj{{"name", f.name},         {"arguments", f.arguments},   {"returns", f.returns},
            {"language", f.language}, {"volatility", f.volatility}, {"body", f.body}};
    put(fj, "comment", f.comment);
    put(fj, "depends_on", f.depends_on);
    functions.push_back(fj);
  }
  j["functions"] = functions;
  return j;
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
