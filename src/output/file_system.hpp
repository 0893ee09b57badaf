// The file operations that writing outputs needs, behind an interface so that tests can make any one
// of them fail (a full disk, a path in the way) and check that nothing was left half-written.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "util/diagnostic.hpp"

namespace schemactl {

// What is at a path (symbolic links are not followed: a link counts as a file).
enum class FileKind { none, file, directory, other };

// One failed operation on one path: "cannot <action> '<path>': <OS error>".
class FileError : public Error {
 public:
  FileError(std::string action, std::filesystem::path path, int error_number);
  const std::string& action() const { return action_; }
  const std::filesystem::path& path() const { return path_; }
  int error_number() const { return errno_; }
  std::string kind() const override { return "file"; }

 private:
  std::string action_;
  std::filesystem::path path_;
  int errno_;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Throws FileError("inspect", ...) for anything but "does not exist" (or "a parent is a file").
  virtual FileKind kind(const std::filesystem::path& path) = 0;
  // Creates `path`, which must not exist yet, with `content`, and flushes it to the disk (fsync).
  // On failure other than EEXIST a partly written file may be left at `path`.
  virtual void create_file(const std::filesystem::path& path, const std::string& content) = 0;
  virtual void make_directory(const std::filesystem::path& path) = 0;
  // A second name (hard link) for an existing file.
  virtual void link(const std::filesystem::path& existing, const std::filesystem::path& new_name) = 0;
  // rename(2): atomically replaces `to` when it is a file.
  virtual void rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  virtual void remove_file(const std::filesystem::path& path) = 0;
  virtual void remove_directory(const std::filesystem::path& path) = 0;  // an empty one
  // Flushes a directory's entries (the renames in it) to the disk.
  virtual void sync_directory(const std::filesystem::path& path) = 0;
  // The names of the entries of a directory (none when it cannot be read).
  virtual std::vector<std::string> list_directory(const std::filesystem::path& path) = 0;
};

// The operating system's file system (POSIX calls).
FileSystem& real_file_system();

}  // namespace schemactl
