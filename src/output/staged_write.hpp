// Writing a set of files all or nothing: every new file is staged next to its target (same
// directory, so the rename is atomic) and flushed to the disk, each old file gets a backup (a hard
// link), then the staged files are renamed into place. When anything fails, before or during the
// renames, the renamed files are put back from their backups and every staged file, backup and
// created directory is removed: the tree is left exactly as it was.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "output/file_system.hpp"

namespace schemactl {

struct FileChange {
  std::string path;                    // relative to the root
  std::optional<std::string> content;  // unset: remove the file
};

// Applies every change under `root` (creating the directories it needs), or none. Throws Error
// "cannot <action> '<path>': <OS error>; nothing was written" (or, if even undoing failed, says
// what is left where).
void write_staged(const std::filesystem::path& root, const std::vector<FileChange>& changes,
                  FileSystem& fs = real_file_system());

}  // namespace schemactl
