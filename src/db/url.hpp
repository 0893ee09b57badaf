// Database URLs: postgres:// postgresql:// mysql:// tidb://. The password is kept out of every
// rendering (`redacted()`), so it can never reach a message, a plan or JSON output.
#pragma once

#include <map>
#include <string>

#include "schema/dialect_id.hpp"

namespace schemactl::db {

struct DatabaseUrl {
  std::string scheme;
  DialectId dialect = DialectId::postgres;
  std::string user;
  std::string password;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string database;
  std::map<std::string, std::string> params;  // query options: sslmode, connect_timeout ...

  std::string redacted() const;  // "postgres://user:***@host:port/db?..."
};

// Throws Error (naming the URL with its password redacted) when the URL is malformed.
DatabaseUrl parse_database_url(const std::string& url);

// Replaces every occurrence of the password in `text` with "***".
std::string redact(std::string text, const DatabaseUrl& url);

}  // namespace schemactl::db
