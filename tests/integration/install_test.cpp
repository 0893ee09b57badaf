// install.sql on real servers: applied twice with the dialect's own client, then the catalog is
// read back and compared with what the registry says, object by object.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalog_form.hpp"
#include "dialect/dialect.hpp"
#include "dialect/inspect.hpp"
#include "lower/compile.hpp"
#include "servers.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

Compiled compile_dir(const std::string& dir) {
  return compile_registry(registry::read_registry_dir(std::string(SCHEMACTL_SOURCE_DIR) + "/" + dir));
}

schema::Schema read_back(const FreshDatabase& db, const schema::Schema& expected) {
  auto conn = db.connect();
  return expected.dialect == DialectId::postgres ? inspect_postgres(*conn, expected.pg_schema) : inspect_tidb(*conn);
}

template <typename T, typename F>
std::map<std::string, const T*> by_name(const std::vector<T>& items, F name) {
  std::map<std::string, const T*> out;
  for (const auto& i : items) out[name(i)] = &i;
  return out;
}

// Every object the registry lowered for this dialect is in the catalog, as the registry says.
void expect_catalog_matches(const schema::Schema& want, const schema::Schema& got) {
  bool pg = want.dialect == DialectId::postgres;
  auto got_tables = by_name(got.tables, [](const auto& t) { return t.name; });
  std::set<std::string> want_names, got_names;
  for (const auto& t : want.tables) want_names.insert(t.name);
  for (const auto& t : got.tables) got_names.insert(t.name);
  CHECK(want_names == got_names);
  for (const auto& t : want.tables) {
    CAPTURE(t.name);
    auto it = got_tables.find(t.name);
    if (it == got_tables.end()) continue;
    const schema::Table& g = *it->second;
    if (t.external) continue;  // created by the fixture
    CHECK(g.comment == t.comment);
    REQUIRE(g.columns.size() == t.columns.size());
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const auto& wc = t.columns[i];
      const auto& gc = g.columns[i];
      CAPTURE(wc.name);
      CHECK(gc.name == wc.name);
      CHECK(gc.type == (pg ? pg_catalog_type(wc.type) : mariadb_catalog_type(wc.type)));
      CHECK(gc.nullable == wc.nullable);
      CHECK(gc.comment == wc.comment);
      bool serial = pg && (to_upper(wc.type) == "SERIAL" || to_upper(wc.type) == "BIGSERIAL");
      if (serial)
        CHECK(starts_with(gc.default_sql, "nextval("));
      else if (pg)
        CHECK(pg_catalog_default(gc.default_sql) == pg_catalog_default(wc.default_sql));
      else if (!wc.auto_increment)
        CHECK(mariadb_catalog_default(gc.default_sql) == mariadb_catalog_default(wc.default_sql));
      if (!pg) CHECK(gc.auto_increment == wc.auto_increment);
    }
    REQUIRE(g.primary_key.has_value() == t.primary_key.has_value());
    if (t.primary_key) {
      CHECK(g.primary_key->columns == t.primary_key->columns);
      if (pg) CHECK(g.primary_key->name == t.primary_key->name);
    }
    // Foreign keys, with their actions.
    auto got_fks = by_name(g.foreign_keys, [](const auto& f) { return f.name; });
    CHECK(got_fks.size() == t.foreign_keys.size());
    for (const auto& fk : t.foreign_keys) {
      CAPTURE(fk.name);
      auto f = got_fks.find(fk.name);
      REQUIRE(f != got_fks.end());
      CHECK(f->second->columns == fk.columns);
      CHECK(f->second->ref_table == fk.ref_table);
      CHECK(f->second->ref_columns == fk.ref_columns);
      // NO ACTION is the default everywhere; MySQL-family catalogs do not tell RESTRICT from it.
      auto action = [&](const std::string& a) {
        return a == "NO ACTION" || (!pg && a == "RESTRICT") ? std::string() : a;
      };
      CHECK(f->second->on_delete == action(fk.on_delete));
      CHECK(f->second->on_update == action(fk.on_update));
    }
    // Checks (MariaDB adds a json_valid() check of its own to each JSON column).
    std::set<std::string> want_checks, got_checks;
    for (const auto& c : t.checks) want_checks.insert(c.name);
    for (const auto& c : g.checks)
      if (pg || !starts_with(c.expr, "json_valid(")) got_checks.insert(c.name);
    CHECK(want_checks == got_checks);
    // Unique constraints and indexes. MySQL-family catalogs list unique constraints as indexes
    // and add an index for each foreign key that has none.
    std::map<std::string, bool> want_indexes, got_indexes;  // name -> unique
    for (const auto& ix : t.indexes) want_indexes[ix.name] = ix.unique;
    std::set<std::string> want_uniques, got_uniques;
    for (const auto& u : t.uniques) want_uniques.insert(u.name + ":" + join(u.columns, ","));
    for (const auto& u : g.uniques) got_uniques.insert(u.name + ":" + join(u.columns, ","));
    for (const auto& ix : g.indexes) {
      if (!pg && got_fks.count(ix.name) && !want_indexes.count(ix.name)) continue;
      bool is_unique_constraint =
          std::any_of(t.uniques.begin(), t.uniques.end(), [&](const auto& u) { return u.name == ix.name; });
      if (!pg && is_unique_constraint) {
        std::vector<std::string> cols;
        for (const auto& k : ix.keys) cols.push_back(k.text);
        got_uniques.insert(ix.name + ":" + join(cols, ","));
        continue;
      }
      got_indexes[ix.name] = ix.unique;
    }
    CHECK(want_uniques == got_uniques);
    CHECK(want_indexes == got_indexes);
    if (pg) {
      for (const auto& ix : t.indexes) {
        CAPTURE(ix.name);
        auto gi = std::find_if(g.indexes.begin(), g.indexes.end(), [&](const auto& x) { return x.name == ix.name; });
        REQUIRE(gi != g.indexes.end());
        CHECK(gi->method == (ix.method.empty() ? "btree" : ix.method));
        const std::string& def = gi->keys.at(0).text;
        for (const auto& k : ix.keys)
          if (!k.expression) CHECK(def.find(k.text) != std::string::npos);
        if (!ix.where.empty()) CHECK(def.find(" WHERE ") != std::string::npos);
        if (!ix.include.empty()) CHECK(def.find(" INCLUDE ") != std::string::npos);
      }
      std::set<std::string> want_x, got_x;
      for (const auto& x : t.exclusions) want_x.insert(x.name);
      for (const auto& x : g.exclusions) got_x.insert(x.name);
      CHECK(want_x == got_x);
    } else {
      for (const auto& ix : t.indexes) {
        auto gi = std::find_if(g.indexes.begin(), g.indexes.end(), [&](const auto& x) { return x.name == ix.name; });
        REQUIRE(gi != g.indexes.end());
        REQUIRE(gi->keys.size() == ix.keys.size());
        for (std::size_t k = 0; k < ix.keys.size(); ++k) {
          CHECK(gi->keys[k].text == ix.keys[k].text);
          CHECK(gi->keys[k].prefix == ix.keys[k].prefix);
        }
      }
    }
  }
  std::set<std::string> want_views, got_views;
  for (const auto& v : want.views) want_views.insert(v.name + (v.materialized ? " (materialized)" : ""));
  for (const auto& v : got.views) got_views.insert(v.name + (v.materialized ? " (materialized)" : ""));
  CHECK(want_views == got_views);
  if (pg) {
    std::set<std::string> want_fn, got_fn, want_enums, got_enums, want_ext, got_ext;
    for (const auto& f : want.functions) want_fn.insert(f.name + " " + f.volatility);
    for (const auto& f : got.functions) got_fn.insert(f.name + " " + f.volatility);
    for (const auto& e : want.enums) want_enums.insert(e.name + ":" + join(e.values, ","));
    for (const auto& e : got.enums) got_enums.insert(e.name + ":" + join(e.values, ","));
    for (const auto& e : want.extensions) want_ext.insert(e.name);
    for (const auto& e : got.extensions) got_ext.insert(e.name);
    CHECK(join({want_fn.begin(), want_fn.end()}, "; ") == join({got_fn.begin(), got_fn.end()}, "; "));
    CHECK(want_enums == got_enums);
    CHECK(want_ext == got_ext);
  }
}

