// Database URLs: parsing, options, and the password kept out of every message and rendering.
#include "db/url.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "util/diagnostic.hpp"

namespace schemactl::db {
namespace {

// The message of the Error parse_database_url throws ("" when it parses).
std::string parse_error(const std::string& raw) {
  try {
    parse_database_url(raw);
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    return e.what();
  }
  return "";
}

TEST_CASE("url: the parts of a plain URL") {
  auto u = parse_database_url("postgres://alice:pw@db.example:6543/app?sslmode=require&connect_timeout=5");
  CHECK(u.dialect == DialectId::postgres);
  CHECK(u.user == "alice");
  CHECK(u.password == "pw");
  CHECK(u.host == "db.example");
  CHECK(u.port == 6543);
  CHECK(u.database == "app");
  CHECK(u.params.at("sslmode") == "require");
  CHECK(u.params.at("connect_timeout") == "5");
  CHECK(u.sslmode() == "require");
  CHECK(u.redacted() == "postgres://alice:***@db.example:6543/app?connect_timeout=5&sslmode=require");
  CHECK(parse_database_url("tidb://root@h/db").port == 4000);
  CHECK(parse_database_url("mysql://root@h/db").port == 3306);
  CHECK(parse_database_url("mysql://root@h/db").sslmode() == "prefer");
}

TEST_CASE("url: a password holding unencoded @ / ? # : is the password, not the host or the query") {
  for (std::string pw : {"p@ss", "p/ss", "p?ss", "p#ss", "p:ss", "a@b/c?d#e", "x@h/db"}) {
    CAPTURE(pw);
    auto u = parse_database_url("postgres://bob:" + pw + "@127.0.0.1:5433/app?sslmode=disable");
    CHECK(u.user == "bob");
    CHECK(u.password == pw);
    CHECK(u.host == "127.0.0.1");
    CHECK(u.port == 5433);
    CHECK(u.database == "app");
    CHECK(u.params.at("sslmode") == "disable");
    CHECK(u.redacted().find(pw) == std::string::npos);
  }
  // An '@' in an option value does not end the user info.
  auto u = parse_database_url("postgres://bob:pw@h/app?sslrootcert=/certs/a@b.pem");
  CHECK(u.password == "pw");
  CHECK(u.params.at("sslrootcert") == "/certs/a@b.pem");
  // Percent-encoded.
  u = parse_database_url("postgres://bob:p%40s%2Fs@h/app");
  CHECK(u.password == "p@s/s");
  CHECK(redact("x p%40s%2Fs y p@s/s z", u) == "x *** y *** z");
}

TEST_CASE("url: bracketed IPv6 hosts keep their port") {
  auto u = parse_database_url("postgres://u:pw@[::1]:5432/db");
  CHECK(u.host == "::1");
  CHECK(u.port == 5432);
  CHECK(u.redacted() == "postgres://u:***@[::1]:5432/db");
  u = parse_database_url("mysql://u@[fe80::1]/db");
  CHECK(u.host == "fe80::1");
  CHECK(u.port == 3306);
  CHECK(parse_error("postgres://u@[::1/db").find("no closing ']'") != std::string::npos);
  CHECK(parse_error("postgres://u@::1:5432/db").find("needs brackets") != std::string::npos);
  CHECK(parse_error("postgres://u@[::1]x/db").find("':port'") != std::string::npos);
}

TEST_CASE("url: ?password= is the password, and is never shown") {
  auto u = parse_database_url("postgres://u@h/db?password=qs-secret&sslmode=disable");
  CHECK(u.password == "qs-secret");
  CHECK(u.params.count("password") == 0);
  CHECK(u.redacted() == "postgres://u:***@h:5432/db?sslmode=disable");
  CHECK(redact("FATAL: bad qs-secret", u) == "FATAL: bad ***");
  std::string twice = parse_error("postgres://u:first-pw@h/db?password=second-pw");
  CHECK(twice.find("given twice") != std::string::npos);
  CHECK(twice.find("first-pw") == std::string::npos);
  CHECK(twice.find("second-pw") == std::string::npos);
}

TEST_CASE("url: unknown options are rejected with a did-you-mean - values are checked") {
  CHECK(parse_error("postgres://u:pw@h/db?sslmod=disable").find("unknown option 'sslmod' (did you mean 'sslmode'?)") !=
        std::string::npos);
  CHECK(parse_error("postgres://u:pw@h/db?connect_timeout=abc").find("connect_timeout 'abc' is not a positive") !=
        std::string::npos);
  CHECK(parse_error("postgres://u:pw@h/db?connect_timeout=0").find("connect_timeout '0'") != std::string::npos);
  CHECK(parse_error("postgres://u:pw@h/db?sslmode=requir").find("unknown sslmode 'requir' (did you mean 'require'?)") !=
        std::string::npos);
  CHECK(parse_error("mysql://u:pw@h/db?sslmode=allow").find("unknown sslmode 'allow'") != std::string::npos);
  CHECK(parse_error("mysql://u:pw@h/db?options=-csearch_path=x").find("unknown option 'options'") != std::string::npos);
  CHECK(parse_error("postgres://u:pw@h/db?sslmode=disable&sslmode=require").find("given twice") != std::string::npos);
  CHECK(parse_error("postgres://u:pw@h/db?sslrootcert=").find("sslrootcert needs a file") != std::string::npos);
  CHECK(parse_error("postgres://u:pw@h/db?options=-csearch_path%3Dx") == "");
  CHECK(parse_error("postgres://u:pw@h:0/db").find("port '0'") != std::string::npos);
  CHECK(parse_error("postgres://u:pw@h:99999/db").find("port '99999'") != std::string::npos);
  CHECK(parse_error("postgres://u:pw@h/").find("no database name") != std::string::npos);
}

TEST_CASE("url: malformed URLs never show the password") {
  const std::string pw = "Sup3r-S3cret";
  std::vector<std::string> urls{
      "postgres:u:" + pw + "@h/db",
      "postgres:/u:" + pw + "@h/db",
      "postgres:/u:" + pw + "@h/db?sslrootcert=file:///x",
      "postgres:u:" + pw + "@h/db?x=a://b",
      "postgresx://u:" + pw + "@h/db",
      "u:" + pw + "@h/db",
      "postgres://u:" + pw + "@h",
      "postgres://u:" + pw + "@h:12ab/db",
      "postgres://u:" + pw + "@h/db?sslmod=disable",
      "postgres://u:" + pw + "@h/db?sslmode=" + pw,
      "postgres://u@h/db?password=" + pw + "&sslmod=x",
      "postgres://u@h?password=" + pw,
      "postgres://u:" + pw + "/x?y@h:zz/db",
      "postgres://" + pw + ":" + pw + "@h:zz/db",
      "postgres://u:" + pw + "@" + pw + ":zz/db",
      std::string("postgres://u:") + pw + std::string("@h/d\0b", 6),
      // Found by fuzz/url_fuzz: an '@' inside a ?password= value is not the end of a user info.
      "postgresx://127.0.0.1?password=mysql://u:pw@h/db?x" + pw,
      "postgres://127.0.0.1?password=a@h/db?" + pw,
      "mysql://:tidb://u:a@b/c?d#" + pw + "@127.0@127.0.0.1",
      "postgresx//ie:" + pw + "res://u?password=se@h",
  };
  for (const auto& raw : urls) {
    CAPTURE(raw);
    std::string message = parse_error(raw);
    CHECK(!message.empty());
    CHECK(message.find(pw) == std::string::npos);
  }
  // The message still says what is wrong and shows the rest of the URL.
  CHECK(parse_error("postgres:/u:" + pw + "@h/db").find("'postgres:/***@h/db': expected scheme://") !=
        std::string::npos);
  CHECK(parse_error("postgresx://u:" + pw + "@h/db").find("unknown scheme 'postgresx'") != std::string::npos);
}

TEST_CASE("url: found by fuzz/url_fuzz: a URL without its database whose password holds '@host/'") {
  // The password ends at the last '@' when only a host follows it: nothing of it reaches the rendering.
  auto u = parse_database_url("postgres://u:x@Fz-h/y@127.0.0.1/db");
  CHECK(u.password == "x@Fz-h/y");
  std::string message = parse_error("POSTGRES:///:mysql://postgr[as://u@Fz-h/@127.0.0.1");
  CHECK(message.find("no database name") != std::string::npos);
  CHECK(message.find("Fz-h") == std::string::npos);
}

TEST_CASE("url: found by fuzz/url_fuzz: overlapping secrets are all masked") {
  std::string raw = "postgresx://127.0.0.1?password=mysql://u:pw@h/db?sslm-Qz";
  std::string out = redact_urls("not expected: " + raw, url_secrets(raw));
  CHECK(out.find("Qz") == std::string::npos);
  CHECK(out.find("pw") == std::string::npos);
}

TEST_CASE("url: redact() terminates and masks passwords that are part of the mask") {
  for (std::string pw : {"*", "**", "***", "a***b", "*x*"}) {
    CAPTURE(pw);
    DatabaseUrl u;
    u.password = pw;
    std::string out = redact("before " + pw + " after " + pw, u);
    CHECK(out == "before *** after ***");
  }
  DatabaseUrl u = parse_database_url("postgres://u:*@h/db");
  CHECK(u.redacted() == "postgres://u:***@h:5432/db");
}

TEST_CASE("url: the password is masked wherever it shows up in a rendering") {
  // The user name, the host or an option equal to the password.
  auto u = parse_database_url("postgres://same-secret:same-secret@h/db");
  CHECK(u.redacted().find("same-secret") == std::string::npos);
  u = parse_database_url("postgres://u:dbname-pw@h/dbname-pw?sslrootcert=/x/dbname-pw");
  CHECK(u.redacted().find("dbname-pw") == std::string::npos);
}

TEST_CASE("url: redact_urls masks URL-like text, as in CLI11's parse errors") {
  std::string pw = "cli-s3cret";
  CHECK(redact_urls("The following arguments were not expected: postgres://u:" + pw + "@h/db --ulr") ==
        "The following arguments were not expected: postgres://***@h/db --ulr");
  CHECK(redact_urls("x mysql:u:" + pw + "@h/db y") == "x mysql:***@h/db y");
  CHECK(redact_urls("x postgres://u@h/db?sslmode=disable&password=" + pw + " y") ==
        "x postgres://u@h/db?sslmode=disable&password=*** y");
  // With the secrets of the argument itself, any spelling is masked.
  std::string arg = "--url=postgres://u:p w@" + pw + "@h/db";
  std::string text = "The value " + arg.substr(6) + " is odd; so is 'p w@" + pw + "'";
  std::string out = redact_urls(text, url_secrets(arg));
  CHECK(out.find(pw) == std::string::npos);
  CHECK(out.find("p w") == std::string::npos);
  CHECK(redact_urls("no url here: a@b, x:y") == "no url here: a@b, x:y");
  // The user name stays visible.
  CHECK(redact_urls("cannot connect to postgres://schemactl:***@h:5432/db: refused",
                    url_secrets("postgres://schemactl:pw-9@h/db")) ==
        "cannot connect to postgres://schemactl:***@h:5432/db: refused");
  CHECK(redact_urls("x u:pw-9@h/db", url_secrets("u:pw-9@h/db")) == "x u:***@h/db");
  // Found by fuzz/url_fuzz: no scheme, and a password with a quote in it.
  std::string raw = "://97:pw\"Qz/x@[fe80::1:0/db";
  CHECK(redact_urls("not expected: " + raw, url_secrets(raw)).find("Qz") == std::string::npos);
}

}  // namespace
}  // namespace schemactl::db
