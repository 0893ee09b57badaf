// A live database connection: just what schemactl needs (run SQL, read rows), behind one interface
// with a libpqxx (Postgres) and a MySQL Connector/C++ (TiDB, MySQL, MariaDB) implementation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/url.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::db {

using Row = std::vector<std::optional<std::string>>;

// A database refused a statement or the connection failed; the text is already redacted.
class DbError : public Error {
 public:
  DbError(const std::string& message, std::string statement = {}, std::string sqlstate = {})
      : Error(message), statement_(std::move(statement)), sqlstate_(std::move(sqlstate)) {}
  const std::string& statement() const { return statement_; }
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string statement_;
  std::string sqlstate_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual DialectId dialect() const = 0;
  // Runs one statement (Postgres also accepts several separated by ';').
  virtual void execute(const std::string& sql) = 0;
  // Runs a query with positional parameters ($1 / ?) and returns every row as text (NULL = nullopt).
  virtual std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params = {}) = 0;
  const DatabaseUrl& url() const { return url_; }

 protected:
  explicit Connection(DatabaseUrl url) : url_(std::move(url)) {}
  DatabaseUrl url_;
};

// Opens a connection; a refused connection, a wrong password or an unknown database throws DbError
// with one clear, redacted line.
std::unique_ptr<Connection> connect(const DatabaseUrl& url);

}  // namespace schemactl::db