// Installs a registry on a fresh database twice and checks the catalog after each run.
}  // namespace

void install_and_check(const std::string& registry_dir, DialectId dialect) {
  auto server = server_url(dialect);
  if (!server) return;
  Compiled compiled = compile_dir(registry_dir);
  const schema::Schema& schema = compiled.schemas.at(dialect);
  FreshDatabase db(*server, registry_dir + "_" + dialect_name(dialect));
  std::string output;
  if (std::string fixture = external_fixture(schema); !fixture.empty()) {
    INFO("fixture output: " << output);
    REQUIRE(db.apply_sql(fixture, output) == 0);
  }
  std::string install = dialect_for(dialect).render_install(schema);
  REQUIRE_MESSAGE(db.apply_sql(install, output) == 0, "first run of install.sql failed: " << output);
  schema::Schema first = read_back(db, schema);
  expect_catalog_matches(schema, first);
  REQUIRE_MESSAGE(db.apply_sql(install, output) == 0, "second run of install.sql failed: " << output);
  schema::Schema second = read_back(db, schema);
  CHECK(dump(first) == dump(second));
}

TEST_CASE("install.sql of the shipped registry applies twice on PostgreSQL and matches the registry") {
  install_and_check("schema", DialectId::postgres);
}
TEST_CASE("install.sql of the shipped registry applies twice on MariaDB (TiDB stand-in) and matches the registry") {
  install_and_check("schema", DialectId::tidb);
}
TEST_CASE("install.sql of the Mumble-AI registry applies twice on PostgreSQL") {
  install_and_check("tests/registries/mumble", DialectId::postgres);
}
TEST_CASE("install.sql of the Mumble-AI registry applies twice on MariaDB") {
  install_and_check("tests/registries/mumble", DialectId::tidb);
}
TEST_CASE("install.sql of the Nirva registry applies twice on PostgreSQL") {
  install_and_check("tests/registries/nirva", DialectId::postgres);
}
TEST_CASE("install.sql of the Nirva registry applies twice on MariaDB") {
  install_and_check("tests/registries/nirva", DialectId::tidb);
}

