// Postgres catalog -> schema::Schema (pg_catalog queries; spelled as the catalog spells things).
#include "dialect/inspect.hpp"

#include <map>

#include "util/text.hpp"

namespace schemactl {
namespace {

std::string str(const db::Row& row, std::size_t i) {
  return row.at(i).value_or("");
}

std::vector<std::string> split_names(const std::string& csv) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= csv.size() && !csv.empty()) {
    auto comma = csv.find(',', start);
    out.push_back(csv.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string fk_action(const std::string& code) {
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  if (code == "r") return "RESTRICT";
  return "";  // 'a': NO ACTION, the default
}

}  // namespace

schema::Schema inspect_postgres(db::Connection& conn, const std::string& pg_schema) {
  schema::Schema s;
  s.dialect = DialectId::postgres;
  s.pg_schema = pg_schema;
  std::map<std::string, std::size_t> table_index;
  for (const auto& row :
       conn.query("SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') FROM pg_class c "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') "
                  "ORDER BY c.relname",
                  {pg_schema})) {
    schema::Table t;
    t.name = str(row, 0);
    t.comment = str(row, 1);
    table_index[t.name] = s.tables.size();
    s.tables.push_back(std::move(t));
  }
  for (const auto& row :
       conn.query("SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                  "pg_get_expr(d.adbin, d.adrelid), coalesce(col_description(c.oid, a.attnum), ''), a.attidentity "
                  "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                  "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
                  "ORDER BY c.relname, a.attnum",
                  {pg_schema})) {
    auto it = table_index.find(str(row, 0));
    if (it == table_index.end()) continue;
    schema::Column c;
    c.name = str(row, 1);
    c.type = str(row, 2);
    c.nullable = str(row, 3) != "t";
    c.default_sql = str(row, 4);
    c.comment = str(row, 5);
    c.auto_increment = !str(row, 6).empty();
    s.tables[it->second].columns.push_back(std::move(c));
  }
  // Constraints, with column names resolved in key order.
  for (const auto& row : conn.query(
           "SELECT cl.relname, con.conname, con.contype, coalesce(fcl.relname, ''), con.confdeltype, "
           "con.confupdtype, pg_get_constraintdef(con.oid), "
           "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) "
           " JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num), "
           "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) "
           " JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num) "
           "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
           "JOIN pg_namespace n ON n.oid = cl.relnamespace LEFT JOIN pg_class fcl ON fcl.oid = con.confrelid "
           "WHERE n.nspname = $1 ORDER BY cl.relname, con.conname",
           {pg_schema})) {
    auto it = table_index.find(str(row, 0));
    if (it == table_index.end()) continue;
    schema::Table& t = s.tables[it->second];
    std::string type = str(row, 2);
    std::string name = str(row, 1);
    auto cols = split_names(str(row, 7));
    if (type == "p") {
      t.primary_key = schema::PrimaryKey{name, cols};
    } else if (type == "u") {
      t.uniques.push_back({name, cols});
    } else if (type == "c") {
      t.checks.push_back({name, str(row, 6)});
    } else if (type == "f") {
      t.foreign_keys.push_back(
          {name, cols, str(row, 3), split_names(str(row, 8)), fk_action(str(row, 4)), fk_action(str(row, 5))});
    } else if (type == "x") {
      schema::Exclusion x;
      x.name = name;
      x.elements.push_back({str(row, 6), true, ""});
      t.exclusions.push_back(std::move(x));
    }
  }
  for (const auto& row : conn.query(
           "SELECT viewname, definition, false, coalesce(obj_description(format('%I.%I', schemaname, "
           "viewname)::regclass, "
           "'pg_class'), '') FROM pg_views WHERE schemaname = $1 "
           "UNION ALL SELECT matviewname, definition, true, coalesce(obj_description(format('%I.%I', schemaname, "
           "matviewname)::regclass, 'pg_class'), '') FROM pg_matviews WHERE schemaname = $1 ORDER BY 1",
           {pg_schema})) {
    schema::View v;
    v.name = str(row, 0);
    v.sql = trim(str(row, 1));
    v.materialized = str(row, 2) == "t";
    v.comment = str(row, 3);
    s.views.push_back(std::move(v));
  }
  // Indexes that no constraint owns (those are reported as constraints above).
  for (const auto& row : conn.query(
           "SELECT t.relname, i.relname, ix.indisunique, am.amname, pg_get_indexdef(ix.indexrelid) "
           "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
           "JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam "
           "WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid) "
           "ORDER BY t.relname, i.relname",
           {pg_schema})) {
    schema::Index ix;
    ix.table = str(row, 0);
    ix.name = str(row, 1);
    ix.unique = str(row, 2) == "t";
    ix.method = str(row, 3);
    ix.keys.push_back({str(row, 4), true, "", "", "", 0});
    if (auto it = table_index.find(ix.table); it != table_index.end()) {
      s.tables[it->second].indexes.push_back(std::move(ix));
      continue;
    }
    for (auto& v : s.views)
      if (v.name == ix.table) v.indexes.push_back(ix);
  }
  for (const auto& row :
       conn.query("SELECT p.proname, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), l.lanname, "
                  "p.provolatile, p.prosrc, coalesce(obj_description(p.oid, 'pg_proc'), '') FROM pg_proc p "
                  "JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang "
                  "WHERE n.nspname = $1 AND p.prokind = 'f' AND NOT EXISTS (SELECT 1 FROM pg_depend d "
                  "WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') ORDER BY p.proname",
                  {pg_schema})) {
    std::string vol = str(row, 4);
    s.functions.push_back({str(row, 0),
                           str(row, 1),
                           str(row, 2),
                           str(row, 3),
                           vol == "i"   ? "IMMUTABLE"
                           : vol == "s" ? "STABLE"
                                        : "VOLATILE",
                           str(row, 5),
                           str(row, 6),
                           {}});
  }
  for (const auto& row : conn.query(
           "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder), "
           "coalesce(obj_description(t.oid, 'pg_type'), '') FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid "
           "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 GROUP BY t.oid, t.typname "
           "ORDER BY t.typname",
           {pg_schema}))
    s.enums.push_back({str(row, 0), split_names(str(row, 1)), str(row, 2)});
  for (const auto& row :
       conn.query("SELECT extname, coalesce(obj_description(oid, 'pg_extension'), '') FROM pg_extension "
                  "WHERE extname <> 'plpgsql' ORDER BY extname"))
    s.extensions.push_back({str(row, 0), str(row, 1)});
  return s;
}

}  // namespace schemactl
