// Replay: every migration run on an empty scratch database, and what it built compared with the
// schema the registry lowers to (with the same comparison as `diff --url`); then every down, and
// what is left compared with nothing. It catches what the offline `migrate check` cannot: an up
// file whose statements do not build its snapshot (hand-edited, or planned by an older schemactl),
// and a down file that leaves something behind.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "drift/compare.hpp"
#include "schema/schema.hpp"

namespace schemactl::drift {

struct ReplayReport {
  int migrations = 0;      // run up, then down
  DriftReport after_up;    // the scratch database against the registry's schema
  DriftReport after_down;  // against an empty schema: what the down files leave behind
  bool clean() const { return after_up.clean() && after_down.clean(); }
};

// Stand-ins for the external tables of `s` (owned by the rest of the application, referenced by the
// registry): each with the columns the registry declares and a primary key of its NOT NULL ones,
// so that foreign keys to them can be created. Empty when `s` has none.
schema::Schema external_stand_ins(const schema::Schema& s);

// Creates the stand-ins the database lacks, runs every up, compares, runs every down, compares.
// Refuses (an Error, exit code 1) a database that holds a history or anything but the external
// tables: the replay creates and drops every object the migrations name.
ReplayReport replay(db::Connection& conn, const std::filesystem::path& migrations_root, const schema::Schema& expected);

// One line per difference, "after up: ..." / "after down: ...", for `migrate check`.
std::vector<std::string> replay_problems(const ReplayReport& report);

}  // namespace schemactl::drift