// Facts the issue names, read straight from the catalogs (independent of the comparison above).
TEST_CASE("shipped registry on PostgreSQL: the objects of the seeds, by name") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  Compiled compiled = compile_dir("schema");
  const auto& schema = compiled.schemas.at(DialectId::postgres);
  FreshDatabase db(*server, "seed_facts_pg");
  std::string output;
  REQUIRE(db.apply_sql(external_fixture(schema), output) == 0);
  REQUIRE_MESSAGE(db.apply_sql(dialect_for(DialectId::postgres).render_install(schema), output) == 0, output);
  auto conn = db.connect();
  auto one = [&](const std::string& sql) {
    auto rows = conn->query(sql);
    REQUIRE(rows.size() == 1);
    return rows[0].at(0).value_or("NULL");
  };
  CHECK(one("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.moments'::regclass "
            "AND attname = 'speakers'") == "jsonb");
  CHECK(one("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.moments'::regclass "
            "AND attname = 'key_emotions'") == "text[]");
  CHECK(one("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.sessions'::regclass "
            "AND attname = 'moment_id'") == "uuid");
  CHECK(one("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_moments_speakers_gin'") ==
        "CREATE INDEX idx_moments_speakers_gin ON public.moments USING gin (speakers)");
  CHECK(one("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_sessions_moment_id'") ==
        "CREATE INDEX idx_sessions_moment_id ON public.sessions USING btree (moment_id)");
  CHECK(one("SELECT confrelid::regclass::text || ' ' || confdeltype::text FROM pg_constraint WHERE conrelid = "
            "'public.messages'::regclass AND contype = 'f'") == "conversations c");
  CHECK(one("SELECT contype FROM pg_constraint WHERE conname = 'no_overlapping_periods'") == "x");
  CHECK(one("SELECT count(*) FROM pg_views WHERE schemaname = 'public' AND viewname IN ('v_period_timeline', "
            "'v_entity_timeline_summary', 'v_crawl_effectiveness_ranking')") == "3");
  CHECK(one("SELECT count(*) FROM pg_matviews WHERE matviewname = 'mv_period_metrics_trend'") == "1");
  CHECK(one("SELECT count(*) FROM pg_proc WHERE proname IN ('get_period_by_number', 'get_content_timeline', "
            "'detect_metric_anomalies', 'recompute_metrics_delta')") == "4");
  // The exclusion constraint really excludes: two overlapping active periods of one entity.
  conn->execute(
      "INSERT INTO analysis_periods (entity_type, entity_id, period_start, period_end, period_number, "
      "duration_hours, summary) VALUES ('topic', '11111111-1111-1111-1111-111111111111', "
      "'2026-01-01', '2026-01-03', 1, 48, 'first')");
  CHECK_THROWS_WITH_AS(
      conn->execute("INSERT INTO analysis_periods (entity_type, entity_id, period_start, period_end, "
                    "period_number, duration_hours, summary) VALUES ('topic', "
                    "'11111111-1111-1111-1111-111111111111', '2026-01-02', '2026-01-04', 2, 48, 'overlap')"),
      doctest::Contains("no_overlapping_periods"), db::DbError);
  CHECK(one("SELECT count(*) FROM get_period_by_number('topic', '11111111-1111-1111-1111-111111111111', 1)") == "1");
  // A description with a quote in it came through intact.
  CHECK(one("SELECT count(*) FROM pg_description WHERE description LIKE '%''%'") != "0");
}

