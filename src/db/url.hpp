// Database URLs: postgres:// postgresql:// mysql:// tidb://. The password is kept out of every
// rendering (`redacted()`), so it can never reach a message, a plan or JSON output.
//
//   scheme://user:password@host:port/database?option=value&...
//
// The password may hold unencoded '@', '/', '?', '#' and ':' (the user info ends at the last '@'
// that is followed by a host), or be percent-encoded, or come as ?password=. The host may be a
// bracketed IPv6 address ([::1]:5432). Options: connect_timeout (seconds), sslmode, sslrootcert,
// password, and (Postgres only) options; anything else is rejected.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "schema/dialect_id.hpp"

namespace schemactl::db {

struct DatabaseUrl {
  std::string scheme;
  DialectId dialect = DialectId::postgres;
  std::string user;
  std::string password;      // decoded
  std::string password_raw;  // as written in the URL (percent-encoded form); masked too
  std::string host = "127.0.0.1";
  int port = 0;
  std::string database;
  std::map<std::string, std::string> params;  // validated options: sslmode, connect_timeout ...

  std::string redacted() const;  // "postgres://user:***@host:port/db?..."
  // The sslmode option, or "prefer" (the default on both dialects, as in libpq).
  std::string sslmode() const;
};

// Throws Error (naming the URL with its password redacted) when the URL is malformed or has an
// unknown or invalid option.
DatabaseUrl parse_database_url(const std::string& url);

// Replaces every occurrence of the password (decoded and as written) in `text` with "***".
std::string redact(std::string text, const DatabaseUrl& url);

// "cannot connect to <redacted URL>: <server message, redacted>": the one message for a failed
// connection, on every dialect.
std::string connection_error(const DatabaseUrl& url, const std::string& server_message);

// For text that may quote a URL that did not parse (a command-line error): every password a
// lenient reading of `raw` (a URL, or "--url=URL") could hold, most specific first. Never throws.
std::vector<std::string> url_secrets(const std::string& raw);

// Masks anything URL-like in `text`: the user info of "scheme:[//]user:pass@" and the values of
// password= options, plus every string of `secrets`.
std::string redact_urls(std::string text, const std::vector<std::string>& secrets = {});

}  // namespace schemactl::db
