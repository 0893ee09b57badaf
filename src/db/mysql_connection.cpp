// MySQL Connector/C++ 1.1 implementation of Connection (TiDB, MySQL and MariaDB).
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

#include <algorithm>

#include "db/connection.hpp"
#include "util/text.hpp"

namespace schemactl::db {
namespace {

class MysqlConnection final : public Connection {
 public:
  explicit MysqlConnection(const DatabaseUrl& url) : Connection(url) {
    sql::ConnectOptionsMap options;
    std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    options["hostName"] = sql::SQLString("tcp://" + host + ":" + std::to_string(url.port));
    options["userName"] = sql::SQLString(url.user);
    options["password"] = sql::SQLString(url.password);
    options["schema"] = sql::SQLString(url.database);
    int timeout = 10;
    if (auto it = url.params.find("connect_timeout"); it != url.params.end()) timeout = std::stoi(it->second);
    options["OPT_CONNECT_TIMEOUT"] = timeout;
    options["CLIENT_MULTI_STATEMENTS"] = false;
    // TLS, as libpq does it. Connector/C++ 1.1 on libmariadb ignores OPT_SSL_MODE (checked against
    // MariaDB 10.11): sslEnforce asks for TLS but falls back to plain text when the server has
    // none (hence the check below); sslCA makes it check the certificate's chain; sslVerify makes
    // it check the chain (against sslCA, else the system's CAs) and the host name.
    std::string mode = url.sslmode();
    auto ca = url.params.find("sslrootcert");
    bool has_ca = ca != url.params.end();
    bool must_encrypt = mode == "require" || mode == "verify-ca" || mode == "verify-full";
    if (mode != "disable") options["sslEnforce"] = true;
    if (mode == "verify-full" || (mode == "verify-ca" && !has_ca)) options["sslVerify"] = true;
    if (must_encrypt && has_ca) options["sslCA"] = sql::SQLString(ca->second);
    try {
      conn_.reset(sql::mysql::get_mysql_driver_instance()->connect(options));
    } catch (const sql::SQLException& e) {
      throw DbError(connection_error(url, e.what()), "", e.getSQLState());
    }
    // sslmode=require against a server without TLS: libmariadb connected in plain text.
    if (must_encrypt) {
      auto rows = query("SHOW SESSION STATUS LIKE 'Ssl_cipher'", {});
      if (rows.empty() || rows[0].size() < 2 || !rows[0][1] || rows[0][1]->empty()) {
        conn_.reset();
        throw DbError(connection_error(url, "sslmode=" + mode +
                                                " but the server does not support TLS (the connection was not "
                                                "encrypted; it is closed)"));
      }
    }
    pin_session();
  }

  // What one migration's USE and SET statements changed is undone before the next one runs.
  void reset_session() override {
    execute("USE `" + replace_backquotes(url_.database) + "`");
    execute(
        "SET SESSION sql_mode = @@GLOBAL.sql_mode, time_zone = @@GLOBAL.time_zone, foreign_key_checks = "
        "@@GLOBAL.foreign_key_checks, unique_checks = @@GLOBAL.unique_checks, autocommit = 1");
    pin_session();
  }

  DialectId dialect() const override { return DialectId::tidb; }
  bool transactional_ddl() const override { return false; }

  // GET_LOCK waits by itself; TiDB's smallest timeout is 1 s, so never ask for less. Its names are
  // server-wide: the database's name is part of the lock's, so migrating one database never waits
  // for another.
  bool try_lock(int timeout_seconds) override {
    auto rows = query("SELECT GET_LOCK(?, " + std::to_string(std::max(1, timeout_seconds)) + ")", {lock_name()});
    return !rows.empty() && rows[0][0] == std::optional<std::string>("1");
  }
  void unlock() override { query("SELECT RELEASE_LOCK(?)", {lock_name()}); }

  std::optional<std::string> lock_holder() override {
    auto id = query("SELECT IS_USED_LOCK(?)", {lock_name()});
    if (id.empty() || !id[0][0]) return std::nullopt;
    std::string who = "connection " + *id[0][0];
    auto p = query(
        "SELECT USER, HOST, COMMAND, TIME, LEFT(COALESCE(INFO, ''), 200) FROM information_schema.PROCESSLIST "
        "WHERE ID = ?",
        {*id[0][0]});
    if (!p.empty())
      who += " (" + p[0][0].value_or("") + "@" + p[0][1].value_or("") + ", " + p[0][2].value_or("") + " for " +
             p[0][3].value_or("?") + " s" + (p[0][4].value_or("").empty() ? "" : ", running: " + *p[0][4]) + ")";
    return who + "; if that run is gone or hung, end it with `KILL " + *id[0][0] + "`";
  }

