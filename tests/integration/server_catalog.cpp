#include "server_catalog.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <sstream>
#include <vector>

namespace schemactl::test {

std::string rows_text(const Rows& rows) {
  std::vector<std::string> lines;
  for (const auto& r : rows) {
    std::string line;
    for (const auto& v : r) line += (v ? *v : std::string("<NULL>")) + " | ";
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// The catalog as the server reports it, written here (not the tool's inspection): everything the
// README says `inspect` reads and `diff` compares. The history table and drift probes are left out.
std::string server_catalog(const FreshDatabase& db) {
  std::string out;
  if (db.url().dialect == DialectId::postgres) {
    const char* queries[] = {
        "SELECT 'column', table_name, column_name, ordinal_position::text, data_type, udt_name, "
        "character_maximum_length::text, numeric_precision::text, numeric_scale::text, datetime_precision::text, "
        "is_nullable, column_default, is_identity, identity_generation, is_generated, generation_expression, "
        "collation_name "
        "FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name <> 'schemactl_migrations'",
        "SELECT 'constraint', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.convalidated::text "
        "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' "
        "AND c.conrelid <> 0 AND c.conrelid::regclass::text <> 'schemactl_migrations'",
        "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename <> 'schemactl_migrations'",
        "SELECT 'relcomment', c.relkind::text, c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN "
        "('r','v','m','S','i') "
        "AND c.relname NOT LIKE 'schemactl_migrations%'",
        "SELECT 'colcomment', c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
        "WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','v','m') "
        "AND c.relname <> 'schemactl_migrations'",
        "SELECT 'concomment', c.conname, obj_description(c.oid, 'pg_constraint') FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' "
        "AND c.conname <> 'schemactl_migrations_pkey'",
        "SELECT 'view', viewname, definition FROM pg_views WHERE schemaname = 'public'",
        "SELECT 'matview', matviewname, definition FROM pg_matviews WHERE schemaname = 'public'",
        "SELECT 'reloptions', c.relname, array_to_string(c.reloptions, ',') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.reloptions IS NOT NULL",
        "SELECT 'viewopt', table_name, check_option FROM information_schema.views WHERE table_schema = 'public'",
        "SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder), "
        "obj_description(t.oid, 'pg_type') FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid "
        "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' GROUP BY t.oid, t.typname",
        "SELECT 'function', p.proname, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), p.prosrc, "
        "p.provolatile::text, l.lanname, obj_description(p.oid, 'pg_proc') FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang "
        "WHERE n.nspname = 'public'",
        "SELECT 'extension', extname FROM pg_extension WHERE extname <> 'plpgsql'",
        "SELECT 'rel', c.relname, c.relkind::text, c.relpersistence::text, c.relispartition::text, "
        "coalesce(pg_get_partkeydef(c.oid), ''), coalesce(pg_get_expr(c.relpartbound, c.oid), '') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
        "AND c.relname <> 'schemactl_migrations'",
        "SELECT 'inherits', i.inhrelid::regclass::text, i.inhparent::regclass::text FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public'",
    };
    for (const char* sql : queries) out += rows_text(db.connect()->query(sql));
  } else {
    const char* queries[] = {
        "SELECT 'column', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
        "COLUMN_COMMENT, GENERATION_EXPRESSION, "
        // (a view column's character set follows the session that last opened the view: left out)
        "IF(TABLE_NAME IN (SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()), NULL, "
        "CONCAT(CHARACTER_SET_NAME, ' ', COLLATION_NAME)) FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'schemactl_migrations' "
        "AND TABLE_NAME NOT LIKE 'schemactl!_drift!_probe%' ESCAPE '!'",
        "SELECT 'index', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, NON_UNIQUE, COLLATION, "
        "INDEX_TYPE, INDEX_COMMENT "
        "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'schemactl_migrations'",
        "SELECT 'constraint', TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'schemactl_migrations'",
        "SELECT 'fk', TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE "
        "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
        "SELECT 'fkcol', TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, REFERENCED_COLUMN_NAME "
        "FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT "
        "NULL",
        "SELECT 'check', TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE()",
        "SELECT 'table', TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, TABLE_COMMENT FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'schemactl_migrations' "
        "AND TABLE_NAME NOT LIKE 'schemactl!_drift!_probe%' ESCAPE '!'",
        "SELECT 'partition', TABLE_NAME, PARTITION_NAME, PARTITION_METHOD, PARTITION_EXPRESSION, "
        "PARTITION_DESCRIPTION FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() "
        "AND PARTITION_NAME IS NOT NULL",
        "SELECT 'view', TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, ALGORITHM FROM "
        "information_schema.VIEWS "
        "WHERE TABLE_SCHEMA = DATABASE() "
        "AND TABLE_NAME NOT LIKE 'schemactl!_drift!_probe%' ESCAPE '!'",
    };
    for (const char* sql : queries) out += rows_text(db.connect()->query(sql));
    // View bodies name the database; two databases compare equal without it.
    out = replace_all(out, "`" + db.url().database + "`.", "");
  }
  return out;
}

std::string line_diff(const std::string& expected, const std::string& actual) {
  auto lines = [](const std::string& t) {
    std::vector<std::string> v;
    std::stringstream ss(t);
    for (std::string l; std::getline(ss, l);) v.push_back(l);
    std::sort(v.begin(), v.end());
    return v;
  };
  auto e = lines(expected), a = lines(actual);
  std::vector<std::string> only_e, only_a;
  std::set_difference(e.begin(), e.end(), a.begin(), a.end(), std::back_inserter(only_e));
  std::set_difference(a.begin(), a.end(), e.begin(), e.end(), std::back_inserter(only_a));
  std::string out;
  for (const auto& l : only_e) out += "- " + l + "\n";
  for (const auto& l : only_a) out += "+ " + l + "\n";
  return out;
}

std::string adopt_round_trip(const FreshDatabase& original, const db::DatabaseUrl& server, const std::string& label) {
  DialectId d = original.url().dialect;
  TempDir t;
  fs::path schema = t.path / "schema", gen = t.path / "generated", mig = t.path / "migrations";
  Run r = schemactl("inspect --url " + url_of(original) + " --out " + schema.string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  INFO(all_files(schema));
  r = schemactl("validate --schema " + schema.string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  r = schemactl("generate --schema " + schema.string() + " --out " + gen.string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  fs::path install = gen / dialect_name(d) / "install.sql";
  INFO(slurp(install));
  FreshDatabase copy(server, label + "_copy");
  std::string out;
  REQUIRE_MESSAGE(copy.apply_file(install.string(), out) == 0, out);
  CHECK_SAME_CATALOG(server_catalog(original), server_catalog(copy));
  REQUIRE_MESSAGE(copy.apply_file(install.string(), out) == 0, "install.sql is not idempotent: " << out);
  CHECK_SAME_CATALOG(server_catalog(original), server_catalog(copy));
  fs::create_directories(mig);
  r = schemactl("diff --url " + url_of(original) + " --schema " + schema.string() + " --migrations " + mig.string());
  CHECK_MESSAGE(r.status == 0, r.output);
  // "The output is sorted and stable: the same database gives the same bytes": the copy is the same
  // database (its catalog is the original's).
  Split a = schemactl_split("inspect --url " + url_of(original)), b = schemactl_split("inspect --url " + url_of(copy));
  CHECK(a.status == 0);
  // The registry is named after the database (the only part that may differ).
  std::string a_out = replace_all(a.out, original.url().database, "DB"),
              b_out = replace_all(b.out, copy.url().database, "DB");
  CHECK_MESSAGE(a_out == b_out, line_diff(a_out, b_out));
  return all_files(gen);
}

}  // namespace schemactl::test
