// MySQL-protocol catalog (information_schema) -> schema::Schema, for TiDB, MySQL and MariaDB.
#include "dialect/inspect.hpp"

#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "dialect/catalog_form.hpp"
#include "util/text.hpp"

namespace schemactl {
namespace {

std::string str(const db::Row& row, std::size_t i) {
  return row.at(i).value_or("");
}

// "current_timestamp()", "CURRENT_TIMESTAMP(3)", "now()" ... -> "CURRENT_TIMESTAMP" / "CURRENT_TIMESTAMP(3)";
// "" for anything else (what the registry cannot say).
std::string on_update_expression(const std::string& text) {
  static const std::regex now("^(current_timestamp|now|localtimestamp|localtime)(\\(([0-9]*)\\))?$");
  std::string t = to_lower(trim(text));  // anything after it (INVISIBLE ...) stays refused
  std::smatch m;
  if (!std::regex_match(t, m, now)) return {};
  return m[3].str().empty() || m[3] == "0" ? std::string("CURRENT_TIMESTAMP") : "CURRENT_TIMESTAMP(" + m[3].str() + ")";
}

}  // namespace

schema::Schema inspect_tidb(db::Connection& conn) {
  schema::Schema s;
  s.dialect = DialectId::tidb;
  bool charset_read = false;
  std::map<std::string, std::size_t> table_index;
  // For what the registry cannot say (s.refused): each table's collation, and each column's where
  // it has one.
  std::map<std::string, std::string> table_collation;
  std::vector<std::tuple<std::string, std::string, std::string>> column_collations;  // table, column, collation
  for (const auto& row :
       conn.query("SELECT TABLE_NAME, TABLE_COMMENT, TABLE_COLLATION, CREATE_OPTIONS FROM information_schema.TABLES "
                  "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
    schema::Table t;
    t.name = str(row, 0);
    t.comment = str(row, 1);
    table_collation[t.name] = str(row, 2);
    if (to_lower(str(row, 3)).find("partitioned") != std::string::npos)
      s.refused.push_back({t.name, "table " + t.name, "is partitioned"});
    table_index[t.name] = s.tables.size();
    s.tables.push_back(std::move(t));
  }
  for (const auto& row :
       conn.query("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, "
                  "COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, "
                  "ORDINAL_POSITION")) {
    auto it = table_index.find(str(row, 0));
    if (it == table_index.end()) continue;
    schema::Column c;
    c.name = str(row, 1);
    c.type = str(row, 2);
    c.nullable = str(row, 3) == "YES";
    c.default_sql = row.at(4) ? *row.at(4) : "";
    c.auto_increment = to_lower(str(row, 5)).find("auto_increment") != std::string::npos;
    c.comment = str(row, 6);
    // MySQL 8 says DEFAULT_GENERATED of an expression default: that one is a default.
    std::string extra = to_lower(str(row, 5));
    std::string what = "column " + str(row, 0) + "." + c.name;
    if (extra.find("virtual generated") != std::string::npos || extra.find("stored generated") != std::string::npos)
      s.refused.push_back({str(row, 0), what, "is generated (" + str(row, 5) + ")"});
    if (auto at = extra.find("on update "); at != std::string::npos) {
      // MariaDB: "on update current_timestamp(3)"; MySQL 8 and TiDB: "DEFAULT_GENERATED on update
      // CURRENT_TIMESTAMP(3)". Kept as CURRENT_TIMESTAMP with the precision, as lowering spells it.
      c.on_update = on_update_expression(extra.substr(at + 10));
      if (c.on_update.empty()) s.refused.push_back({str(row, 0), what, "has " + str(row, 5).substr(at)});
    }
    if (row.at(7)) column_collations.emplace_back(str(row, 0), c.name, str(row, 7));
    s.tables[it->second].columns.push_back(std::move(c));
  }
  // Foreign keys: their rules and their columns in two queries, joined here. MariaDB 10.11 answers
  // the two in 25 + 40 ms at 1,000 tables but their join in SQL in 470-550 ms (docs/benchmarks.md).
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<std::string, std::string>>> fk_columns;
  for (const auto& row : conn.query("SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_COLUMN_NAME FROM "
                                    "information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_SCHEMA = DATABASE() "
                                    "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"))
    fk_columns[{str(row, 0), str(row, 1)}].emplace_back(str(row, 2), str(row, 3));
  for (const auto& row :
       conn.query("SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE FROM "
                  "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() "
                  "ORDER BY TABLE_NAME, CONSTRAINT_NAME")) {
    auto it = table_index.find(str(row, 0));
    if (it == table_index.end()) continue;
    auto cols = fk_columns.find({str(row, 0), str(row, 1)});
    if (cols == fk_columns.end()) continue;  // no key columns: the join found no row
    schema::Table& t = s.tables[it->second];
    auto action = [](const std::string& a) { return a == "RESTRICT" || a == "NO ACTION" ? std::string() : a; };
    t.foreign_keys.push_back({str(row, 1), {}, str(row, 2), {}, action(str(row, 3)), action(str(row, 4))});
    auto& fk = t.foreign_keys.back();
    for (const auto& [column, ref_column] : cols->second) {
      fk.columns.push_back(column);
      fk.ref_columns.push_back(ref_column);
    }
  }
  std::map<std::string, std::size_t> index_pos;
  std::set<std::string> index_commented;
  for (const auto& row : conn.query("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, "
                                    "INDEX_TYPE, INDEX_COMMENT FROM "
                                    "information_schema.STATISTICS "
                                    "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")) {
    auto it = table_index.find(str(row, 0));
    if (it == table_index.end()) continue;
    schema::Table& t = s.tables[it->second];
    std::string name = str(row, 1);
    std::string column = str(row, 3);
    if (!str(row, 7).empty() && index_commented.insert(t.name + "." + name).second)
      s.refused.push_back(
          {t.name, (name == "PRIMARY" ? "primary key on " : "index " + name + " on ") + t.name, "has a comment"});
    if (name == "PRIMARY") {
      if (!t.primary_key) t.primary_key = schema::PrimaryKey{"PRIMARY", {}};
      t.primary_key->columns.push_back(column);
      continue;
    }
    std::string key = t.name + "." + name;
    if (!index_pos.count(key)) {
      index_pos[key] = t.indexes.size();
      schema::Index ix;
      ix.name = name;
      ix.table = t.name;
      ix.unique = str(row, 2) == "0";
      ix.catalog.kind = str(row, 6);
      t.indexes.push_back(std::move(ix));
    }
    schema::IndexKey k;
    k.text = column;
    k.order = str(row, 5) == "D" ? "DESC" : "";
    k.prefix = row.at(4) ? std::atoi(row.at(4)->c_str()) : 0;
    t.indexes[index_pos[key]].keys.push_back(k);
    t.indexes[index_pos[key]].catalog.keys.push_back(k);
  }
  for (const auto& row :
       conn.query("SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                  "WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME")) {
    auto it = table_index.find(str(row, 0));
    if (it == table_index.end()) continue;
    s.tables[it->second].checks.push_back({str(row, 1), str(row, 2)});
  }
  // A column whose collation is not its table's (MariaDB's JSON columns are utf8mb4_bin, with the
  // json_valid() check named after them, whatever the table's).
  for (const auto& [table, column, collation] : column_collations) {
    const schema::Table& t = s.tables[table_index.at(table)];
    bool json = false;
    for (const auto& c : t.checks)
      if (c.name == column && c.expr == "json_valid(`" + column + "`)") json = true;
    if (!json && collation != table_collation[table])
      s.refused.push_back({table, "column " + table + "." + column,
                           "has the collation " + collation + ", not its table's (" + table_collation[table] + ")"});
  }
  for (const auto& row :
       conn.query("SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, INSTR(VERSION(), 'TiDB') > 0 "
                  "FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")) {
    if (is_scratch_view(str(row, 0))) continue;  // a killed diff's leftover, not the database's
    // (TiDB lists every view as CASCADED, and checks no view's rows.)
    if (str(row, 4) != "1" && !str(row, 2).empty() && to_upper(str(row, 2)) != "NONE")
      s.refused.push_back({str(row, 0), "view " + str(row, 0), "has WITH " + str(row, 2) + " CHECK OPTION"});
    if (!str(row, 3).empty() && to_upper(str(row, 3)) != "DEFINER")
      s.refused.push_back({str(row, 0), "view " + str(row, 0), "has SQL SECURITY " + str(row, 3)});
    schema::View v;
    v.name = str(row, 0);
    v.sql = str(row, 1);
    s.views.push_back(std::move(v));
  }
  // The character set and collation most tables use (the registry sets one for all tables). Tables
  // are counted per collation before the join: joined first, MariaDB took 190 ms, now 40 ms.
  for (const auto& row :
       conn.query("SELECT c.CHARACTER_SET_NAME, g.TABLE_COLLATION, g.n FROM (SELECT TABLE_COLLATION, COUNT(*) AS n "
                  "FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' "
                  "GROUP BY TABLE_COLLATION) g JOIN information_schema.COLLATION_CHARACTER_SET_APPLICABILITY c "
                  "ON c.COLLATION_NAME = g.TABLE_COLLATION ORDER BY 3 DESC, 2")) {
    if (row.at(0) && row.at(1) && !charset_read) {
      s.tidb_charset = str(row, 0);
      s.tidb_collation = str(row, 1);
      charset_read = true;
      continue;
    }
    if (charset_read)
      s.skipped.push_back({str(row, 2) + " table(s) with collation " + str(row, 1),
                           "the registry gives every table the collation " + s.tidb_collation});
  }
  // Triggers, stored routines, sequences and events (the schema model has no place for them).
  for (const auto& row :
       conn.query("SELECT CONCAT('trigger ', TRIGGER_NAME, ' on ', EVENT_OBJECT_TABLE), 'the registry has no triggers' "
                  "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() UNION ALL "
                  "SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME), 'the registry has no TiDB routines' "
                  "FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() UNION ALL "
                  "SELECT CONCAT('sequence ', TABLE_NAME), 'the registry has no TiDB sequences' "
                  "FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SEQUENCE' "
                  "UNION ALL SELECT CONCAT('event ', EVENT_NAME), 'the registry has no events' "
                  "FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() ORDER BY 1"))
    s.skipped.push_back({str(row, 0), str(row, 1)});
  return s;
}

}  // namespace schemactl
