// A set of generated files held in memory, written all at once (or compared, for --check), so a
// failure never leaves half of them written.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "output/staged_write.hpp"

namespace schemactl {

class FileSet {
 public:
  void add(const std::string& relative_path, std::string content);
  const std::map<std::string, std::string>& files() const { return files_; }

  struct Difference {
    std::string path;  // relative to the root
    std::string what;  // "missing", "differs", "stale (no longer generated)"
  };
  // Compares with what is on disk under `root`; files under `root` with an owned extension that
  // the set does not contain are stale.
  std::vector<Difference> compare(const std::filesystem::path& root) const;
  // What writing the set under `root` changes: missing and differing files written, stale ones removed.
  std::vector<FileChange> changes(const std::filesystem::path& root) const;
  // Applies changes(root) all or nothing (output/staged_write.hpp). Returns the number of files
  // written or removed.
  std::size_t write(const std::filesystem::path& root, FileSystem& fs = real_file_system()) const;

 private:
  std::map<std::string, std::string> files_;
};

// Reads a whole file; std::nullopt-like empty + false when it does not exist.
bool read_file(const std::filesystem::path& path, std::string& content);

}  // namespace schemactl