  void cancel() override {}

  void set_lock_wait_timeout(int seconds) override {
    std::string n = std::to_string(std::max(1, seconds));
    execute("SET SESSION lock_wait_timeout = " + n);
    execute("SET SESSION innodb_lock_wait_timeout = " + n);
  }

  void execute(const std::string& sql) override {
    run(sql, [&] {
      std::unique_ptr<sql::Statement> st(conn_->createStatement());
      // A statement that returns rows (a migration's SELECT) must have them read, or the
      // protocol is out of step for the next statement.
      if (st->execute(sql)) std::unique_ptr<sql::ResultSet>(st->getResultSet());
      while (st->getMoreResults()) std::unique_ptr<sql::ResultSet>(st->getResultSet());
      return std::vector<Row>{};
    });
  }

  long long execute_count(const std::string& sql) override {
    long long n = 0;
    run(sql, [&] {
      std::unique_ptr<sql::Statement> st(conn_->createStatement());
      if (st->execute(sql)) std::unique_ptr<sql::ResultSet>(st->getResultSet());
      n = static_cast<long long>(st->getUpdateCount());
      while (st->getMoreResults()) std::unique_ptr<sql::ResultSet>(st->getResultSet());
      return std::vector<Row>{};
    });
    return n;
  }

  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params) override {
    return run(sql, [&] {
      // execute() rather than executeQuery(): the history table's INSERT and UPDATE come through
      // here too, and they return no result set.
      std::unique_ptr<sql::ResultSet> rs;
      std::unique_ptr<sql::Statement> st;
      std::unique_ptr<sql::PreparedStatement> ps;
      bool has_rows;
      if (params.empty()) {
        st.reset(conn_->createStatement());
        has_rows = st->execute(sql);
        if (has_rows) rs.reset(st->getResultSet());
      } else {
        ps.reset(conn_->prepareStatement(sql));
        for (std::size_t i = 0; i < params.size(); ++i) ps->setString(static_cast<unsigned>(i + 1), params[i]);
        has_rows = ps->execute();
        if (has_rows) rs.reset(ps->getResultSet());
      }
      if (!rs) return std::vector<Row>{};
      std::vector<Row> rows;
      unsigned columns = rs->getMetaData()->getColumnCount();
      while (rs->next()) {
        Row row;
        for (unsigned i = 1; i <= columns; ++i)
          row.push_back(rs->isNull(i) ? std::nullopt : std::optional<std::string>(std::string(rs->getString(i))));
        rows.push_back(std::move(row));
      }
      return rows;
    });
  }

 private:
  template <typename F>
  std::vector<Row> run(const std::string& sql, F&& f) {
    try {
      return f();
    } catch (const sql::SQLException& e) {
      std::string message = redact(e.what(), url_);
      bool lost = e.getErrorCode() == 2006 || e.getErrorCode() == 2013;
      if (lost) message = "connection to " + url_.redacted() + " lost: " + message;
      throw DbError(message, sql, e.getSQLState(), e.getErrorCode(), lost);
    }
  }

  // Generated SQL escapes backslashes in string literals: pin the session so a server default of
  // NO_BACKSLASH_ESCAPES cannot change what a literal means.
  void pin_session() { execute("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')"); }

  static std::string replace_backquotes(const std::string& name) {
    std::string out;
    for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
    return out;
  }

  // At most 64 characters (MySQL 5.7+); a long database name is hashed.
  std::string lock_name() const {
    std::string name = "schemactl_migrations." + url_.database;
    return name.size() <= 64 ? name : "schemactl_migrations." + sha256_hex(url_.database).substr(0, 43);
  }

  std::unique_ptr<sql::Connection> conn_;
};

}  // namespace

std::unique_ptr<Connection> connect_mysql(const DatabaseUrl& url) {
  return std::make_unique<MysqlConnection>(url);
}

}  // namespace schemactl::db
