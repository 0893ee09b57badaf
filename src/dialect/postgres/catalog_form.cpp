// Postgres: a lowered schema in pg_catalog's spelling (format_type, pg_get_expr, pg_get_indexdef,
// pg_get_constraintdef, pg_get_viewdef, pg_get_function_arguments), for comparing with inspect_postgres.
// What only the server can print (checks, exclusions, index definitions beyond plain column keys,
// view bodies, function signatures) is created as temporary objects in a transaction that is
// rolled back, and read back from the catalog.
#include "dialect/catalog_form.hpp"

#include <map>
#include <optional>
#include <regex>
#include <set>

#include "dialect/dialect.hpp"
#include "schema/names.hpp"
#include "util/dollar_quote.hpp"
#include "util/text.hpp"

namespace schemactl {

std::string pg_catalog_type(const std::string& lowered) {
  std::string t = trim(lowered);
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) return pg_catalog_type(t.substr(0, t.size() - 2)) + "[]";
  if (auto dot = t.find('.'); dot != std::string::npos && t.find('(') == std::string::npos) return t.substr(dot + 1);
  std::string u = to_upper(t);
  static const std::pair<const char*, const char*> names[] = {{"UUID", "uuid"},
                                                              {"TEXT", "text"},
                                                              {"SMALLINT", "smallint"},
                                                              {"INTEGER", "integer"},
                                                              {"INT", "integer"},
                                                              {"INT4", "integer"},
                                                              {"BIGINT", "bigint"},
                                                              {"INT8", "bigint"},
                                                              {"SMALLSERIAL", "smallint"},
                                                              {"SERIAL", "integer"},
                                                              {"BIGSERIAL", "bigint"},
                                                              {"REAL", "real"},
                                                              {"FLOAT4", "real"},
                                                              {"DOUBLE PRECISION", "double precision"},
                                                              {"FLOAT8", "double precision"},
                                                              {"FLOAT", "double precision"},
                                                              {"BOOLEAN", "boolean"},
                                                              {"BOOL", "boolean"},
                                                              {"DATE", "date"},
                                                              {"TIME", "time without time zone"},
                                                              {"TIMESTAMP", "timestamp without time zone"},
                                                              {"TIMESTAMPTZ", "timestamp with time zone"},
                                                              {"JSONB", "jsonb"},
                                                              {"JSON", "json"},
                                                              {"BYTEA", "bytea"}};
  for (const auto& [from, to] : names)
    if (u == from) return to;
  if (starts_with(u, "VARCHAR(")) return "character varying" + t.substr(7);
  if (starts_with(u, "NUMERIC(") || starts_with(u, "DECIMAL(")) return "numeric" + t.substr(7);
  return to_lower(t);
}

namespace {

// E'x\\y' -> 'x\y': an escape string literal as the catalog prints it (a standard one).
std::string standard_literal(const std::string& v) {
  if (v.size() < 3 || (v[0] != 'e' && v[0] != 'E') || v[1] != '\'') return v;
  std::string out = "'";
  std::size_t i = 2;
  for (; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\'') {
      if (i + 1 < v.size() && v[i + 1] == '\'') {
        out += "''";
        ++i;
        continue;
      }
      break;  // the end of the literal
    }
    if (c == '\\' && i + 1 < v.size()) {
      char n = v[++i];
      c = n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n == 'b' ? '\b' : n == 'f' ? '\f' : n;
      out += c == '\'' ? std::string("''") : std::string(1, c);
      continue;
    }
    out += c;
  }
  if (i >= v.size()) return v;  // not one well-formed literal: left as it is
  return out + "'" + v.substr(i + 1);
}

}  // namespace

std::string pg_catalog_default(const std::string& value) {
  // A type name may hold digits, a schema and quotes: 'x'::e00995_state, 'y'::public."Status".
  static const std::regex cast("::(\"[^\"]*\"|[a-z_][a-z0-9_ ]*)(\\.(\"[^\"]*\"|[a-z_][a-z0-9_]*))?(\\[\\])?");
  std::string v = std::regex_replace(to_lower(standard_literal(trim(value))), cast, "");
  if (v.size() > 1 && v.front() == '(' && v.back() == ')') v = v.substr(1, v.size() - 2);
  // A negative number comes back quoted ('-1'::integer).
  static const std::regex quoted_number("^'(-?[0-9]+(\\.[0-9]+)?)'$");
  return std::regex_replace(v, quoted_number, "$1");
}

