// `migrate new`: diff the registry against the recorded state, plan both dialects, and produce the
// files to write (nothing is written here).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "diff/differ.hpp"
#include "lower/compile.hpp"
#include "migrate/writer.hpp"
#include "output/file_system.hpp"
#include "plan/plan.hpp"

namespace schemactl::migrate {

struct NewOptions {
  std::string name;
  std::string version;  // empty: the current UTC time
  bool allow_destructive = false;
  bool allow_rewrite = false;  // Postgres steps that rewrite a table under ACCESS EXCLUSIVE
  bool empty = false;          // a blank pair for a hand-written migration
};

struct NewResult {
  bool nothing_to_do = false;
  std::string id;  // version_name
  std::map<DialectId, plan::Plan> plans;
  // Relative to the migrations root: path -> content (up, down, snapshot, sum of each dialect).
  std::vector<std::pair<std::string, std::string>> files;
};

// One dialect's migration pair planned from `from` to `to` (a blank one with `empty`) after the
// migration `after` ("none" for the first), its lineage recorded in the up file's header, and the
// snapshot.json text it leaves.
struct PlannedPair {
  std::optional<plan::Plan> plan;  // unset for a blank pair
  bool changed = false;            // the plan has steps
  MigrationText text;
  std::string snapshot;
};
PlannedPair plan_pair(const schema::Schema& from, const schema::Schema& to, DialectId dialect, const std::string& id,
                      const std::string& after, const diff::Renames& renames, const plan::Options& options, bool empty);

// The renames the registry declares (`renamed_from`).
diff::Renames declared_renames(const registry::Registry& reg);

// Throws Error when the plan is refused (destructive without permission, a change a dialect
// cannot make) or an explicit version is not after the latest migration. Without one, the version
// is the current UTC time, or the first second after the latest migration when that is not earlier.
NewResult plan_new_migration(const Compiled& compiled, const std::filesystem::path& migrations_root,
                             const NewOptions& options);
// The same, compiling the registry (`compile`) while the recorded state is read.
NewResult plan_new_migration(const std::function<Compiled()>& compile, const std::filesystem::path& migrations_root,
                             const NewOptions& options);

// Writes `result.files` under `root`, all or nothing (output/staged_write.hpp).
void write_new_migration(const NewResult& result, const std::filesystem::path& root,
                         FileSystem& fs = real_file_system());

}  // namespace schemactl::migrate
