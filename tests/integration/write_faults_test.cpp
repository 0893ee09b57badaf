// `generate` and `migrate new` run as a user would run them, on a disk that fills up (a small
// tmpfs) and with a path in the way: exit 1, a message naming the path and the OS error, and the
// tree exactly as it was. Needs no database server. Also `migrate hash` in the README's flow.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "../unit/file_tree.hpp"
#include "migrate/directory.hpp"
#include "migrate/legacy_text.hpp"
#include "migrate/lineage.hpp"
#include "output/fileset.hpp"

namespace schemactl::test {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = SCHEMACTL_SOURCE_DIR;

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs the binary with `args`; with `file_size_limit` set, under RLIMIT_FSIZE (SIGXFSZ ignored, so
// a write past the limit fails with EFBIG, as a full disk fails with ENOSPC).
Run schemactl(const std::vector<std::string>& args, long file_size_limit = -1) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::close(fds[0]);
    ::close(fds[1]);
    if (file_size_limit >= 0) {
      ::signal(SIGXFSZ, SIG_IGN);
      rlimit limit{static_cast<rlim_t>(file_size_limit), static_cast<rlim_t>(file_size_limit)};
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    std::vector<char*> argv{const_cast<char*>(SCHEMACTL_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(SCHEMACTL_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  Run r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) r.output.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A tmpfs of a few hundred kilobytes (mount(2) needs root; where it is refused, `mounted` is false
// and the tests limit the file size of the child process instead).
struct SmallDisk {
  TempDir dir;
  bool mounted = false;
  explicit SmallDisk(std::size_t bytes) {
    mounted = ::mount("tmpfs", dir.path.c_str(), "tmpfs", 0, ("size=" + std::to_string(bytes)).c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted) ::umount2(dir.path.c_str(), MNT_DETACH);
  }
  // Fills the disk with a file outside the tree, then frees about `leave` bytes of it.
  void fill_leaving(std::size_t leave) {
    int fd = ::open((dir.path / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    std::string block(4096, 'x');
    off_t size = 0;
    ssize_t n;
    while ((n = ::write(fd, block.data(), block.size())) > 0) size += n;
    REQUIRE(errno == ENOSPC);
    REQUIRE(::ftruncate(fd, size - static_cast<off_t>(leave)) == 0);
    ::close(fd);
  }
  void free_space() { fs::remove(dir.path / "filler"); }
};

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

std::vector<std::string> generate_args(const fs::path& out) {
  return {"generate", "--schema",  (kSource / "schema").string(), "--templates", (kSource / "templates").string(),
          "--out",    out.string()};
}

std::vector<std::string> migrate_new_args(const fs::path& migrations, const fs::path& registry, const std::string& name,
                                          const std::string& version = "") {
  std::vector<std::string> args{"migrate",          "new", name, "--schema", registry.string(), "--migrations",
                                migrations.string()};
  if (!version.empty()) args.insert(args.end(), {"--version", version});
  return args;
}

void check_refused(const Run& r, const std::string& path_prefix, const std::vector<std::string>& os_errors) {
  CAPTURE(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("error: cannot ") != std::string::npos);
  CHECK(r.output.find("'" + path_prefix) != std::string::npos);
  CHECK(r.output.find("; nothing was written\n") != std::string::npos);
  CHECK(r.output.find(".schemactl-") == std::string::npos);
  bool named = false;
  for (const auto& e : os_errors) named = named || r.output.find(e) != std::string::npos;
  CHECK_MESSAGE(named, "no OS error in the message");
}

}  // namespace

TEST_CASE("write faults: generate on a disk that fills up midway writes nothing") {
  SmallDisk disk(512 * 1024);
  const fs::path out = disk.dir.path / "proj/generated";
  copy_tree(kSource / "generated", out);
  // Both install.sql files (36 KB + 28 KB) must be written, more than the 48 KB left.
  fs::remove_all(out / "tidb");
  { std::ofstream(out / "postgres/install.sql", std::ios::app) << "-- edited\n"; }
  { std::ofstream(out / "include/companion/moment.hpp", std::ios::app) << "// edited\n"; }
  const auto before = file_tree(disk.dir.path / "proj");
  Run r;
  if (disk.mounted) {
    disk.fill_leaving(48 * 1024);
    r = schemactl(generate_args(out));
  } else {
    r = schemactl(generate_args(out), 20000);
  }
  check_refused(r, out.string(), {"No space left on device", "File too large"});
  CHECK(tree_difference(before, file_tree(disk.dir.path / "proj")) == "");
  // With room again the same command works.
  disk.free_space();
  Run ok = schemactl(generate_args(out));
  CHECK_MESSAGE(ok.status == 0, ok.output);
  auto check = generate_args(out);
  check.push_back("--check");
  CHECK(schemactl(check).status == 0);
}

TEST_CASE("write faults: migrate new on a disk that fills up midway writes nothing") {
  SmallDisk disk(512 * 1024);
  const fs::path migrations = disk.dir.path / "proj/migrations";
  Run base = schemactl(
      migrate_new_args(migrations, kSource / "tests/registries/companion_baseline", "baseline", "20251018_142000"));
  REQUIRE_MESSAGE(base.status == 0, base.output);
  const auto before = file_tree(disk.dir.path / "proj");
  // The postgres up and down files fit in 12 KB, its snapshot (36 KB) does not.
  auto args = migrate_new_args(migrations, kSource / "schema", "add_moment_session_fields", "20251018_142555");
  Run r;
  if (disk.mounted) {
    disk.fill_leaving(12 * 1024);
    r = schemactl(args);
  } else {
    r = schemactl(args, 12 * 1024);
  }
  check_refused(r, migrations.string(), {"No space left on device", "File too large"});
  CHECK(tree_difference(before, file_tree(disk.dir.path / "proj")) == "");
  disk.free_space();
  Run ok = schemactl(args);
  CHECK_MESSAGE(ok.status == 0, ok.output);
  // The same history as the shipped one, byte for byte but for the header lines that say what each
  // file was planned on (the shipped files predate the lineage markers; the sum follows the bytes),
  // and for the layout of function bodies (migrate/legacy_text.hpp).
  for (const char* d : {"postgres", "tidb"})
    for (const auto& entry : fs::directory_iterator(kSource / "migrations" / d)) {
      if (entry.path().filename() == schemactl::migrate::Directory::kSum) continue;
      std::string want, have;
      REQUIRE(read_file(entry.path(), want));
      CHECK_MESSAGE(read_file(migrations / d / entry.path().filename(), have), entry.path());
      CHECK(schemactl::migrate::without_lineage_lines(have) ==
            schemactl::migrate::without_lineage_lines(schemactl::migrate::unframed_function_bodies(want)));
    }
}

TEST_CASE("write faults: a path in the way fails before anything is written") {
  TempDir tmp;
  const fs::path out = tmp.path / "generated";
  copy_tree(kSource / "generated", out);
  fs::remove(out / "postgres/install.sql");  // one file to write before the one that cannot be

  SUBCASE("a directory where a file should go") {
    fs::remove(out / "tidb/install.sql");
    fs::create_directories(out / "tidb/install.sql");
    { std::ofstream(out / "tidb/install.sql/keep.txt") << "mine\n"; }
    const auto before = file_tree(tmp.path);
    Run r = schemactl(generate_args(out));
    check_refused(r, (out / "tidb/install.sql").string(), {"Is a directory"});
    CHECK(tree_difference(before, file_tree(tmp.path)) == "");
  }
  SUBCASE("a file where a directory should go") {
    fs::remove_all(out / "include");
    { std::ofstream(out / "include") << "mine\n"; }
    const auto before = file_tree(tmp.path);
    Run r = schemactl(generate_args(out));
    check_refused(r, (out / "include").string(), {"Not a directory"});
    CHECK(tree_difference(before, file_tree(tmp.path)) == "");
  }
}

TEST_CASE("write faults: migrate new with a read-only dialect directory writes nothing in any") {
  TempDir tmp;
  const fs::path migrations = tmp.path / "migrations";
  REQUIRE(schemactl(migrate_new_args(migrations, kSource / "tests/registries/companion_baseline", "baseline",
                                     "20251018_142000"))
              .status == 0);
  const fs::path tidb = migrations / "tidb";
  // Root ignores permission bits: a read-only bind mount of the directory onto itself instead.
  bool bound = false;
  if (::geteuid() == 0) {
    REQUIRE(::mount(tidb.c_str(), tidb.c_str(), nullptr, MS_BIND, nullptr) == 0);
    bound = true;
    REQUIRE(::mount(nullptr, tidb.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0);
  } else {
    fs::permissions(tidb, fs::perms::owner_read | fs::perms::owner_exec);
  }
  const auto before = file_tree(tmp.path);
  Run r = schemactl(migrate_new_args(migrations, kSource / "schema", "add_moment_session_fields", "20251018_142555"));
  const auto after = file_tree(tmp.path);
  if (bound)
    ::umount2(tidb.c_str(), MNT_DETACH);
  else
    fs::permissions(tidb, fs::perms::owner_all);
  check_refused(r, tidb.string(), {"Read-only file system", "Permission denied"});
  CHECK(tree_difference(before, after) == "");
}

TEST_CASE("write faults: migrate hash in the README's flow for a hand-written data migration") {
  TempDir tmp;
  const fs::path migrations = tmp.path / "migrations";
  copy_tree(kSource / "migrations", migrations);
  auto check = std::vector<std::string>{"migrate",      "check",
                                        "--schema",     (kSource / "schema").string(),
                                        "--migrations", migrations.string(),
                                        "--out",        (kSource / "generated").string()};
  auto args = migrate_new_args(migrations, kSource / "schema", "backfill");
  args.push_back("--empty");
  Run made = schemactl(args);
  REQUIRE_MESSAGE(made.status == 0, made.output);
  // Twice within one second: the next free version, not an error.
  auto again = migrate_new_args(migrations, kSource / "schema", "backfill_more");
  again.push_back("--empty");
  Run made_again = schemactl(again);
  REQUIRE_MESSAGE(made_again.status == 0, made_again.output);
  for (const auto& entry : fs::directory_iterator(migrations / "postgres"))
    if (entry.path().filename().string().find("_backfill.up.sql") != std::string::npos)
      std::ofstream(entry.path(), std::ios::app)
          << "UPDATE moments SET key_emotions = '{}' WHERE key_emotions IS NULL;\n";
  Run stale = schemactl(check);
  CHECK(stale.status == 3);
  CHECK(stale.output.find("postgres: edited: " + migrations.string() + "/postgres/") != std::string::npos);
  Run hashed = schemactl({"migrate", "hash", "--migrations", migrations.string()});
  CHECK_MESSAGE(hashed.status == 0, hashed.output);
  CHECK(hashed.output == "wrote " + migrations.string() + "/postgres/schemactl.sum\n");
  Run ok = schemactl(check);
  CHECK_MESSAGE(ok.status == 0, ok.output);
  Run unchanged = schemactl({"migrate", "hash", "--migrations", migrations.string()});
  CHECK(unchanged.output.find("no files written") != std::string::npos);
}

}  // namespace schemactl::test
