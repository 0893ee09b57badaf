#include "output/staged_write.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <set>

#include "util/parallel.hpp"

namespace schemactl {

namespace fs = std::filesystem;

namespace {

struct Entry {
  fs::path target;
  const std::string* content = nullptr;  // null: remove
  bool had_old = false;
  fs::path staged, backup;
  bool staged_made = false, backup_made = false, done = false;
};

// The directory holding `p` ("." for a bare relative name).
fs::path parent_of(const fs::path& p) {
  fs::path parent = p.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// The hidden names next to the target: unlikely to clash, and never the owned .sql/.hpp extensions.
fs::path side_name(const fs::path& target, const char* what) {
  return target.parent_path() /
         ("." + target.filename().string() + ".schemactl-" + what + "-" + std::to_string(::getpid()));
}

class StagedWrite {
 public:
  StagedWrite(const fs::path& root, const std::vector<FileChange>& changes, FileSystem& fs) : fs_(fs) {
    for (const auto& c : changes) {
      Entry e;
      e.target = root / c.path;
      e.content = c.content ? &*c.content : nullptr;
      entries_.push_back(std::move(e));
    }
  }

  void run() {
    try {
      inspect();
      remove_stale_staging();
      make_directories();
      stage();
      commit();
    } catch (const FileError& e) {
      undo(e.what());
    } catch (const std::exception& e) {  // no thread for staging, no memory: still undone
      undo(e.what());
    }
    // Done: the backups are no longer needed (a failure to remove one leaves a hidden file only).
    for (auto& e : entries_)
      if (e.backup_made) quietly([&] { fs_.remove_file(e.backup); });
  }

 private:
  FileSystem& fs_;
  std::vector<Entry> entries_;
  std::vector<fs::path> made_dirs_;  // in the order they were created
  std::set<fs::path> dirs_to_sync_;

  // Nothing is changed until every target has been looked at: a directory (or a device) where a
  // file should go fails here.
  void inspect() {
    for (auto& e : entries_) {
      FileKind k = fs_.kind(e.target);
      if (k == FileKind::directory) throw FileError("write", e.target, EISDIR);
      if (k == FileKind::other) throw FileError("write", e.target, EINVAL);
      e.had_old = k == FileKind::file;
      if (e.content || e.had_old) dirs_to_sync_.insert(parent_of(e.target));
    }
  }

  // A run killed while staging (kill -9, a power cut) leaves `.<name>.schemactl-new-<pid>` next to
  // its targets: half-written, of no use. Those of targets written now whose process is gone are
  // removed. A backup (`-old-`) is kept: a failed undo's message may have sent the user to it.
  void remove_stale_staging() {
    std::set<std::pair<fs::path, std::string>> targets;  // (directory, file name)
    for (const auto& e : entries_) targets.insert({parent_of(e.target), e.target.filename().string()});
    std::set<fs::path> dirs;
    for (const auto& t : targets) dirs.insert(t.first);
    for (const auto& dir : dirs)
      for (const auto& name : fs_.list_directory(dir)) {
        auto at = name.rfind(".schemactl-new-");
        if (name.empty() || name[0] != '.' || at == std::string::npos || at < 2) continue;
        if (!targets.count({dir, name.substr(1, at - 1)})) continue;
        const std::string pid_text = name.substr(at + std::string(".schemactl-new-").size());
        if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
        const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
        if (pid == ::getpid() || pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
        quietly([&] { fs_.remove_file(dir / name); });
      }
  }

  void make_directories() {
    for (auto& e : entries_) {
      if (!e.content) continue;
      std::vector<fs::path> missing;
      fs::path dir = e.target.parent_path();
      FileKind k = FileKind::none;
      while (!dir.empty() && (k = fs_.kind(dir)) == FileKind::none) {
        missing.push_back(dir);
        if (dir == dir.parent_path()) break;
        dir = dir.parent_path();
      }
      if (!dir.empty() && k != FileKind::directory && k != FileKind::none)
        throw FileError("create directory", dir, ENOTDIR);  // a file is in the way
      for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        fs_.make_directory(*it);
        made_dirs_.push_back(*it);
        dirs_to_sync_.insert(parent_of(*it));
      }
    }
  }

  // The new files are written and flushed (16 threads for many files: their flushes are committed
  // together); the old ones get a backup.
  void stage() {
    std::vector<Entry*> writes;
    for (auto& e : entries_)
      if (e.content) writes.push_back(&e);
    std::atomic<bool> failed{false};
    split_among(16, writes.size(), [&](std::size_t first, std::size_t stride) {
      for (std::size_t i = first; i < writes.size() && !failed; i += stride) {
        Entry& e = *writes[i];
        e.staged = side_name(e.target, "new");
        try {
          fs_.create_file(e.staged, *e.content);
          e.staged_made = true;
        } catch (const FileError& err) {
          failed = true;
          // Anything but "exists" may have left a partial file, which is ours to remove.
          e.staged_made = err.error_number() != EEXIST;
          throw FileError("write", e.target, err.error_number());
        }
      }
    });
    for (auto& e : entries_) {
      if (!e.had_old) continue;
      e.backup = side_name(e.target, "old");
      fs_.link(e.target, e.backup);
      e.backup_made = true;
    }
  }

  void commit() {
    for (auto& e : entries_) {
      if (e.content)
        fs_.rename(e.staged, e.target);
      else if (e.had_old)
        fs_.remove_file(e.target);
      e.done = true;
    }
    for (const auto& dir : dirs_to_sync_) fs_.sync_directory(dir);
  }

  template <typename F>
  bool quietly(F&& f, std::vector<std::string>* problems = nullptr) {
    try {
      f();
      return true;
    } catch (const FileError& err) {
      if (err.error_number() == ENOENT && !problems) return true;
      if (problems) problems->push_back(err.what());
      return false;
    }
  }

  [[noreturn]] void undo(const std::string& cause) {
    std::vector<std::string> problems;
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
      Entry& e = *it;
      if (!e.done) continue;
      if (e.had_old) {
        // The backup goes back under the target's name (replacing the new file, if any).
        if (quietly([&] { fs_.rename(e.backup, e.target); }, &problems)) e.backup_made = false;
      } else if (e.content) {
        quietly([&] { fs_.remove_file(e.target); }, &problems);
      }
    }
    for (auto& e : entries_) {
      if (e.staged_made && !e.done) quietly([&] { fs_.remove_file(e.staged); });
      // A backup whose file was never replaced is not needed; one that could not be put back stays.
      if (e.backup_made && !e.done) quietly([&] { fs_.remove_file(e.backup); });
    }
    for (auto it = made_dirs_.rbegin(); it != made_dirs_.rend(); ++it)
      quietly([&] { fs_.remove_directory(*it); }, &problems);
    if (problems.empty()) throw Error(cause + "; nothing was written");
    std::string list;
    for (const auto& p : problems) list += "; " + p;
    throw Error(cause + "; undoing the files written so far failed too" + list +
                " (the previous version of a file is kept next to it as ." + "<name>.schemactl-old-" +
                std::to_string(::getpid()) + ")");
  }
};

}  // namespace

void write_staged(const fs::path& root, const std::vector<FileChange>& changes, FileSystem& fs) {
  if (changes.empty()) return;
  StagedWrite(root, changes, fs).run();
}

}  // namespace schemactl
