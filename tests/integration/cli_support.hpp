// Driving the `schemactl` binary against the test servers as a CI job would, plus what the applier
// tests read back (history rows, catalogs) and start (a run in the background, to signal or kill).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "apply/history.hpp"
#include "schema/schema.hpp"
#include "servers.hpp"

namespace schemactl::test {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// The URL with its password in clear, as a user would type it.
std::string url_text(const db::DatabaseUrl& u);
// Single-quoted for the shell; and the URL of `db` so quoted.
std::string shq(const std::string& s);
std::string url_of(const FreshDatabase& db);

bool contains(const std::string& text, const std::string& part);
std::string replace_all(std::string s, const std::string& from, const std::string& to);
std::string slurp(const fs::path& p);
void put(const fs::path& p, const std::string& text);  // creating the directories it needs
// Every file under `dir`, sorted, each after a "--- relative/path" line: what a failure shows.
std::string all_files(const fs::path& dir);

struct Run {
  int status;
  std::string output;
};

Run schemactl(const std::string& args);
// `schemactl ARGS`, CHECKed to exit 0 (the command and its output shown when it does not).
bool schemactl_ok(const std::string& args);
// " --url 'URL'" for `db`, as a command line takes it.
std::string url_arg(const FreshDatabase& db);
// The dialect's test server, REQUIREd (a test never skips for a missing one).
db::DatabaseUrl required_server(DialectId d);
// `schemactl ARGS` with stdout and stderr kept apart (`env`: assignments put before it).
struct Split {
  int status;
  std::string out, err;
};
Split schemactl_split(const std::string& args, const std::string& env = "");
// A shell command in `dir` (stdout and stderr together), and git there (a fixed author, no signing).
Run in(const fs::path& dir, const std::string& command);
Run git(const fs::path& dir, const std::string& args);
Run migrate(const std::string& command, const FreshDatabase& db, const fs::path& migrations,
            const std::string& extra = "");

// schemactl.sum for what `root/<dialect>/` holds now (what `migrate hash` writes).
void write_sum(const fs::path& root, DialectId d);
// A hand-written migration (both files) in `root/<dialect>/`, and the sum updated.
void write_migration(const fs::path& root, DialectId d, const std::string& id, const std::string& up,
                     const std::string& down);

// The application's `contents` table, which the shipped migrations reference.
void create_contents(const FreshDatabase& db);

// SQL run with the dialect's own client (REQUIRE'd to succeed); on the MySQL family in utf8mb4
// (the fixtures hold emoji: the mariadb client's default here is utf8mb3).
void client_exec(const FreshDatabase& db, const std::string& sql);

std::string catalog(const FreshDatabase& db);
// The application's own tables that the registry only references (external), created so that
// install.sql can point foreign keys at them, as they exist in the application's database; "" if none.
std::string external_fixture(const schema::Schema& s);
std::vector<apply::HistoryRow> history(const FreshDatabase& db);
bool has_table(const FreshDatabase& db, const std::string& table);
// The first column of the first row of `sql`, run on `db` (nullopt for NULL or no row).
std::optional<std::string> scalar(const FreshDatabase& db, const std::string& sql);

// `schemactl migrate ...` started in the background: the test signals or kills it while it runs.
class Background {
 public:
  Background(const std::string& command, const FreshDatabase& db, const fs::path& migrations,
             const std::string& extra = "");
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  void signal(int sig) const;
  // Waits for the process to end; its exit status (128 + signal when a signal ended it) and output.
  Run wait();

 private:
  pid_t pid_ = -1;
  fs::path out_;
  bool done_ = false;
};

// Runs `f` for each dialect's test server.
void each_dialect(const std::function<void(const db::DatabaseUrl&, DialectId)>& f);

// Polls `sql` on `db` every 50 ms until it returns a row, for at most `seconds`; true if it did.
bool wait_for_row(const FreshDatabase& db, const std::string& sql, int seconds = 30);

}  // namespace schemactl::test
