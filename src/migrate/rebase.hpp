// `migrate rebase VERSION`: after a merge of two branches that each planned a migration from the
// same recorded state, re-plan the later one on top of the other: a new version after the latest
// migration, planned from the state the other one leaves to the (merged) registry, a new snapshot
// and sum. Refused when both change one object differently (named), when the later one was edited
// by hand after it was planned (a re-plan would lose the edit), or when the states it needs cannot
// be found (migrate/recorded_states.hpp). A blank (hand-written) migration keeps its statements and
// only moves.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "lower/compile.hpp"
#include "output/staged_write.hpp"

namespace schemactl::migrate {

struct RebaseOptions {
  std::string version;  // the migration to move: its version, or VERSION_NAME when two share a version
  bool allow_destructive = false;
  bool allow_rewrite = false;
};

struct RebaseResult {
  std::string from_id, to_id, onto_id;  // the moved migration, before and after; the one it now follows
  std::vector<std::string> lines;       // what happened per dialect, for the user
  std::vector<FileChange> changes;      // relative to the migrations root
};

RebaseResult plan_rebase(const std::function<Compiled()>& compile, const std::filesystem::path& root,
                         const RebaseOptions& options);

}  // namespace schemactl::migrate
