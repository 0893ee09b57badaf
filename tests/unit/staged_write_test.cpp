// All-or-nothing writes: `generate` and `migrate new` with a file system that fails at each
// operation in turn (a full disk while staging, a failed rename halfway through the renames, ...)
// leave the tree exactly as it was, and say which path failed and why.
#include "output/staged_write.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "codegen/headers.hpp"
#include "file_tree.hpp"
#include "migrate/new_migration.hpp"
#include "migrate/sum.hpp"
#include "output/generate.hpp"
#include "test_support.hpp"

namespace schemactl::test {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = SCHEMACTL_SOURCE_DIR;

// The real file system, except that operation number `fail_at` (1-based, counting every call)
// fails; every operation after it works again (so the undoing can be checked). A failing
// create_file writes half of the content first, like a disk that fills up midway.
class FaultyFileSystem : public FileSystem {
 public:
  explicit FaultyFileSystem(int fail_at) : fail_at_(fail_at) {}
  bool hit() const { return !failed_op_.empty(); }
  const std::string& failed_op() const { return failed_op_; }

  FileKind kind(const fs::path& p) override {
    if (fault("kind")) throw FileError("inspect", p, EACCES);
    return real().kind(p);
  }
  void create_file(const fs::path& p, const std::string& content) override {
    if (fault("create_file")) {
      real().create_file(p, content.substr(0, content.size() / 2));
      throw FileError("write", p, ENOSPC);
    }
    real().create_file(p, content);
  }
  void make_directory(const fs::path& p) override {
    if (fault("make_directory")) throw FileError("create directory", p, ENOSPC);
    real().make_directory(p);
  }
  void link(const fs::path& from, const fs::path& to) override {
    if (fault("link")) throw FileError("back up", from, EMLINK);
    real().link(from, to);
  }
  void rename(const fs::path& from, const fs::path& to) override {
    if (fault("rename")) throw FileError("move into place", to, EIO);
    real().rename(from, to);
  }
  void remove_file(const fs::path& p) override {
    if (fault("remove_file")) throw FileError("remove", p, EIO);
    real().remove_file(p);
  }
  void remove_directory(const fs::path& p) override {
    if (fault("remove_directory")) throw FileError("remove directory", p, EIO);
    real().remove_directory(p);
  }
  void sync_directory(const fs::path& p) override {
    if (fault("sync_directory")) throw FileError("flush directory", p, EIO);
    real().sync_directory(p);
  }
  // (Not a fault point: the listing only finds stale staged files, and a write never fails on it.)
  std::vector<std::string> list_directory(const fs::path& p) override { return real().list_directory(p); }

 private:
  int fail_at_;
  int count_ = 0;
  std::string failed_op_;
  std::mutex mutex_;  // staging runs on two threads
  static FileSystem& real() { return real_file_system(); }
  bool fault(const char* op) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (++count_ != fail_at_) return false;
    failed_op_ = op;
    return true;
  }
};

// Runs `write` with a fault at every operation in turn until a run gets through without one.
// Each failed run must leave the tree under `watched` exactly as `before` and say why; returns
// the number of failure points tried. A fault while removing a backup after the new files are
// in place cannot undo anything any more: that run succeeds, and may leave that backup behind.
int fail_everywhere(const fs::path& watched, const std::function<void(FileSystem&)>& write) {
  const auto before = file_tree(watched);
  for (int n = 1; n < 1000; ++n) {
    CAPTURE(n);
    FaultyFileSystem faulty(n);
    try {
      write(faulty);
    } catch (const Error& e) {
      REQUIRE(faulty.hit());
      CAPTURE(faulty.failed_op());
      std::string message = e.what();
      CHECK_MESSAGE(tree_difference(before, file_tree(watched)) == "", message);
      CHECK(message.rfind("cannot ", 0) == 0);
      CHECK(message.find("'" + watched.string()) != std::string::npos);  // names the path
      CHECK(message.size() > 21);
      CHECK(message.substr(message.size() - 21) == "; nothing was written");
      CHECK(message.find(".schemactl-") == std::string::npos);  // the target, not the staged file
      if (faulty.failed_op() == "create_file") CHECK(message.find("No space left on device") != std::string::npos);
      if (faulty.failed_op() == "rename") CHECK(message.find("Input/output error") != std::string::npos);
      continue;
    }
    if (faulty.hit()) {
      CHECK(faulty.failed_op() == "remove_file");  // a backup, after the rename
      for (const auto& [path, what] : file_tree(watched))
        if (path.find(".schemactl-") != std::string::npos) fs::remove(watched / path);
      return n;
    }
    return n - 1;
  }
  FAIL("the write never succeeded");
  return 0;
}

Compiled compile_dir(const fs::path& dir) {
  return compile_registry(registry::read_registry_dir(dir));
}

