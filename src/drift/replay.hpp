// Replay: every migration run up, one at a time, on an empty scratch database, and what they built
// compared with the schema the registry lowers to (with the same comparison as `diff --url`); then
// every down, newest first, each compared with what the catalog held before its up. It catches what
// the offline `migrate check` cannot: an up file whose statements do not build its snapshot
// (hand-edited, or planned by an older schemactl), and a down file that does not undo its up, even
// when an older down would hide it (by dropping the whole table).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "drift/compare.hpp"
#include "schema/schema.hpp"

namespace schemactl::drift {

// A migration whose down does not give back the catalog its up found, or whose up or down failed.
struct StepProblem {
  std::string migration;          // VERSION_NAME
  std::string direction;          // "up" or "down"
  std::string failed;             // the applier's error, when the file did not run to its end
  std::vector<std::string> left;  // else what it would take to bring back the catalog before the up
};

struct ReplayReport {
  int migrations = 0;    // run up (and as many down as could be)
  DriftReport after_up;  // the scratch database against the registry's schema
  std::vector<StepProblem> steps;
  bool clean() const { return after_up.clean() && steps.empty(); }
};

// Stand-ins for the external tables of `s` (owned by the rest of the application, referenced by the
// registry): each with the columns the registry declares and a primary key of its NOT NULL ones,
// so that foreign keys to them can be created. Empty when `s` has none.
schema::Schema external_stand_ins(const schema::Schema& s);

// Creates the stand-ins the database lacks, runs every up (reading the catalog before each),
// compares, then runs every down and compares each with the catalog before its up. A file that
// fails is a StepProblem, and the replay stops there. Refuses (an Error, exit code 1) a database
// that holds a history or anything but the external tables: the replay creates and drops every
// object the migrations name.
ReplayReport replay(db::Connection& conn, const std::filesystem::path& migrations_root, const schema::Schema& expected);

// One line per difference or failure, for `migrate check`.
std::vector<std::string> replay_problems(const ReplayReport& report);

}  // namespace schemactl::drift
