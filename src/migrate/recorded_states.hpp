// Earlier recorded states of a migrations directory, found by the hash a migration's lineage marker
// holds: snapshot.json as it is, the empty state, or any version of snapshot.json that the git
// repository around the directory holds (every branch, and the sides of a merge in progress).
// Each candidate is checked against the hash, so a wrong one is never used.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "migrate/directory.hpp"

namespace schemactl::migrate {

class RecordedStates {
 public:
  explicit RecordedStates(const Directory& dir) : dir_(dir) {}
  // The snapshot.json text whose hash is `hash`, or nullopt.
  std::optional<std::string> find(const std::string& hash);
  // The schema of that text (throws Error naming the hash when it does not parse).
  std::optional<schema::Schema> find_schema(const std::string& hash);
  // The state after migration `m`: the one whose hash its up file's `-- schemactl:snapshot` marker
  // holds. Nullopt, with the reason in `why`, when the file has no markers or no state has that hash.
  std::optional<schema::Schema> after(const Migration& m, std::string& why);

 private:
  void load_git();
  const Directory& dir_;
  bool git_loaded_ = false;
  std::map<std::string, std::string> git_states_;  // snapshot hash -> text, hashed once when read
};

}  // namespace schemactl::migrate
