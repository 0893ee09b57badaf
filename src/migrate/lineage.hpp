// What each migration was planned on top of. A planned or blank migration's up file records, in
// structured markers in its header, the migration that was the latest when it was planned, and the
// SHA-256 of snapshot.json as it was before the migration (its parent) and after it:
//   -- schemactl:after <version>_<name>     (or `none` for the first migration)
//   -- schemactl:parent <sha256>
//   -- schemactl:snapshot <sha256>
// Two migrations planned after the same one were planned on parallel branches from the same
// snapshot: after a merge, `migrate check` names them and `migrate rebase` re-plans the later one.
// Migrations written before the markers existed carry none and take no part in the check.
#pragma once

#include <string>
#include <vector>

#include "migrate/directory.hpp"

namespace schemactl::migrate {

inline constexpr const char* kAfterMarker = "-- schemactl:after";
inline constexpr const char* kParentMarker = "-- schemactl:parent";
inline constexpr const char* kSnapshotMarker = "-- schemactl:snapshot";

struct Lineage {
  std::string after;     // id of the migration it was planned after, "none"; empty when not recorded
  std::string parent;    // sha256 of snapshot.json before the migration; empty when not recorded
  std::string snapshot;  // ... and after it
  bool recorded() const { return !after.empty() && !parent.empty() && !snapshot.empty(); }
};

// The two marker lines for a header (none for a lineage not recorded).
std::string lineage_lines(const Lineage& lineage);
// The markers of an up file: read from its leading comment lines only (the header).
Lineage read_lineage(const std::string& up_text);
// "20251018_142555_add_moment_session_fields": a version, '_' and a slug.
bool valid_migration_id(const std::string& id);
// `text` without the header lines that say what it was planned on: the lineage markers, and the
// `-- registry sha256: ...` line that migrations planned before the markers carry instead. Two
// plans of the same change, made then and now, are equal after this.
std::string without_lineage_lines(const std::string& text);
// The hash a lineage marker holds for the snapshot text `snapshot_json`.
std::string snapshot_hash(const std::string& snapshot_json);

struct LineageEntry {
  Migration migration;
  Lineage lineage;
};
// Every migration of `dir` with its markers, oldest first (unreadable up files: no markers).
std::vector<LineageEntry> read_lineages(const std::vector<Migration>& migrations);

// Two migrations planned after the same one (so from the same snapshot).
struct Fork {
  Migration first, later;
  std::string after, parent;
};
std::vector<Fork> find_forks(const std::vector<LineageEntry>& entries);
// Migrations planned after another migration than the one before them (a fork already reported is
// not repeated), as messages.
std::vector<std::string> chain_breaks(const std::vector<LineageEntry>& entries);

}  // namespace schemactl::migrate
