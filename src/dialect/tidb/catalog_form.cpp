// TiDB / MySQL family: a lowered schema in information_schema's spelling, for comparing with
// inspect_tidb. MariaDB (the stand-in for TiDB in tests) reports JSON as LONGTEXT with a json_valid()
// check of its own, BOOLEAN as tinyint(1), unique constraints as unique indexes, and adds an index
// for each foreign key that has none. View bodies are re-printed by the server: each is created as
// a scratch view, read back from information_schema and dropped again.
#include "dialect/catalog_form.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "dialect/dialect.hpp"
#include "util/text.hpp"

namespace schemactl {

std::string mariadb_catalog_type(const std::string& lowered) {
  std::string u = to_upper(trim(lowered));
  if (u == "INT") return "int(11)";
  if (u == "BIGINT") return "bigint(20)";
  if (u == "SMALLINT") return "smallint(6)";
  if (u == "BOOLEAN") return "tinyint(1)";
  if (u == "JSON") return "longtext";
  if (starts_with(u, "ENUM(")) {
    std::string out;
    std::string t = trim(lowered);
    bool quoted = false;
    for (char c : t) {
      if (c == '\'') quoted = !quoted;
      if (!quoted && c == ' ') continue;
      out += c;
    }
    return "enum" + out.substr(4);
  }
  return to_lower(trim(lowered));
}

std::string mariadb_catalog_default(const std::string& value) {
  std::string v = to_lower(trim(value));
  if (v.empty()) return "null";
  if (v == "true") return "1";
  if (v == "false") return "0";
  if (v == "(current_date)") return "curdate()";
  if (v.size() > 1 && v.front() == '(' && v.back() == ')') v = v.substr(1, v.size() - 2);
  // CURRENT_TIMESTAMP, NOW() and their precisions as MariaDB prints them: current_timestamp(), (3).
  static const std::regex now("^(current_timestamp|now|localtimestamp|localtime)(\\(([0-9]*)\\))?$");
  std::smatch m;
  if (std::regex_match(v, m, now)) return "current_timestamp(" + (m[3] == "0" ? std::string() : m[3].str()) + ")";
  // MariaDB prints numeric defaults in their shortest form: 1.0 -> 1.
  static const std::regex trailing_zeros("^(-?[0-9]+)\\.0+$");
  return std::regex_replace(v, trailing_zeros, "$1");
}

namespace {

using namespace schema;

// A check expression without identifier quotes, in lower case outside string literals, with blanks
// only where they separate two words: "`role` in ('a','b')" and "role IN ('a', 'b')" read alike.
std::string loose_expression(const std::string& expr) {
  std::string out;
  bool quoted = false, blank = false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (char c : expr) {
    if (quoted) {
      out += c;
      if (c == '\'') quoted = false;
      continue;
    }
    if (c == '`') continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = true;
      continue;
    }
    if (blank && !out.empty() && word(out.back()) && word(c)) out += ' ';
    blank = false;
    if (c == '\'') quoted = true;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string fk_action(const std::string& a) {
  std::string u = to_upper(trim(a));
  return u == "RESTRICT" || u == "NO ACTION" ? std::string() : u;
}

void key_form(IndexKey& k) {
  k.order = to_upper(k.order) == "DESC" ? "DESC" : "";
  k.opclass.clear();
  k.nulls.clear();
}

std::string str(const db::Row& row, std::size_t i) {
  return row.at(i).value_or("");
}

// ON UPDATE CURRENT_TIMESTAMP(3) in the spelling of defaults (current_timestamp(3)); none stays none.
std::string on_update_form(const std::string& value) {
  return trim(value).empty() ? std::string() : mariadb_catalog_default(value);
}

}  // namespace

CatalogFormNotes tidb_catalog_form(Schema& expected, Schema& live, db::Connection* conn) {
  CatalogFormNotes notes;
  // The MySQL family has no schemas in a database: the registry's `postgres.schema` is not drift.
  live.pg_schema = expected.pg_schema;
  std::map<std::string, std::string> live_views;  // name -> query
  for (auto& t : live.tables) {
    t.rows = RowSet{};
    for (auto& c : t.columns) {
      c.default_sql = mariadb_catalog_default(c.default_sql);
      c.on_update = on_update_form(c.on_update);
    }
    for (auto& f : t.foreign_keys) {
      f.on_delete = fk_action(f.on_delete);
      f.on_update = fk_action(f.on_update);
    }
    // MariaDB's own json_valid(`c`) check on a JSON column c.
    std::vector<Check> checks;
    for (auto& c : t.checks) {
      if (t.column(c.name) && loose_expression(c.expr) == "json_valid(" + to_lower(c.name) + ")") continue;
      c.expr = loose_expression(c.expr);
      checks.push_back(c);
    }
    t.checks = checks;
    // The index the server made for a foreign key without one, unless the registry has it too.
    const Table* want = expected.table(t.name);
    std::vector<Index> indexes;
    for (auto& ix : t.indexes) {
      bool declared = false;
      if (want) {
        for (const auto& w : want->indexes) declared = declared || w.name == ix.name;
        for (const auto& u : want->uniques) declared = declared || u.name == ix.name;
      }
      bool fk_index = false;
      for (const auto& f : t.foreign_keys) fk_index = fk_index || f.name == ix.name;
      if (fk_index && !declared) continue;
      for (auto& k : ix.keys) key_form(k);
      indexes.push_back(ix);
    }
    t.indexes = indexes;
  }
  for (auto& v : live.views) {
    v.sql = trim(v.sql);
    live_views[v.name] = v.sql;
  }
  const Schema lowered_tables = expected;
  expected.enums.clear();
  expected.functions.clear();
  expected.extensions.clear();
  expected.skipped.clear();
  for (auto& t : expected.tables) {
    t.rows = RowSet{};
    for (auto& c : t.columns) {
      c.type = mariadb_catalog_type(c.type);
      c.default_sql = mariadb_catalog_default(c.default_sql);
      c.on_update = on_update_form(c.on_update);
      // An AUTO_INCREMENT column is NOT NULL in the catalog whatever the DDL says (MySQL, MariaDB
      // and TiDB all add it; a NULL inserted there takes the next number): a serial column the
      // registry leaves nullable reads as NOT NULL.
      if (c.auto_increment) c.nullable = false;
    }
    if (t.primary_key) t.primary_key->name = "PRIMARY";
    for (auto& f : t.foreign_keys) {
      f.on_delete = fk_action(f.on_delete);
      f.on_update = fk_action(f.on_update);
    }
    for (auto& c : t.checks) c.expr = loose_expression(c.expr);
    for (auto& ix : t.indexes) {
      ix.method.clear();
      ix.where.clear();
      ix.include.clear();
      ix.with.clear();
      for (auto& k : ix.keys) key_form(k);
    }
    for (const auto& u : t.uniques) {
      Index ix;
      ix.name = u.name;
      ix.table = t.name;
      ix.unique = true;
      for (const auto& c : u.columns) ix.keys.push_back({c, false, "", "", "", 0});
      t.indexes.push_back(ix);
    }
    t.uniques.clear();
  }
  const Dialect& d = dialect_for(DialectId::tidb);
  // Checks the server re-prints (it drops redundant parentheses, lower-cases keywords): a temporary
  // table with the expected columns and checks, read back with SHOW CREATE TABLE, for each table
  // whose checks do not already read alike.
  for (auto& t : expected.tables) {
    const Table* l = live.table(t.name);
    if (!conn || !l || t.checks.empty()) continue;
    bool alike = true;
    for (const auto& c : t.checks) {
      auto it = std::find_if(l->checks.begin(), l->checks.end(), [&](const Check& x) { return x.name == c.name; });
      alike = alike && it != l->checks.end() && it->expr == c.expr;
    }
    if (alike) continue;
    const Table* lowered = lowered_tables.table(t.name);
    std::vector<std::string> parts;
    for (const auto& c : lowered->columns) parts.push_back(d.quote(c.name) + " " + c.type);
    for (const auto& c : lowered->checks) parts.push_back("CONSTRAINT " + d.quote(c.name) + " CHECK (" + c.expr + ")");
    const std::string probe = kScratchViewPrefix;  // a temporary table is the session's own
    try {
      ++notes.probe_statements;
      conn->execute("CREATE TEMPORARY TABLE " + d.quote(probe) + " (" + join(parts, ", ") + ")");
      auto rows = conn->query("SHOW CREATE TABLE " + d.quote(probe));
      conn->execute("DROP TEMPORARY TABLE IF EXISTS " + d.quote(probe));
      std::string text = rows.empty() ? std::string() : str(rows.at(0), 1);
      for (auto& c : t.checks) {
        std::string quoted;  // SHOW CREATE TABLE quotes every name
        for (char ch : c.name) quoted += ch == '`' ? std::string("``") : std::string(1, ch);
        std::string head = "CONSTRAINT `" + quoted + "` CHECK (";
        auto at = text.find(head);
        if (at == std::string::npos) continue;
        auto end = text.find('\n', at);
        std::string line =
            text.substr(at + head.size(), end == std::string::npos ? std::string::npos : end - at - head.size());
        while (!line.empty() && (line.back() == ',' || std::isspace(static_cast<unsigned char>(line.back()))))
          line.pop_back();
        if (!line.empty() && line.back() == ')') line.pop_back();
        c.expr = loose_expression(line);
      }
    } catch (const db::DbError& e) {
      notes.unchecked.push_back("the checks of " + t.name + ": " + trim(e.what()));
      try {
        conn->execute("DROP TEMPORARY TABLE IF EXISTS " + d.quote(probe));
      } catch (const db::DbError&) {
      }
    }
  }
  std::string scratch_view;  // named on first use: this session's own (no temporary views here)
  for (auto& v : expected.views) {
    v.comment.clear();
    v.indexes.clear();
    v.sql = trim(v.sql);
    if (!conn || !live_views.count(v.name)) continue;
    // The server's own text of the query: a scratch view, read back and dropped.
    if (scratch_view.empty()) {
      auto id = conn->query("SELECT CONNECTION_ID()");
      scratch_view = std::string(kScratchViewPrefix) + "_" + (id.empty() ? std::string("0") : str(id.at(0), 0));
    }
    const std::string& probe = scratch_view;
    try {
      ++notes.probe_statements;
      conn->execute("CREATE OR REPLACE VIEW " + d.quote(probe) + " AS " + v.sql);
      auto rows = conn->query(
          "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
          {probe});
      conn->execute("DROP VIEW IF EXISTS " + d.quote(probe));
      if (!rows.empty()) v.sql = trim(str(rows.at(0), 0));
    } catch (const db::DbError& e) {
      notes.unchecked.push_back("the query of view " + v.name + ": " + trim(e.what()));
      v.sql = live_views[v.name];  // not checked (the notes say so), so not drift either
      try {
        conn->execute("DROP VIEW IF EXISTS " + d.quote(probe));
      } catch (const db::DbError&) {
      }
    }
  }
  return notes;
}

}  // namespace schemactl