namespace {

using namespace schema;

bool serial_type(const std::string& type) {
  std::string u = to_upper(trim(type));
  return u == "SERIAL" || u == "BIGSERIAL" || u == "SMALLSERIAL";
}

std::string fk_action(const std::string& a) {
  std::string u = to_upper(trim(a));
  return u == "NO ACTION" ? std::string() : u;
}

// Plain column keys, no predicate, INCLUDE, WITH, opclass or NULLS: pg_get_indexdef is predictable.
bool plain_index(const Index& ix) {
  if (!ix.where.empty() || !ix.include.empty() || !ix.with.empty()) return false;
  for (const auto& k : ix.keys)
    if (k.expression || !k.opclass.empty() || !k.nulls.empty()) return false;
  return true;
}

std::string method_of(const Index& ix) {
  return ix.method.empty() ? std::string("btree") : to_lower(ix.method);
}

// An index as inspect_postgres reads it: its whole definition as one expression key.
Index as_definition(const Index& ix, const std::string& definition) {
  Index out;
  out.name = ix.name;
  out.table = ix.table;
  out.unique = ix.unique;
  out.method = method_of(ix);
  out.keys.push_back({definition, true, "", "", "", 0});
  return out;
}

// pg_get_indexdef of a plain index.
std::string plain_definition(const Dialect& d, const Index& ix, const std::string& pg_schema,
                             const std::string& relation) {
  std::vector<std::string> keys;
  for (const auto& k : ix.keys) keys.push_back(d.quote(k.text) + (to_upper(k.order) == "DESC" ? " DESC" : ""));
  return std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX " + d.quote(ix.name) + " ON " +
         d.quote(pg_schema) + "." + d.quote(relation) + " USING " + method_of(ix) + " (" + join(keys, ", ") + ")";
}

std::string str(const db::Row& row, std::size_t i) {
  return row.at(i).value_or("");
}

// Temporary objects in one transaction, rolled back at the end whatever happens.
class Probe {
 public:
  Probe(db::Connection& conn, CatalogFormNotes& notes) : conn_(conn), notes_(notes) {}
  ~Probe() {
    if (!open_) return;
    try {
      conn_.execute("ROLLBACK");
    } catch (const db::DbError&) {
    }
  }
  // Runs `sql` in its own savepoint; false (and the object noted as unchecked) when the server refuses it.
  bool run(const std::string& sql, const std::string& what) {
    if (!open_) {
      conn_.execute("BEGIN");
      conn_.execute("SET LOCAL check_function_bodies = off");
      open_ = true;
    }
    ++notes_.probe_statements;
    conn_.execute("SAVEPOINT schemactl_probe");
    try {
      conn_.execute(sql);
      conn_.execute("RELEASE SAVEPOINT schemactl_probe");
      return true;
    } catch (const db::DbError& e) {
      conn_.execute("ROLLBACK TO SAVEPOINT schemactl_probe");
      notes_.unchecked.push_back(what + ": " + trim(e.what()));
      return false;
    }
  }
  bool open() const { return open_; }
  std::vector<db::Row> query(const std::string& sql) { return conn_.query(sql); }

