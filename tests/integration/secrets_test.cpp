// The password never appears in anything the `schemactl` binary prints, in any --format, for any
// URL, valid or not: parse errors (CLI11's included), connection errors, reports.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "servers.hpp"

namespace schemactl::test {
namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int status;
  std::string output;
};

// `timeout` so that a hang (redact() looping on a password of "*") fails the test instead.
Run schemactl(const std::string& args, const std::string& env = "", int timeout = 60) {
  Run r;
  r.status = run_command(env + " timeout " + std::to_string(timeout) + " " + std::string(SCHEMACTL_BINARY) + " " + args,
                         r.output);
  return r;
}

void check_hidden(const Run& r, const std::string& password) {
  CAPTURE(r.output);
  CHECK(r.status != 0);
  CHECK(r.status != 124);  // timed out
  CHECK(r.output.find(password) == std::string::npos);
}

const std::vector<std::string> kFormats{"text", "json", "markdown"};

TEST_CASE("secrets: parse errors and connection errors never print the password") {
  const std::string pw = "Zq9-hunter2";
  // 127.0.0.1:1 refuses connections: every valid URL ends in a connection error.
  std::vector<std::string> urls{
      "postgres://u:" + pw + "@127.0.0.1:1/db",
      "mysql://u:" + pw + "@127.0.0.1:1/db",
      "postgres://u:" + pw + "?x@127.0.0.1:1/db",
      "postgres://u:" + pw + "/x@127.0.0.1:1/db",
      "postgres://u:" + pw + "@x@127.0.0.1:1/db",
      "postgres://u:" + pw + "#x@127.0.0.1:1/db",
      "mysql://u:" + pw + "?/@#x@127.0.0.1:1/db",
      "postgres://u@127.0.0.1:1/db?password=" + pw,
      "mysql://u@127.0.0.1:1/db?password=" + pw + "&connect_timeout=2",
      "postgres:u:" + pw + "@127.0.0.1:1/db",
      "postgres:/u:" + pw + "@127.0.0.1:1/db",
      "postgres:/u:" + pw + "@h/db?sslrootcert=file:///x",
      "postgresx://u:" + pw + "@h/db",
      "postgres://u:" + pw + "@h/db?sslmod=disable",
      "postgres://u:" + pw + "@h/db?connect_timeout=abc",
      "postgres://u:" + pw + "@h:port/db",
      "postgres://u:" + pw + "@[::1]:1/db",
  };
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const std::string& url = urls[i];
    CAPTURE(url);
    const std::string& format = kFormats[i % kFormats.size()];
    check_hidden(schemactl("migrate status --format " + format + " --url " + quote(url)), pw);
    // CLI11: a misspelled option, a URL without --url.
    check_hidden(schemactl("migrate status --ulr " + quote(url)), pw);
    check_hidden(schemactl("migrate status " + quote(url)), pw);
    if (i % 3 == 0) {
      check_hidden(schemactl("migrate plan --format " + format + " --url=" + quote(url)), pw);
      check_hidden(schemactl("migrate status --format " + format, "DATABASE_URL=" + quote(url)), pw);
      // A URL given to another option, or with a mismatching --dialect.
      check_hidden(schemactl("migrate up --lock-timeout " + quote(url)), pw);
      check_hidden(schemactl("migrate status --dialect " + quote(url)), pw);
      check_hidden(schemactl("migrate status --dialect tidb --url " + quote(url)), pw);
    }
  }
}

TEST_CASE("secrets: a password of '*' (part of the mask) does not hang the connection error") {
  // The server's refusal names the user "*": redact() used to loop there forever.
  for (DialectId d : kAllDialects) {
    auto server = server_url(d);
    if (!server) return;
    for (std::string pw : {"*", "**", "a***b"}) {
      std::string url =
          server->scheme + "://*:" + pw + "@127.0.0.1:" + std::to_string(server->port) + "/" + server->database;
      CAPTURE(url);
      Run r = schemactl("migrate status --url " + quote(url), "", 20);
      CAPTURE(r.output);
      CHECK(r.status == 1);
      CHECK(r.output.find("cannot connect to") != std::string::npos);
    }
  }
}

TEST_CASE("secrets: real servers, a wrong password and a right one, in every format") {
  for (DialectId d : kAllDialects) {
    auto server = server_url(d);
    if (!server) return;
    FreshDatabase db(*server, "secrets");
    const auto& u = db.url();
    std::string base = u.scheme + "://" + u.user + ":";
    std::string rest = "@127.0.0.1:" + std::to_string(u.port) + "/" + u.database;
    for (const auto& format : kFormats) {
      CAPTURE(format);
      check_hidden(schemactl("migrate status --format " + format + " --url " + quote(base + "Wr0ng-pw-77" + rest)),
                   "Wr0ng-pw-77");
      Run ok = schemactl("migrate status --migrations " + std::string(SCHEMACTL_SOURCE_DIR) + "/migrations --format " +
                         format + " --url " + quote(base + u.password + rest));
      CAPTURE(ok.output);
      CHECK(ok.output.find(u.password) == std::string::npos);
      CHECK(ok.output.find(":***@") != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace schemactl::test