migrate::NewResult plan(const fs::path& registry, const fs::path& root, const std::string& name,
                        const std::string& version) {
  migrate::NewOptions o;
  o.name = name;
  o.version = version;
  return migrate::plan_new_migration(compile_dir(registry), root, o);
}

}  // namespace

TEST_CASE("staged write: generate fails at every point in turn and leaves generated/ as it was") {
  TempDir tmp;
  const fs::path out = tmp.path / "generated";
  FileSet files =
      generate_outputs(compile_dir(kSource / "schema"), codegen::find_templates((kSource / "templates").string()));
  files.write(out);
  // Something of every kind to do: a file to replace, one to create in a directory that is gone,
  // a stale one to remove.
  { std::ofstream(out / "postgres/install.sql", std::ios::app) << "-- edited\n"; }
  fs::remove_all(out / "tidb");
  fs::create_directories(out / "old");
  { std::ofstream(out / "old/stale.sql") << "SELECT 1;\n"; }
  REQUIRE(files.changes(out).size() == 3);

  int points = fail_everywhere(tmp.path, [&](FileSystem& fs) { files.write(out, fs); });
  // inspect 3 + directory 3 + create 2 + back up 2 + rename/remove 3 + sync 3, at least.
  CHECK(points >= 16);
  CHECK(files.compare(out).empty());
  CHECK_FALSE(fs::exists(out / "old/stale.sql"));
  for (const auto& [path, what] : file_tree(tmp.path)) CHECK(path.find(".schemactl-") == std::string::npos);
}

TEST_CASE("staged write: a fresh generate into a new directory fails at every point and leaves no directory") {
  TempDir tmp;
  const fs::path out = tmp.path / "a/b/generated";
  FileSet files =
      generate_outputs(compile_dir(kSource / "schema"), codegen::find_templates((kSource / "templates").string()));
  int points = fail_everywhere(tmp.path, [&](FileSystem& fs) { files.write(out, fs); });
  CHECK(points >= 9 * 3);  // inspect, create and rename each file at least
  CHECK(files.compare(out).empty());
}

TEST_CASE("staged write: migrate new fails at every point in turn and leaves migrations/ as it was") {
  TempDir tmp;
  const fs::path root = tmp.path / "migrations";
  migrate::write_new_migration(
      plan(kSource / "tests/registries/companion_baseline", root, "baseline", "20251018_142000"), root);
  // Two new files and a replaced snapshot and sum in each dialect.
  migrate::NewResult r = plan(kSource / "schema", root, "add_moment_session_fields", "20251018_142555");
  REQUIRE(r.files.size() == 8);
  int points = fail_everywhere(tmp.path, [&](FileSystem& fs) { migrate::write_new_migration(r, root, fs); });
  CHECK(points >= 8 * 3 + 4);
  for (const auto& [path, content] : r.files) {
    std::string have;
    CHECK(read_file(root / path, have));
    CHECK(have == content);
  }
  for (DialectId d : kAllDialects) CHECK(migrate::verify_sum(root, d).empty());
}

TEST_CASE("staged write: the first migrate new into a new directory fails at every point and leaves nothing") {
  TempDir tmp;
  const fs::path root = tmp.path / "migrations";
  migrate::NewResult r = plan(kSource / "tests/registries/companion_baseline", root, "baseline", "20251018_142000");
  fail_everywhere(tmp.path, [&](FileSystem& fs) { migrate::write_new_migration(r, root, fs); });
  CHECK(migrate::Directory(root, DialectId::tidb).list().size() == 1);
}

TEST_CASE("staged write: a directory where a file should go is refused before anything is written") {
  TempDir tmp;
  fs::create_directories(tmp.path / "x/b.sql");
  auto before = file_tree(tmp.path);
  std::vector<FileChange> changes = {{"a.sql", "A"}, {"x/b.sql", "B"}, {"new/c.sql", "C"}};
  CHECK_THROWS_WITH(
      write_staged(tmp.path, changes),
      ("cannot write '" + (tmp.path / "x/b.sql").string() + "': Is a directory; nothing was written").c_str());
  CHECK(tree_difference(before, file_tree(tmp.path)) == "");
  // A file where a directory should be.
  fs::remove(tmp.path / "x/b.sql");
  { std::ofstream(tmp.path / "new") << "in the way"; }
  before = file_tree(tmp.path);
  CHECK_THROWS_WITH(
      write_staged(tmp.path, changes),
      ("cannot create directory '" + (tmp.path / "new").string() + "': Not a directory; nothing was written").c_str());
  CHECK(tree_difference(before, file_tree(tmp.path)) == "");
}

