// Access to the real servers the test run started (tests/servers.sh): a fresh database per test,
// and the dialects' own command-line clients to apply SQL files exactly as a user would.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "db/connection.hpp"
#include "db/url.hpp"

namespace schemactl::test {

// The base URL for a dialect from SCHEMACTL_TEST_PG_URL / SCHEMACTL_TEST_MYSQL_URL. When it is
// missing: fails the test if SCHEMACTL_REQUIRE_SERVERS=1 (CI), else skips it loudly.
std::optional<db::DatabaseUrl> server_url(DialectId dialect);

// A database created for one test and dropped when the object goes away.
class FreshDatabase {
 public:
  FreshDatabase(const db::DatabaseUrl& server, const std::string& label);
  ~FreshDatabase();
  FreshDatabase(const FreshDatabase&) = delete;
  FreshDatabase& operator=(const FreshDatabase&) = delete;

  const db::DatabaseUrl& url() const { return url_; }
  std::unique_ptr<db::Connection> connect() const { return db::connect(url_); }
  // Runs a SQL file with psql -v ON_ERROR_STOP=1 -f, or with the mariadb client; returns the exit
  // status and puts the client's combined output in `output`.
  int apply_file(const std::string& path, std::string& output) const;
  // Same, for SQL text (written to a temporary file first).
  int apply_sql(const std::string& sql, std::string& output) const;

 private:
  db::DatabaseUrl server_;
  db::DatabaseUrl url_;
};

// Runs a shell command, capturing stdout and stderr; returns the exit status.
int run_command(const std::string& command, std::string& output);

}  // namespace schemactl::test
