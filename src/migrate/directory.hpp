// The migrations directory: migrations/<dialect>/<version>_<name>.up.sql / .down.sql, the schema as
// of the latest migration (snapshot.json) and a sum file (schemactl.sum) that makes any edit,
// deletion or insertion of a file visible.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "schema/schema.hpp"

namespace schemactl::migrate {

struct Migration {
  std::string version;  // YYYYMMDD_HHMMSS
  std::string name;     // slug
  std::filesystem::path up_path;
  std::filesystem::path down_path;
  std::string id() const { return version + "_" + name; }
};

// "Add Moment fields!" -> "add_moment_fields". Throws Error if nothing usable is left.
std::string slug(const std::string& name);
// The current UTC time as YYYYMMDD_HHMMSS.
std::string utc_version();
bool valid_version(const std::string& version);
// The version one second after `version` (a valid one): 20251231_235959 -> 20260101_000000.
std::string version_after(const std::string& version);

// A file in a migrations directory that does not fit its layout (a name that does not parse, an up
// file without its down file or the reverse, two migrations with one version).
struct LayoutProblem {
  std::filesystem::path file;
  std::string message;        // names the file
  bool missing_half = false;  // an up file without its down file, or the reverse
  bool same_version = false;  // two migrations with one version (parallel branches: `migrate rebase ID`)
};

class Directory {
 public:
  Directory(std::filesystem::path root, DialectId dialect);

  const std::filesystem::path& path() const { return dir_; }
  DialectId dialect() const { return dialect_; }

  // Every migration, oldest first. Throws Error for the first of scan()'s problems; with
  // `problems`, a migration missing one of its files is listed with that path empty and the problem
  // recorded instead (for `status`, which must show what it can).
  std::vector<Migration> list(std::vector<std::string>* problems = nullptr) const;
  struct Scan {
    std::vector<Migration> migrations;  // oldest first, with an empty path for a missing half
    std::vector<LayoutProblem> problems;
  };
  Scan scan() const;

  // The recorded schema, or an empty schema of this dialect when there is no migration yet.
  // Throws Error naming the file when the snapshot is unreadable or malformed.
  schema::Schema snapshot() const;
  std::string snapshot_text(const schema::Schema& s) const;  // what snapshot.json holds for `s`

  // The sum file as it should be for the files on disk as last read by file_hashes() (or for
  // `pending`, files about to be written on top of them: relative name -> content; and without
  // `removed`, files about to be removed).
  std::string compute_sum(const std::vector<std::pair<std::string, std::string>>& pending = {},
                          const std::vector<std::string>& removed = {}) const;
  // File name -> SHA-256 of every file but the sum file, read afresh when `fresh` or never read
  // (a new migration's sum is computed right after the directory was verified, from one reading).
  const std::map<std::string, std::string>& file_hashes(bool fresh = false) const;

  static constexpr const char* kSnapshot = "snapshot.json";
  static constexpr const char* kSum = "schemactl.sum";

 private:
  std::filesystem::path dir_;
  DialectId dialect_;
  mutable std::map<std::string, std::string> hashes_;
  mutable bool hashed_ = false;
};

}  // namespace schemactl::migrate