TEST_CASE("staged write: when undoing fails too, the message says what is left where") {
  // Fail the second rename, then the rename that would put the first file's backup back.
  class UndoFails : public FileSystem {
   public:
    FileKind kind(const fs::path& p) override { return real_file_system().kind(p); }
    void create_file(const fs::path& p, const std::string& c) override { real_file_system().create_file(p, c); }
    void make_directory(const fs::path& p) override { real_file_system().make_directory(p); }
    void link(const fs::path& a, const fs::path& b) override { real_file_system().link(a, b); }
    void rename(const fs::path& from, const fs::path& to) override {
      if (++renames == 2) throw FileError("move into place", to, EIO);
      if (renames == 3) throw FileError("restore", to, EIO);
      real_file_system().rename(from, to);
    }
    void remove_file(const fs::path& p) override { real_file_system().remove_file(p); }
    void remove_directory(const fs::path& p) override { real_file_system().remove_directory(p); }
    void sync_directory(const fs::path& p) override { real_file_system().sync_directory(p); }
    std::vector<std::string> list_directory(const fs::path& p) override { return real_file_system().list_directory(p); }
    int renames = 0;
  } fs_;
  TempDir tmp;
  { std::ofstream(tmp.path / "a.sql") << "old A"; }
  { std::ofstream(tmp.path / "b.sql") << "old B"; }
  try {
    write_staged(tmp.path, {{"a.sql", "new A"}, {"b.sql", "new B"}}, fs_);
    FAIL("no error");
  } catch (const Error& e) {
    std::string m = e.what();
    CHECK(m.find("cannot move into place '" + (tmp.path / "b.sql").string() + "': Input/output error") == 0);
    CHECK(m.find("undoing the files written so far failed too; cannot restore '" + (tmp.path / "a.sql").string()) !=
          std::string::npos);
  }
  // The old A is still there, under the backup name the message points at; B is untouched.
  std::string old_a, b;
  CHECK(read_file(tmp.path / (".a.sql.schemactl-old-" + std::to_string(::getpid())), old_a));
  CHECK(old_a == "old A");
  CHECK(read_file(tmp.path / "b.sql", b));
  CHECK(b == "old B");
}

}  // namespace schemactl::test

namespace schemactl::test {
TEST_CASE("staged write: relative paths, as `generate --out generated` in a fresh clone gives them") {
  TempDir tmp;
  const fs::path cwd = fs::current_path();
  fs::current_path(tmp.path);
  try {
    write_staged("generated", {{"postgres/install.sql", "A"}, {"b.hpp", "B"}});
    write_staged("", {{"top.sql", "T"}});
    write_staged("generated", {{"b.hpp", "B2"}});
  } catch (...) {
    fs::current_path(cwd);
    throw;
  }
  fs::current_path(cwd);
  std::string a, b, t;
  CHECK(read_file(tmp.path / "generated/postgres/install.sql", a));
  CHECK(a == "A");
  CHECK(read_file(tmp.path / "generated/b.hpp", b));
  CHECK(b == "B2");
  CHECK(read_file(tmp.path / "top.sql", t));
  CHECK(t == "T");
  CHECK(file_tree(tmp.path).size() == 5);  // generated, generated/postgres and three files: no leftovers
}
}  // namespace schemactl::test

namespace schemactl::test {
// A run killed with -9 while staging leaves its half-written `.<name>.schemactl-new-<pid>`; the
// next write of that file removes it when the process is gone, and keeps another live process's
// and every backup (a failed undo's message may point at one).
TEST_CASE("staged write: a killed run's staged file is removed by the next write, a live one's and backups kept") {
  TempDir tmp;
  // A pid that is no process: a child that has exited and been reaped.
  pid_t dead = ::fork();
  REQUIRE(dead >= 0);
  if (dead == 0) ::_exit(0);
  int status = 0;
  REQUIRE(::waitpid(dead, &status, 0) == dead);
  const std::string dead_new = ".a.sql.schemactl-new-" + std::to_string(dead);
  const std::string live_new = ".a.sql.schemactl-new-" + std::to_string(::getppid());
  const std::string dead_old = ".a.sql.schemactl-old-" + std::to_string(dead);
  const std::string other_file = ".b.sql.schemactl-new-" + std::to_string(dead);
  for (const auto& name : {dead_new, live_new, dead_old, other_file}) std::ofstream(tmp.path / name) << "half";
  write_staged(tmp.path, {{"a.sql", "A"}});
  std::string a;
  CHECK(read_file(tmp.path / "a.sql", a));
  CHECK(a == "A");
  CHECK(!fs::exists(tmp.path / dead_new));
  CHECK(fs::exists(tmp.path / live_new));    // its process may still be writing
  CHECK(fs::exists(tmp.path / dead_old));    // a backup is never removed by another run
  CHECK(fs::exists(tmp.path / other_file));  // b.sql is not written now
}
}  // namespace schemactl::test