 private:
  db::Connection& conn_;
  CatalogFormNotes& notes_;
  bool open_ = false;
};

// An identity column's type as a registry override spells it, in one spelling: "integer GENERATED
// ALWAYS AS IDENTITY" (the catalog keeps the identity apart from the type). False for other types.
bool identity_type(std::string& type) {
  static const std::regex identity("^(.*\\S)\\s+generated\\s+(always|by\\s+default)\\s+as\\s+identity$",
                                   std::regex::icase);
  std::smatch m;
  if (!std::regex_match(type, m, identity)) return false;
  type = m[1].str() + " GENERATED " + (to_upper(m[2].str()) == "ALWAYS" ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY";
  return true;
}

void live_form(Schema& live) {
  for (auto& t : live.tables) {
    for (auto& c : t.columns) {
      c.default_sql = pg_catalog_default(c.default_sql);
      if (!c.identity.empty()) c.type += " GENERATED " + c.identity + " AS IDENTITY";
    }
    t.rows = RowSet{};
    for (auto& f : t.foreign_keys) {
      f.on_delete = fk_action(f.on_delete);
      f.on_update = fk_action(f.on_update);
    }
  }
  for (auto& f : live.functions) {
    f.body = trim(f.body);
    f.language = to_lower(f.language);
  }
  for (auto& v : live.views) v.sql = trim(v.sql);
}

}  // namespace

CatalogFormNotes postgres_catalog_form(Schema& expected, Schema& live, db::Connection* conn) {
  CatalogFormNotes notes;
  const Dialect& d = dialect_for(DialectId::postgres);
  live_form(live);
  expected.skipped.clear();
  std::set<std::string> live_tables, live_functions;
  for (const auto& t : live.tables) live_tables.insert(t.name);
  std::map<std::string, std::string> live_views;  // name -> query (what a view not re-created is taken as)
  for (const auto& v : live.views) live_views[v.name] = v.sql;
  for (const auto& f : live.functions) live_functions.insert(f.name);

  std::optional<Probe> probe;
  if (conn) probe.emplace(*conn, notes);
  // Probe table name -> the expected table it stands for.
  std::map<std::string, std::string> probe_tables;
  for (std::size_t ti = 0; ti < expected.tables.size(); ++ti) {
    Table& t = expected.tables[ti];
    std::vector<std::string> columns;  // for a probe table, with the lowered types
    for (auto& c : t.columns) {
      bool serial = serial_type(c.type);
      columns.push_back(d.quote(c.name) + " " + (serial ? pg_catalog_type(c.type) : c.type));
      c.type = pg_catalog_type(c.type);
      if (identity_type(c.type)) c.auto_increment = true;  // as the catalog reads an identity column
      if (serial) {  // as the catalog reads SERIAL: NOT NULL, the default from the sequence it owns
        c.default_sql = "nextval('" + schema::sequence_name(t.name, c.name) + "')";
        c.nullable = false;
        c.auto_increment = false;
      } else {
        c.default_sql = pg_catalog_default(c.default_sql);
      }
    }
    t.rows = RowSet{};
    for (auto& f : t.foreign_keys) {
      f.on_delete = fk_action(f.on_delete);
      f.on_update = fk_action(f.on_update);
    }
    // Checks and exclusions: what pg_get_constraintdef prints.
    std::vector<std::pair<std::string, std::string>> probes;  // (what, sql)
    bool wanted = live_tables.count(t.name) && probe && !t.external;
    std::string probe_name = "schemactl_probe_" + std::to_string(ti);
    std::string on = "pg_temp." + probe_name;
    for (auto& c : t.checks) {
      if (wanted)
        probes.emplace_back("check " + c.name + " on " + t.name,
                            "ALTER TABLE " + on + " ADD CONSTRAINT " + d.quote(c.name) + " CHECK (" + c.expr + ")");
      c.expr = "CHECK (" + c.expr + ")";
    }
    for (auto& x : t.exclusions) {
      if (wanted) {
        std::vector<std::string> elements;
        for (const auto& e : x.elements)
          elements.push_back((e.expression ? "(" + e.text + ")" : d.quote(e.text)) + " WITH " + e.op);
        probes.emplace_back("exclusion constraint " + x.name + " on " + t.name,
                            "ALTER TABLE " + on + " ADD CONSTRAINT " + d.quote(x.name) + " EXCLUDE USING " + x.method +
                                " (" + join(elements, ", ") + ")" +
                                (x.where.empty() ? "" : " WHERE (" + x.where + ")"));
      }
      Exclusion plain;
      plain.name = x.name;
      plain.elements.push_back({"EXCLUDE USING " + x.method, true, ""});
      x = plain;
    }
    for (auto& ix : t.indexes) {
      if (plain_index(ix)) {
        ix = as_definition(ix, plain_definition(d, ix, expected.pg_schema, t.name));
        continue;
      }
      if (wanted) {
        Index copy = ix;
        std::vector<std::string> keys;
        for (const auto& k : ix.keys) {
          std::string key = k.expression ? "(" + k.text + ")" : d.quote(k.text);
          if (!k.opclass.empty()) key += " " + k.opclass;
          if (!k.order.empty()) key += " " + k.order;
          if (!k.nulls.empty()) key += " NULLS " + k.nulls;
          keys.push_back(key);
        }
        std::string sql = std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX " + d.quote(ix.name) + " ON " +
                          on + " USING " + method_of(ix) + " (" + join(keys, ", ") + ")";
        if (!ix.include.empty()) {
          std::vector<std::string> inc;
          for (const auto& c : ix.include) inc.push_back(d.quote(c));
          sql += " INCLUDE (" + join(inc, ", ") + ")";
        }
        if (!ix.with.empty()) {
          std::vector<std::string> params;
          for (const auto& [k, v] : ix.with) params.push_back(k + " = " + v);
          sql += " WITH (" + join(params, ", ") + ")";
        }
        if (!ix.where.empty()) sql += " WHERE (" + ix.where + ")";
        probes.emplace_back("index " + ix.name + " on " + t.name, sql);
      }
      ix = as_definition(ix, "");  // filled in from the probe, or left to differ
    }
    if (probes.empty()) continue;
    if (!probe->run("CREATE TEMPORARY TABLE " + probe_name + " (" + join(columns, ", ") + ")",
                    "the checks, exclusion constraints and indexes of " + t.name))
      continue;
    probe_tables[probe_name] = t.name;
    for (const auto& [what, sql] : probes) probe->run(sql, what);
  }
  // Views and materialized views: pg_get_viewdef of a temporary view with the same query.
  std::map<std::string, std::size_t> probe_views;
  for (std::size_t vi = 0; vi < expected.views.size(); ++vi) {
    View& v = expected.views[vi];
    for (auto& ix : v.indexes)
      ix = as_definition(ix, plain_index(ix) ? plain_definition(d, ix, expected.pg_schema, v.name) : "");
    if (!probe || !live_views.count(v.name)) continue;
    std::string name = "schemactl_probe_v" + std::to_string(vi);
    if (probe->run("CREATE TEMPORARY VIEW " + name + " AS " + v.sql, "the query of view " + v.name))
      probe_views[name] = vi;
    else
      v.sql = live_views[v.name];  // not checked (the notes say so), so not drift either
  }
  // Functions: the argument list and result type as the catalog prints them.
  std::map<std::string, std::size_t> probe_functions;
  for (std::size_t fi = 0; fi < expected.functions.size(); ++fi) {
    Function& f = expected.functions[fi];
    f.body = trim(f.body);
    f.language = to_lower(f.language);
    f.volatility = to_upper(f.volatility);
    if (!probe || !live_functions.count(f.name)) continue;
    std::string name = "schemactl_probe_f" + std::to_string(fi);
    std::string body = f.body + "\n";
    if (probe->run("CREATE FUNCTION pg_temp." + name + "(" + f.arguments + ") RETURNS " + f.returns + " LANGUAGE " +
                       f.language + " AS " + dollar_quote(body, "probe"),
                   "the signature of function " + f.name))
      probe_functions[name] = fi;
  }
  if (!probe || !probe->open()) {
    for (auto& v : expected.views) v.sql = trim(v.sql);
    return notes;
  }
  auto expected_table = [&](const std::string& probe_name) -> Table* {
    auto it = probe_tables.find(probe_name);
    if (it == probe_tables.end()) return nullptr;
    for (auto& t : expected.tables)
      if (t.name == it->second) return &t;
    return nullptr;
  };
  for (const auto& row :
       probe->query("SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_constraint con "
                    "JOIN pg_class c ON c.oid = con.conrelid WHERE c.relnamespace = pg_my_temp_schema() "
                    "AND c.relname LIKE 'schemactl_probe_%'")) {
    Table* t = expected_table(str(row, 0));
    if (!t) continue;
    for (auto& c : t->checks)
      if (c.name == str(row, 1) && str(row, 2) == "c") c.expr = str(row, 3);
    for (auto& x : t->exclusions)
      if (x.name == str(row, 1) && str(row, 2) == "x") x.elements.at(0).text = str(row, 3);
  }
  static const std::regex temp_relation(" ON pg_temp(_[0-9]+)?\\.schemactl_probe_[0-9]+ ");
  for (const auto& row : probe->query(
           "SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = "
           "x.indexrelid JOIN pg_class t ON t.oid = x.indrelid WHERE t.relnamespace = pg_my_temp_schema() AND "
           "t.relname LIKE 'schemactl_probe_%' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
           "x.indexrelid)")) {
    Table* t = expected_table(str(row, 0));
    if (!t) continue;
    for (auto& ix : t->indexes)
      if (ix.name == str(row, 1))
        ix.keys.at(0).text = std::regex_replace(str(row, 2), temp_relation,
                                                " ON " + d.quote(expected.pg_schema) + "." + d.quote(t->name) + " ");
  }
  for (const auto& row :
       probe->query("SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c WHERE c.relnamespace = "
                    "pg_my_temp_schema() AND c.relkind = 'v' AND c.relname LIKE 'schemactl_probe_v%'"))
    if (auto it = probe_views.find(str(row, 0)); it != probe_views.end()) expected.views[it->second].sql = str(row, 1);
  for (const auto& row :
       probe->query("SELECT proname, pg_get_function_arguments(oid), pg_get_function_result(oid) FROM pg_proc "
                    "WHERE pronamespace = pg_my_temp_schema() AND proname LIKE 'schemactl_probe_f%'"))
    if (auto it = probe_functions.find(str(row, 0)); it != probe_functions.end()) {
      expected.functions[it->second].arguments = str(row, 1);
      expected.functions[it->second].returns = str(row, 2);
    }
  for (auto& v : expected.views) v.sql = trim(v.sql);
  return notes;
}

}  // namespace schemactl
