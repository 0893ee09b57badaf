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
  DbError(const std::string& message, std::string statement = {}, std::string sqlstate = {}, int code = 0,
          bool connection_lost = false)
      : Error(message, ExitCode::error, ErrorContext{{}, 0, 0, statement, {}}),
        statement_(std::move(statement)),
        sqlstate_(std::move(sqlstate)),
        code_(code),
        connection_lost_(connection_lost) {}
  const std::string& statement() const { return statement_; }
  const std::string& sqlstate() const { return sqlstate_; }
  int code() const { return code_; }  // the server's error number (MySQL protocol), else 0
  bool connection_lost() const { return connection_lost_; }
  std::string kind() const override { return "database"; }

 private:
  std::string statement_;
  std::string sqlstate_;
  int code_;
  bool connection_lost_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual DialectId dialect() const = 0;
  // Runs one statement (Postgres also accepts several separated by ';').
  virtual void execute(const std::string& sql) = 0;
  // Runs one data-changing statement; how many rows it changed (inserted, updated, deleted).
  virtual long long execute_count(const std::string& sql) = 0;
  // Runs a query with positional parameters ($1 / ?) and returns every row as text (NULL = nullopt).
  virtual std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params = {}) = 0;
  // The migration lock (Postgres advisory lock, MySQL/TiDB GET_LOCK), held by this session until
  // unlock() or disconnect. Waits up to `timeout_seconds` (at least 1); false when still held.
  virtual bool try_lock(int timeout_seconds) = 0;
  virtual void unlock() = 0;
  // Who holds the migration lock now (session id, client address, since when, what it runs), for
  // the message of a run that gave up waiting, with the statement that ends that session.
  virtual std::optional<std::string> lock_holder() = 0;
  // Cancels the statement this session is running, from another thread (a signal's watcher).
  // Postgres cancels it server-side; the MySQL family lets it finish (DDL there cannot be undone
  // half-way), so this does nothing.
  virtual void cancel() = 0;
  // How long one DDL statement may wait for a table lock held by someone else before it fails
  // (MySQL family: lock_wait_timeout and innodb_lock_wait_timeout; Postgres: lock_timeout, which a
  // migration file's own SET overrides).
  virtual void set_lock_wait_timeout(int seconds) = 0;
  // Back to the session as it was right after connecting: the database, search_path, sql_mode and
  // whatever else a migration file SET (the migration lock stays held).
  virtual void reset_session() = 0;
  // Whether DDL takes part in transactions (Postgres) or commits on its own (TiDB, MySQL).
  virtual bool transactional_ddl() const = 0;
  const DatabaseUrl& url() const { return url_; }

 protected:
  explicit Connection(DatabaseUrl url) : url_(std::move(url)) {}
  DatabaseUrl url_;
};

// Opens a connection; a refused connection, a wrong password or an unknown database throws DbError
// with one clear, redacted line.
std::unique_ptr<Connection> connect(const DatabaseUrl& url);

}  // namespace schemactl::db
