#include "drift/replay.hpp"

#include <algorithm>
#include <set>

#include "apply/applier.hpp"
#include "apply/history.hpp"
#include "apply/splitter.hpp"
#include "dialect/catalog_form.hpp"
#include "dialect/dialect.hpp"
#include "diff/change.hpp"
#include "diff/differ.hpp"
#include "migrate/directory.hpp"
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

// The catalog as it is now, without the history table (which the first up creates).
schema::Schema catalog_now(db::Connection& conn, const std::string& pg_schema) {
  PinnedSearchPath pinned(conn, pg_schema);
  schema::Schema live = read_catalog(conn, pg_schema);
  live.tables.erase(std::remove_if(live.tables.begin(), live.tables.end(),
                                   [](const schema::Table& t) { return t.name == apply::History::kTable; }),
                    live.tables.end());
  return live;
}

// What the registry cannot say, by name: "sequence s", "index i on t (an expression the ...)".
std::set<std::string> unlisted(const schema::Schema& s) {
  std::set<std::string> names;
  for (const auto& q : s.sequences) names.insert("sequence " + q.name);
  for (const auto& k : s.skipped) names.insert(k.what);
  return names;
}

// What it would take to bring `now` back to `before` (both read from the catalog), as changes, and
// for what the registry cannot say (sequences, skipped objects), by name.
std::vector<std::string> unlike(const schema::Schema& now, const schema::Schema& before) {
  std::vector<std::string> out;
  for (const auto& c : diff::diff(now, before)) out.push_back(diff::describe(c));
  const std::set<std::string> a = unlisted(now), b = unlisted(before);
  for (const auto& n : a)
    if (!b.count(n)) out.push_back("remove " + n);
  for (const auto& n : b)
    if (!a.count(n)) out.push_back("restore " + n);
  return out;
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
    const schema::Schema live = catalog_now(conn, expected.pg_schema);
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
  if (schema::Schema stand_ins = external_stand_ins(expected); !stand_ins.tables.empty()) {
    KeptSearchPath kept_path(conn);  // install.sql's `SET search_path` would move the history's home
    for (const auto& st :
         apply::split_statements(dialect_for(expected.dialect).render_install(stand_ins), expected.dialect))
      conn.execute(st.sql);
  }

  ReplayReport report;
  apply::Options options;
  options.allow_destructive = true;  // the downs drop what the ups created, on a scratch database
  // Up one at a time, the catalog read before each: what its down must give back.
  std::vector<schema::Schema> before;
  std::vector<migrate::Migration> ran;
  for (const auto& m : migrate::Directory(migrations_root, expected.dialect).list()) {
    before.push_back(catalog_now(conn, expected.pg_schema));
    options.to = m.version;
    try {
      KeptSearchPath kept_path(conn);  // the file's `SET search_path` must not move the next run's history
      apply::Applier(conn, migrations_root, options).up();
    } catch (const apply::ApplyError& e) {
      report.steps.push_back({m.id(), "up", e.what(), {}});
      return report;  // what it left is for a person to look at; the downs would not say more
    }
    ran.push_back(m);
  }
  report.migrations = static_cast<int>(ran.size());
  report.after_up = compare(conn, expected);
  options.to.clear();
  options.steps = 1;
  // What a down declared irreversible keeps (an enum's added values): not held against it, nor
  // against the older downs, which find it still there.
  std::set<std::string> kept;
  for (std::size_t i = ran.size(); i-- > 0;) {
    std::vector<apply::Planned> done;
    try {
      KeptSearchPath kept_path(conn);
      done = apply::Applier(conn, migrations_root, options).down();
    } catch (const apply::ApplyError& e) {
      report.steps.push_back({ran[i].id(), "down", e.what(), {}});
      return report;
    }
    bool irreversible = std::any_of(done.begin(), done.end(), [](const apply::Planned& p) { return p.irreversible; });
    std::vector<std::string> left;
    for (auto& l : unlike(catalog_now(conn, expected.pg_schema), before[i]))
      if (irreversible)
        kept.insert(l);
      else if (!kept.count(l))
        left.push_back(l);
    if (!left.empty()) report.steps.push_back({ran[i].id(), "down", "", left});
  }
  return report;
}

std::vector<std::string> replay_problems(const ReplayReport& report) {
  std::vector<std::string> out;
  for (const auto& d : report.after_up.differences)
    out.push_back("after every up, the database differs from snapshot.json; it would take: " + d.what);
  for (const auto& s : report.steps) {
    if (!s.failed.empty()) {
      out.push_back("the " + s.direction + " of " + s.migration +
                    " failed on the scratch database (the replay stopped there, and left it as it was): " + s.failed);
      continue;
    }
    for (const auto& l : s.left)
      out.push_back("the down of " + s.migration +
                    " does not give back the database its up found; it would take: " + l);
  }
  return out;
}

}  // namespace schemactl::drift
