// sslmode on real servers: tests/servers.sh starts a MariaDB without TLS and one with a
// certificate made by openssl (signed by SCHEMACTL_TEST_TLS_CA); PostgreSQL runs without TLS.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "servers.hpp"

namespace schemactl::test {
namespace {

// An environment variable tests/servers.sh exports; fails the test when it is missing and the
// servers are required, else skips it loudly (as server_url does).
std::optional<std::string> server_env(const char* var) {
  const char* value = std::getenv(var);
  if (value && *value) return std::string(value);
  const char* require = std::getenv("SCHEMACTL_REQUIRE_SERVERS");
  if (require && std::string(require) == "1") FAIL(var << " is not set, and SCHEMACTL_REQUIRE_SERVERS=1");
  MESSAGE("SKIPPING: " << var << " is not set (run `bash tests/run-all.sh`, which starts the servers)");
  return std::nullopt;
}

// The cipher of the connection's TLS session, "" when it is plain text.
std::string cipher(db::Connection& conn) {
  auto rows = conn.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  REQUIRE(rows.size() == 1);
  return rows[0][1].value_or("");
}

// The connection error for `url`, "" when it connects.
std::string connect_error(const std::string& url) {
  try {
    db::connect(db::parse_database_url(url));
  } catch (const db::DbError& e) {
    return e.what();
  }
  return "";
}

TEST_CASE("tls: MySQL sslmode against a server with a certificate") {
  auto tls = server_env("SCHEMACTL_TEST_MYSQL_TLS_URL");
  auto ca = server_env("SCHEMACTL_TEST_TLS_CA");
  auto other = server_env("SCHEMACTL_TEST_TLS_OTHER_CA");
  if (!tls || !ca || !other) return;
  for (const std::string& query : std::vector<std::string>{
           "?sslmode=require", "?sslmode=require&sslrootcert=" + *ca, "?sslmode=verify-ca&sslrootcert=" + *ca,
           "?sslmode=verify-full&sslrootcert=" + *ca, "?sslmode=prefer", ""}) {
    CAPTURE(query);
    auto conn = db::connect(db::parse_database_url(*tls + query));
    CHECK(cipher(*conn) != "");  // really encrypted
  }
  auto plain = db::connect(db::parse_database_url(*tls + "?sslmode=disable"));
  CHECK(cipher(*plain) == "");
  // The certificate names 127.0.0.1, not localhost: verify-ca accepts it there, verify-full does not.
  std::string by_name = *tls;
  by_name.replace(by_name.find("@127.0.0.1:"), 11, "@localhost:");
  auto ca_only = db::connect(db::parse_database_url(by_name + "?sslmode=verify-ca&sslrootcert=" + *ca));
  CHECK(cipher(*ca_only) != "");
  std::string mismatch = connect_error(by_name + "?sslmode=verify-full&sslrootcert=" + *ca);
  CHECK(mismatch.find("cannot connect to mysql://schemactl:***@localhost:") != std::string::npos);
  CHECK(mismatch.find("TLS/SSL error") != std::string::npos);
  // A certificate the given CA did not sign, or no CA at all (the server's is self-made).
  for (const std::string& query : std::vector<std::string>{
           "?sslmode=verify-ca&sslrootcert=" + *other, "?sslmode=verify-full&sslrootcert=" + *other,
           "?sslmode=require&sslrootcert=" + *other, "?sslmode=verify-ca"}) {
    CAPTURE(query);
    std::string error = connect_error(*tls + query);
    CHECK(error.find("cannot connect to mysql://schemactl:***@127.0.0.1:") != std::string::npos);
    CHECK(error.find("certificate") != std::string::npos);
    CHECK(error.find("s3cret-pw") == std::string::npos);
  }
}

TEST_CASE("tls: MySQL sslmode=require fails against a server without TLS") {
  auto server = server_url(DialectId::tidb);
  auto ca = server_env("SCHEMACTL_TEST_TLS_CA");
  if (!server || !ca) return;
  std::string base =
      "mysql://schemactl:" + server->password + "@127.0.0.1:" + std::to_string(server->port) + "/" + server->database;
  for (const std::string& query : std::vector<std::string>{"?sslmode=require", "?sslmode=verify-ca&sslrootcert=" + *ca,
                                                           "?sslmode=verify-full&sslrootcert=" + *ca}) {
    CAPTURE(query);
    std::string error = connect_error(base + query);
    CHECK(error.find("cannot connect to mysql://schemactl:***@") != std::string::npos);
    CHECK((error.find("does not support") != std::string::npos || error.find("SSL is required") != std::string::npos));
  }
  // prefer (the default) falls back to plain text; disable never tries.
  for (const std::string& query : std::vector<std::string>{"?sslmode=prefer", "", "?sslmode=disable"}) {
    CAPTURE(query);
    auto conn = db::connect(db::parse_database_url(base + query));
    CHECK(cipher(*conn) == "");
  }
}

TEST_CASE("tls: Postgres hands sslmode and sslrootcert to libpq") {
  auto server = server_url(DialectId::postgres);
  auto ca = server_env("SCHEMACTL_TEST_TLS_CA");
  if (!server || !ca) return;
  std::string base = "postgres://schemactl:" + server->password + "@127.0.0.1:" + std::to_string(server->port) + "/" +
                     server->database;
  for (const std::string& query :
       std::vector<std::string>{"?sslmode=require", "?sslmode=verify-full&sslrootcert=" + *ca}) {
    CAPTURE(query);
    std::string error = connect_error(base + query);
    CHECK(error.find("server does not support SSL, but SSL was required") != std::string::npos);
  }
  CHECK(connect_error(base + "?sslmode=disable") == "");
  CHECK(connect_error(base + "?sslmode=prefer") == "");
}

}  // namespace
}  // namespace schemactl::test
