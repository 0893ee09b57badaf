// schemactl.sum: checking a migrations directory against it, and rewriting it (`migrate hash`).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "migrate/directory.hpp"
#include "output/staged_write.hpp"

namespace schemactl::migrate {

struct SumProblem {
  enum class Kind {
    sum_missing,  // there are files but no schemactl.sum
    sum_edited,   // the sum file's own total does not match its lines
    edited,       // a file's content differs from its recorded hash
    deleted,      // a recorded file is gone
    added,        // a file on disk is not recorded
    layout,       // a file name that does not parse, a missing up or down file, a duplicate version
  };
  Kind kind;
  std::filesystem::path file;  // the file concerned
  std::string message;         // e.g. "edited: migrations/postgres/2025..._x.up.sql"
};

// Everything wrong with migrations/<dialect> (dir.path()) as its sum file records it; empty = ok.
// Reads every file afresh. An absent or empty directory is fine.
std::vector<SumProblem> verify_sum(const Directory& dir);
std::vector<SumProblem> verify_sum(const std::filesystem::path& migrations_root, DialectId dialect);

// The sum files of every dialect under `migrations_root` that differ from the files on disk, as
// changes to write (relative to the root). Throws Error when a directory's layout is broken (a
// missing down file, a name that does not parse) or its snapshot is unreadable: those are not to
// be accepted by rehashing.
std::vector<FileChange> rehash(const std::filesystem::path& migrations_root);

}  // namespace schemactl::migrate