TEST_CASE("shipped registry on MariaDB: seed 000's TiDB shapes, by name") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  Compiled compiled = compile_dir("schema");
  const auto& schema = compiled.schemas.at(DialectId::tidb);
  FreshDatabase db(*server, "seed_facts_my");
  std::string output;
  REQUIRE(db.apply_sql(external_fixture(schema), output) == 0);
  REQUIRE_MESSAGE(db.apply_sql(dialect_for(DialectId::tidb).render_install(schema), output) == 0, output);
  auto conn = db.connect();
  auto one = [&](const std::string& sql) {
    auto rows = conn->query(sql);
    REQUIRE(rows.size() == 1);
    return rows[0].at(0).value_or("NULL");
  };
  CHECK(one("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
            "TABLE_NAME = 'moments' AND COLUMN_NAME = 'speakers'") == "text");
  CHECK(one("SELECT COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
            "TABLE_NAME = 'moments' AND COLUMN_NAME = 'speakers'") ==
        "JSON array of speaker entries with text, identifier, timestamp, emotion");
  CHECK(one("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
            "TABLE_NAME = 'sessions' AND COLUMN_NAME = 'moment_id'") == "varchar(255)");
  CHECK(one("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND "
            "INDEX_NAME = 'idx_sessions_moment_id' AND COLUMN_NAME = 'moment_id'") == "1");
  CHECK(one("SELECT DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() "
            "AND TABLE_NAME = 'messages'") == "CASCADE");
  // Nothing Postgres-only leaked in.
  CHECK(one("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND "
            "INDEX_NAME LIKE '%_gin'") == "0");
}

}  // namespace schemactl::test

namespace schemactl::test {
TEST_CASE("install.sql of the format-coverage registry applies twice on PostgreSQL") {
  install_and_check("tests/registries/coverage", DialectId::postgres);
}
TEST_CASE("install.sql of the format-coverage registry applies twice on MariaDB") {
  install_and_check("tests/registries/coverage", DialectId::tidb);
}
}  // namespace schemactl::test
