#include "drift/replay.hpp"

#include "apply/applier.hpp"
#include "apply/history.hpp"
#include "apply/splitter.hpp"
#include "dialect/catalog_form.hpp"
#include "dialect/dialect.hpp"
#include "util/text.hpp"

namespace schemactl::drift {

namespace {

// The schema of a database that holds nothing but the external tables, in the expected one's settings.
schema::Schema nothing_like(const schema::Schema& expected) {
  schema::Schema s;
  s.dialect = expected.dialect;
  s.pg_schema = expected.pg_schema;
  s.tidb_charset = expected.tidb_charset;
  s.tidb_collation = expected.tidb_collation;
  for (const auto& t : expected.tables)
    if (t.external) s.tables.push_back(t);
  return s;
}

std::vector<std::string> whats(const DriftReport& r) {
  std::vector<std::string> out;
  for (const auto& d : r.differences) out.push_back(d.what);
  return out;
}

}  // namespace

schema::Schema external_stand_ins(const schema::Schema& s) {
  schema::Schema out = nothing_like(s);
  for (auto& t : out.tables) {
    t.external = false;
    t.primary_key = schema::PrimaryKey{t.name + "_pkey", {}};
    for (const auto& c : t.columns)
      if (!c.nullable) t.primary_key->columns.push_back(c.name);
  }
  return out;
}

ReplayReport replay(db::Connection& conn, const std::filesystem::path& migrations_root,
                    const schema::Schema& expected) {
  const schema::Schema nothing = nothing_like(expected);
  if (!apply::History(conn).rows().empty())
    throw Error("the database has a migration history: replaying needs an empty scratch database");
  // Anything the catalog holds but the external tables: the comparison below looks only at the
  // kinds of object a registry declares, so the catalog is read for every kind first.
  std::vector<std::string> held;
  {
    PinnedSearchPath pinned(conn, expected.pg_schema);
    const schema::Schema live = read_catalog(conn, expected.pg_schema);
    for (const auto& t : live.tables)
      if (!nothing.table(t.name)) held.push_back("table " + t.name);
    for (const auto& v : live.views) held.push_back("view " + v.name);
    for (const auto& f : live.functions) held.push_back("function " + f.name);
    for (const auto& e : live.enums) held.push_back("type " + e.name);
    for (const auto& e : live.extensions) held.push_back("extension " + e.name);
    for (const auto& q : live.sequences) held.push_back("sequence " + q.name);
    for (const auto& k : live.skipped) held.push_back(k.what);
  }
  if (!held.empty())
    throw Error("the database is not empty (replaying runs every migration there and then every down): it holds " +
                join(held, ", ") + "; give an empty scratch database");
  if (DriftReport before = compare(conn, nothing); !before.clean())
    throw Error(
        "the database is not empty (replaying runs every migration there and then every down): it "
        "would take " +
        join(whats(before), "; ") + " to empty it; give an empty scratch database");
  if (schema::Schema stand_ins = external_stand_ins(expected); !stand_ins.tables.empty())
    for (const auto& st :
         apply::split_statements(dialect_for(expected.dialect).render_install(stand_ins), expected.dialect))
      conn.execute(st.sql);
  ReplayReport report;
  apply::Options options;
  options.allow_destructive = true;  // the downs drop what the ups created, on a scratch database
  report.migrations = static_cast<int>(apply::Applier(conn, migrations_root, options).up().size());
  report.after_up = compare(conn, expected);
  if (report.migrations > 0) {
    options.steps = report.migrations;
    apply::Applier(conn, migrations_root, options).down();
  }
  report.after_down = compare(conn, nothing);
  return report;
}

std::vector<std::string> replay_problems(const ReplayReport& report) {
  std::vector<std::string> out;
  for (const auto& d : report.after_up.differences)
    out.push_back("after every up, the database differs from snapshot.json; it would take: " + d.what);
  for (const auto& d : report.after_down.differences)
    out.push_back("after every down, the database is not empty; it would take: " + d.what);
  return out;
}

}  // namespace schemactl::drift
