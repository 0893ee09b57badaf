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

// Objects an extension owns (pg_depend deptype 'e') are the extension's, not the schema's.
std::string not_extension_owned(const std::string& catalog, const std::string& oid) {
  return "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" + catalog + "'::regclass AND d.objid = " + oid +
         " AND d.deptype = 'e')";
}

}  // namespace

schema::Schema inspect_postgres(db::Connection& conn, const std::string& pg_schema) {
  schema::Schema s;
  s.dialect = DialectId::postgres;
  s.pg_schema = pg_schema;
  std::map<std::string, std::size_t> table_index;
  std::map<std::string, std::pair<std::string, std::size_t>> exclusion_index;  // index name -> (table, position)
  for (const auto& row : conn.query(
           "SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') FROM pg_class c "
           "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND " +
               not_extension_owned("pg_class", "c.oid") + " ORDER BY c.relname",
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
    if (str(row, 6) == "a") c.identity = "ALWAYS";
    if (str(row, 6) == "d") c.identity = "BY DEFAULT";
    s.tables[it->second].columns.push_back(std::move(c));
  }
  // Sequences, with the column that owns each (serial: OWNED BY, deptype 'a'; identity: 'i').
  for (const auto& row :
       conn.query("SELECT c.relname, format_type(sq.seqtypid, NULL), sq.seqstart::text, sq.seqincrement::text, "
                  "sq.seqmin::text, sq.seqmax::text, sq.seqcache::text, sq.seqcycle, coalesce(t.relname, ''), "
                  "coalesce(a.attname, ''), coalesce(d.deptype::text, '') FROM pg_class c "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence sq ON sq.seqrelid = c.oid "
                  "LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid "
                  " AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') "
                  "LEFT JOIN pg_class t ON t.oid = d.refobjid "
                  "LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                  "WHERE n.nspname = $1 AND c.relkind = 'S' AND " +
                      not_extension_owned("pg_class", "c.oid") + " ORDER BY c.relname",
                  {pg_schema})) {
    schema::Sequence q;
    q.name = str(row, 0);
    q.type = str(row, 1);
    q.start = str(row, 2);
    q.increment = str(row, 3);
    q.min = str(row, 4);
    q.max = str(row, 5);
    q.cache = str(row, 6);
    q.cycle = str(row, 7) == "t";
    q.owner_table = str(row, 8);
    q.owner_column = str(row, 9);
    q.owner_kind = str(row, 10) == "a" ? "serial" : str(row, 10) == "i" ? "identity" : "";
    if (q.owner_kind == "serial")
      if (auto it = table_index.find(q.owner_table); it != table_index.end())
        for (auto& c : s.tables[it->second].columns)
          if (c.name == q.owner_column) c.sequence = q.name;
    s.sequences.push_back(std::move(q));
  }
  // Constraints, with column names resolved in key order.
  for (const auto& row : conn.query(
           "SELECT cl.relname, con.conname, con.contype, coalesce(fcl.relname, ''), con.confdeltype, "
           "con.confupdtype, pg_get_constraintdef(con.oid), "
           "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) "
           " JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num), "
           "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) "
           " JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num), "
           "(SELECT string_agg(o.oprname, ',' ORDER BY k.ord) FROM unnest(con.conexclop) WITH ORDINALITY k(op, ord) "
           " JOIN pg_operator o ON o.oid = k.op), coalesce((SELECT ic.relname FROM pg_class ic WHERE ic.oid = "
           "con.conindid), '') "
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
      // Element by element from its index (read below); the operators in order.
      for (const auto& op : split_names(str(row, 9))) x.catalog.elements.push_back({"", false, op});
      exclusion_index[str(row, 10)] = {t.name, t.exclusions.size()};
      t.exclusions.push_back(std::move(x));
    }
  }
  for (const auto& row : conn.query(
           "SELECT viewname, definition, false, coalesce(obj_description(format('%I.%I', schemaname, "
           "viewname)::regclass, "
           "'pg_class'), '') FROM pg_views WHERE schemaname = $1 AND " +
               not_extension_owned("pg_class", "format('%I.%I', schemaname, viewname)::regclass") +
               " UNION ALL SELECT matviewname, definition, true, coalesce(obj_description(format('%I.%I', schemaname, "
               "matviewname)::regclass, 'pg_class'), '') FROM pg_matviews WHERE schemaname = $1 ORDER BY 1",
           {pg_schema})) {
    schema::View v;
    v.name = str(row, 0);
    v.sql = trim(str(row, 1));
    v.materialized = str(row, 2) == "t";
    v.comment = str(row, 3);
    s.views.push_back(std::move(v));
  }
  // What each view reads (tables and views of this schema), through its rewrite rule.
  {
    std::map<std::string, std::size_t> view_index;
    for (std::size_t i = 0; i < s.views.size(); ++i) view_index[s.views[i].name] = i;
    for (const auto& row : conn.query(
             "SELECT DISTINCT v.relname, r.relname FROM pg_rewrite rw JOIN pg_class v ON v.oid = rw.ev_class "
             "JOIN pg_namespace n ON n.oid = v.relnamespace JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass "
             "AND d.objid = rw.oid AND d.refclassid = 'pg_class'::regclass JOIN pg_class r ON r.oid = d.refobjid "
             "JOIN pg_namespace rn ON rn.oid = r.relnamespace WHERE n.nspname = $1 AND rn.nspname = $1 "
             "AND v.relkind IN ('v', 'm') AND r.oid <> v.oid AND r.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1, 2",
             {pg_schema}))
      if (auto it = view_index.find(str(row, 0)); it != view_index.end())
        s.views[it->second].depends_on.push_back(str(row, 1));
  }
  // The keys of every index of the schema, one row per key (column or expression) and INCLUDE column.
  std::map<std::string, schema::CatalogIndex> parsed;  // index name -> keys
  for (const auto& row : conn.query(
           "SELECT i.relname, k.attnum <> 0, coalesce(a.attname, ''), pg_get_indexdef(ix.indexrelid, k.ord::int, "
           "false), k.ord <= ix.indnkeyatts, coalesce(ix.indoption[(k.ord - 1)::int], 0), coalesce(opc.opcname, ''), "
           "coalesce(opc.opcdefault, true), coalesce(opn.nspname, '') "
           "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
           "JOIN pg_namespace n ON n.oid = t.relnamespace "
           "CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord) "
           "LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum <> 0 "
           "LEFT JOIN pg_opclass opc ON opc.oid = ix.indclass[(k.ord - 1)::int] AND k.ord <= ix.indnkeyatts "
           "LEFT JOIN pg_namespace opn ON opn.oid = opc.opcnamespace "
           "WHERE n.nspname = $1 ORDER BY i.relname, k.ord",
           {pg_schema})) {
    schema::CatalogIndex& ci = parsed[str(row, 0)];
    bool column = str(row, 1) == "t";
    std::string text = column ? str(row, 2) : str(row, 3);
    if (str(row, 4) != "t") {
      ci.include.push_back(text);
      continue;
    }
    schema::IndexKey k;
    k.text = text;
    k.expression = !column;
    int option = std::atoi(str(row, 5).c_str());
    bool desc = option & 1, nulls_first = option & 2;
    k.order = desc ? "DESC" : "";
    if (desc != nulls_first) k.nulls = nulls_first ? "FIRST" : "LAST";
    if (str(row, 7) != "t") {
      std::string ns = str(row, 8);
      k.opclass = (ns == "pg_catalog" || ns == pg_schema || ns.empty() ? "" : ns + ".") + str(row, 6);
    }
    ci.keys.push_back(std::move(k));
  }
  // Predicates and storage parameters.
  for (const auto& row : conn.query("SELECT i.relname, coalesce(pg_get_expr(ix.indpred, ix.indrelid), ''), "
                                    "coalesce(array_to_string(i.reloptions, chr(31)), ''), am.amname FROM pg_index ix "
                                    "JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_am am ON am.oid = i.relam JOIN "
                                    "pg_class t ON t.oid = ix.indrelid "
                                    "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1 ORDER BY 1",
                                    {pg_schema})) {
    schema::CatalogIndex& ci = parsed[str(row, 0)];
    ci.where = str(row, 1);
    ci.kind = str(row, 3);
    std::string options = str(row, 2);
    std::size_t start = 0;
    while (!options.empty() && start <= options.size()) {
      auto end = options.find('\x1f', start);
      std::string item = options.substr(start, end == std::string::npos ? std::string::npos : end - start);
      auto eq = item.find('=');
      ci.with.push_back({item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1)});
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  for (auto& [index_name, where] : exclusion_index) {
    schema::Exclusion& x = s.tables[table_index[where.first]].exclusions[where.second];
    const schema::CatalogIndex& ci = parsed[index_name];
    for (std::size_t i = 0; i < x.catalog.elements.size() && i < ci.keys.size(); ++i) {
      x.catalog.elements[i].text = ci.keys[i].text;
      x.catalog.elements[i].expression = ci.keys[i].expression;
    }
    x.catalog.where = ci.where;
    x.catalog.method = ci.kind;
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
    ix.catalog = parsed[ix.name];
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
           "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND " +
               not_extension_owned("pg_type", "t.oid") + " GROUP BY t.oid, t.typname ORDER BY t.typname",
           {pg_schema}))
    s.enums.push_back({str(row, 0), split_names(str(row, 1)), str(row, 2)});
  for (const auto& row :
       conn.query("SELECT extname, coalesce(obj_description(oid, 'pg_extension'), '') FROM pg_extension "
                  "WHERE extname <> 'plpgsql' ORDER BY extname"))
    s.extensions.push_back({str(row, 0), str(row, 1)});
  // What the schema model has no place for: triggers, procedures and aggregates, domains and
  // composite types (listed so that a reader of the schema learns they exist).
  for (const auto& row : conn.query(
           "SELECT 'trigger ' || tg.tgname || ' on ' || c.relname, 'the registry has no triggers' FROM pg_trigger tg "
           "JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE n.nspname = $1 AND NOT tg.tgisinternal AND " +
               not_extension_owned("pg_trigger", "tg.oid") +
               " UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' "
               "ELSE 'window function ' END || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', "
               "'the registry has functions only' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
               "WHERE n.nspname = $1 AND p.prokind <> 'f' AND " +
               not_extension_owned("pg_proc", "p.oid") +
               " UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 'domain ' ELSE 'composite type ' END || t.typname, "
               "'the registry has enum types only' FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
               "LEFT JOIN pg_class c ON c.oid = t.typrelid WHERE n.nspname = $1 AND (t.typtype = 'd' OR "
               "(t.typtype = 'c' AND c.relkind = 'c')) AND " +
               not_extension_owned("pg_type", "t.oid") + " ORDER BY 1",
           {pg_schema}))
    s.skipped.push_back({str(row, 0), str(row, 1)});
  // What the registry cannot say without changing the database's meaning, in one query: generated
  // columns, column and index-key collations, partitioned, partition, inheriting and unlogged
  // tables, storage parameters of tables and views (security_barrier, check_option), deferrable
  // and MATCH FULL constraints, comments on indexes and constraints. Each row: owner, what, why.
  for (const auto& row : conn.query(
           "SELECT c.relname, 'column ' || c.relname || '.' || a.attname, 'is generated (GENERATED ALWAYS AS (' "
           "|| pg_get_expr(d.adbin, d.adrelid) || ') STORED)' FROM pg_attribute a JOIN pg_class c ON c.oid = "
           "a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = "
           "a.attrelid AND d.adnum = a.attnum WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 "
           "AND NOT a.attisdropped AND a.attgenerated <> '' "
           "UNION ALL SELECT c.relname, 'column ' || c.relname || '.' || a.attname, 'has the collation ' || "
           "quote_ident(co.collname) || ', not its type''s' FROM pg_attribute a JOIN pg_class c ON c.oid = "
           "a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
           "JOIN pg_collation co ON co.oid = a.attcollation WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') "
           "AND a.attnum > 0 AND NOT a.attisdropped AND a.attcollation <> t.typcollation "
           "UNION ALL SELECT t.relname, 'index ' || i.relname || ' on ' || t.relname, 'has the collation ' || "
           "quote_ident(co.collname) || ' on ' || a.attname || ', not the column''s' FROM pg_index ix "
           "JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
           "JOIN pg_namespace n ON n.oid = t.relnamespace "
           "CROSS JOIN LATERAL unnest(ix.indkey::int2[], ix.indcollation::oid[]) k(attnum, coll) "
           "JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum "
           "JOIN pg_collation co ON co.oid = k.coll WHERE n.nspname = $1 AND k.attnum <> 0 AND k.coll <> 0 "
           "AND k.coll <> a.attcollation "
           "UNION ALL SELECT c.relname, 'table ' || c.relname, CASE WHEN c.relkind = 'p' THEN "
           "'is partitioned (PARTITION BY ' || pg_get_partkeydef(c.oid) || ')' WHEN c.relispartition THEN "
           "'is a partition of ' || coalesce((SELECT string_agg(p.relname, ', ') FROM pg_inherits h JOIN pg_class p "
           "ON p.oid = h.inhparent WHERE h.inhrelid = c.oid), '?') || ' (' || coalesce(pg_get_expr(c.relpartbound, "
           "c.oid), '') || ')' ELSE 'inherits from ' || (SELECT string_agg(p.relname, ', ' ORDER BY h.inhseqno) "
           "FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent WHERE h.inhrelid = c.oid) END "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 "
           "AND c.relkind IN ('r', 'p') AND (c.relkind = 'p' OR c.relispartition OR EXISTS (SELECT 1 FROM "
           "pg_inherits h WHERE h.inhrelid = c.oid)) "
           "UNION ALL SELECT c.relname, 'table ' || c.relname, 'is UNLOGGED' FROM pg_class c JOIN pg_namespace n "
           "ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relpersistence = 'u' "
           "UNION ALL SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' "
           "ELSE 'table ' END || c.relname, 'has the options (' || array_to_string(c.reloptions, ', ') || ')' "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 "
           "AND c.relkind IN ('r', 'p', 'v', 'm') AND c.reloptions IS NOT NULL "
           "UNION ALL SELECT cl.relname, CASE con.contype WHEN 'f' THEN 'foreign key ' WHEN 'p' THEN 'primary key ' "
           "WHEN 'u' THEN 'unique constraint ' ELSE 'constraint ' END || con.conname || ' on ' || cl.relname, "
           "'is ' || concat_ws(', ', CASE WHEN con.condeferrable THEN 'DEFERRABLE INITIALLY ' || CASE WHEN "
           "con.condeferred THEN 'DEFERRED' ELSE 'IMMEDIATE' END END, CASE con.confmatchtype WHEN 'f' THEN "
           "'MATCH FULL' WHEN 'p' THEN 'MATCH PARTIAL' END) FROM pg_constraint con JOIN pg_class cl ON cl.oid = "
           "con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = $1 AND "
           "(con.condeferrable OR con.confmatchtype IN ('f', 'p')) "
           "UNION ALL SELECT cl.relname, 'constraint ' || con.conname || ' on ' || cl.relname, 'has a comment' "
           "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = "
           "cl.relnamespace JOIN pg_description ds ON ds.classoid = 'pg_constraint'::regclass AND ds.objoid = "
           "con.oid AND ds.objsubid = 0 WHERE n.nspname = $1 "
           "UNION ALL SELECT t.relname, 'index ' || i.relname || ' on ' || t.relname, 'has a comment' FROM pg_index "
           "ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n "
           "ON n.oid = t.relnamespace JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = "
           "i.oid AND ds.objsubid = 0 WHERE n.nspname = $1 ORDER BY 2, 3",
           {pg_schema}))
    s.refused.push_back({str(row, 0), str(row, 1), str(row, 2)});
  return s;
}

}  // namespace schemactl
