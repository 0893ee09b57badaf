#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "dialect/catalog_form.hpp"
#include "dialect/dialect.hpp"
#include "dialect/inspect.hpp"
#include "drift/replay.hpp"
#include "migrate/directory.hpp"
#include "schema/dump.hpp"

namespace schemactl::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/schemactl-applier-XXXXXX";
  path = ::mkdtemp(tmpl);
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

std::string url_text(const db::DatabaseUrl& u) {
  return u.scheme + "://" + u.user + ":" + u.password + "@" + u.host + ":" + std::to_string(u.port) + "/" + u.database;
}

std::string shq(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string url_of(const FreshDatabase& db) {
  return shq(url_text(db.url()));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string all_files(const fs::path& dir) {
  std::string out;
  if (!fs::exists(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) out += "--- " + fs::relative(f, dir).string() + "\n" + slurp(f);
  return out;
}

Split schemactl_split(const std::string& args, const std::string& env) {
  TempDir t;
  std::string ignored;
  Split s;
  s.status = run_command("( " + env + " " + std::string(SCHEMACTL_BINARY) + " " + args + " >" +
                             (t.path / "out").string() + " 2>" + (t.path / "err").string() + " )",
                         ignored);
  s.out = slurp(t.path / "out");
  s.err = slurp(t.path / "err");
  return s;
}

void client_exec(const FreshDatabase& db, const std::string& sql) {
  std::string out;
  INFO(sql);
  std::string text = db.url().dialect == DialectId::postgres ? sql : "SET NAMES utf8mb4;\n" + sql;
  REQUIRE_MESSAGE(db.apply_sql(text, out) == 0, out);
}

Run schemactl(const std::string& args) {
  Run r;
  r.status = run_command(std::string(SCHEMACTL_BINARY) + " " + args, r.output);
  return r;
}

bool schemactl_ok(const std::string& args) {
  Run r = schemactl(args);
  CHECK_MESSAGE(r.status == 0, args << "\n" << r.output);
  return r.status == 0;
}

std::string url_arg(const FreshDatabase& db) {
  return " --url " + url_of(db);
}

db::DatabaseUrl required_server(DialectId d) {
  auto server = server_url(d);
  REQUIRE_MESSAGE(server, "the " << dialect_name(d) << " test server is needed (tests/servers.sh start)");
  return *server;
}

Run in(const fs::path& dir, const std::string& command) {
  Run r;
  r.status = run_command("cd '" + dir.string() + "' && " + command, r.output);
  return r;
}

Run git(const fs::path& dir, const std::string& args) {
  return in(dir, "git -c user.name=schemactl-test -c user.email=test@example.invalid -c commit.gpgsign=false " + args);
}

Run migrate(const std::string& command, const FreshDatabase& db, const fs::path& migrations, const std::string& extra) {
  return schemactl("migrate " + command + " --url '" + url_text(db.url()) + "' --migrations " + migrations.string() +
                   " " + extra);
}

void write_sum(const fs::path& root, DialectId d) {
  migrate::Directory dir(root, d);
  std::string sum = dir.compute_sum();
  std::ofstream(root / dialect_name(d) / migrate::Directory::kSum) << sum;
}

void write_migration(const fs::path& root, DialectId d, const std::string& id, const std::string& up,
                     const std::string& down) {
  fs::create_directories(root / dialect_name(d));
  std::ofstream(root / dialect_name(d) / (id + ".up.sql")) << up;
  std::ofstream(root / dialect_name(d) / (id + ".down.sql")) << down;
  write_sum(root, d);
}

void create_contents(const FreshDatabase& db) {
  auto conn = db.connect();
  conn->execute(db.url().dialect == DialectId::postgres ? "CREATE TABLE contents (id UUID PRIMARY KEY)"
                                                        : "CREATE TABLE contents (id VARCHAR(255) PRIMARY KEY)");
}

std::string external_fixture(const schema::Schema& s) {
  schema::Schema fixture = drift::external_stand_ins(s);
  return fixture.tables.empty() ? std::string() : dialect_for(s.dialect).render_install(fixture);
}

std::string catalog(const FreshDatabase& db) {
  auto conn = db.connect();
  return dump(db.url().dialect == DialectId::postgres ? inspect_postgres(*conn, "public") : inspect_tidb(*conn));
}

std::vector<apply::HistoryRow> history(const FreshDatabase& db) {
  auto conn = db.connect();
  return apply::History(*conn).rows();
}

bool has_table(const FreshDatabase& db, const std::string& table) {
  auto conn = db.connect();
  std::string sql =
      db.url().dialect == DialectId::postgres
          ? "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + table + "'"
          : "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" +
                table + "'";
  return conn->query(sql).at(0).at(0) == std::optional<std::string>("1");
}

std::optional<std::string> scalar(const FreshDatabase& db, const std::string& sql) {
  auto rows = db.connect()->query(sql);
  if (rows.empty() || rows[0].empty()) return std::nullopt;
  return rows[0][0];
}

Background::Background(const std::string& command, const FreshDatabase& db, const fs::path& migrations,
                       const std::string& extra) {
  char tmpl[] = "/tmp/schemactl-bg-XXXXXX";
  int fd = ::mkstemp(tmpl);
  REQUIRE(fd >= 0);
  out_ = tmpl;
  std::string cmd = std::string("exec ") + SCHEMACTL_BINARY + " migrate " + command + " --url '" + url_text(db.url()) +
                    "' --migrations " + migrations.string() + " " + extra;
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fd);
}

Background::~Background() {
  if (!done_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int st;
    ::waitpid(pid_, &st, 0);
  }
  std::error_code ec;
  fs::remove(out_, ec);
}

void Background::signal(int sig) const {
  ::kill(pid_, sig);
}

Run Background::wait() {
  int st = 0;
  ::waitpid(pid_, &st, 0);
  done_ = true;
  Run r;
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  std::ifstream in(out_);
  std::stringstream ss;
  ss << in.rdbuf();
  r.output = ss.str();
  return r;
}

void each_dialect(const std::function<void(const db::DatabaseUrl&, DialectId)>& f) {
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto server = server_url(d);
    if (!server) continue;
    f(*server, d);
  }
}

bool wait_for_row(const FreshDatabase& db, const std::string& sql, int seconds) {
  auto conn = db.connect();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!conn->query(sql).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace schemactl::test
