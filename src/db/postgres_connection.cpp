// libpqxx 6.4 implementation of Connection.
#include <algorithm>
#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "db/connection.hpp"
#include "util/text.hpp"

namespace schemactl::db {
namespace {

// The advisory-lock key of schemactl's migration lock (an arbitrary constant, the same for every run).
constexpr const char* kLockKey = "7240129034556731";

std::string conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string first_line(const std::string& s) {
  std::string t = trim(s);
  auto nl = t.find('\n');
  return nl == std::string::npos ? t : t.substr(0, nl);
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const DatabaseUrl& url) : Connection(url) {
    std::string info = "host=" + conninfo_value(url.host) + " port=" + std::to_string(url.port) +
                       " dbname=" + conninfo_value(url.database) + " user=" + conninfo_value(url.user) +
                       " password=" + conninfo_value(url.password) + " application_name='schemactl'";
    bool has_timeout = false;
    for (const auto& [k, v] : url.params) {
      std::string key = k == "connect_timeout" || k == "sslmode" || k == "sslrootcert" || k == "options" ? k : "";
      if (key.empty()) continue;
      has_timeout = has_timeout || key == "connect_timeout";
      info += " " + key + "=" + conninfo_value(v);
    }
    if (!has_timeout) info += " connect_timeout=10";
    try {
      conn_ = std::make_unique<pqxx::connection>(info);
      backend_pid_ = std::to_string(conn_->backendpid());
    } catch (const std::exception& e) {
      throw DbError(connection_error(url, first_line(e.what())));
    }
    pin_session();
  }

  // What one migration's SET statements changed (search_path, role, timeouts) is undone before the
  // next one runs.
  void reset_session() override {
    execute("RESET ALL");
    execute("RESET ROLE");
    pin_session();
  }

  // Generated literals are written for standard_conforming_strings = on (backslashes only in E'...').
  void pin_session() { execute("SET standard_conforming_strings = on"); }

  DialectId dialect() const override { return DialectId::postgres; }
  bool transactional_ddl() const override { return true; }

  // pg_try_advisory_lock polled until the deadline: a plain pg_advisory_lock could wait forever.
  bool try_lock(int timeout_seconds) override {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::max(1, timeout_seconds));
    while (true) {
      auto rows = query("SELECT pg_try_advisory_lock(" + std::string(kLockKey) + ")", {});
      if (!rows.empty() && rows[0][0] == std::optional<std::string>("t")) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  void unlock() override { query("SELECT pg_advisory_unlock(" + std::string(kLockKey) + ")", {}); }

  // Advisory locks belong to one database; pg_locks shows the holder's backend.
  std::optional<std::string> lock_holder() override {
    auto r = query(
        "SELECT a.pid, COALESCE(host(a.client_addr), 'local'), a.usename, a.application_name, "
        "to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), a.state, LEFT(a.query, 200) "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND l.objsubid = 1 "
        "AND ((l.classid::bigint << 32) | l.objid::bigint) = " +
            std::string(kLockKey),
        {});
    if (r.empty()) return std::nullopt;
    auto f = [&](std::size_t i) { return r[0][i].value_or(""); };
    return "backend " + f(0) + " (" + f(2) + "@" + f(1) + ", " + f(3) + ", connected since " + f(4) + ", " + f(5) +
           (f(6).empty() ? "" : ": " + f(6)) +
           "); if that run is gone or hung, end it with `SELECT pg_terminate_backend(" + f(0) + ")`";
  }

  // From another thread: a second connection asks the server to cancel this session's statement.
  void cancel() override {
    if (backend_pid_.empty()) return;
    PostgresConnection other(url_);
    other.query("SELECT pg_cancel_backend($1::int)", {backend_pid_});
  }

  void set_lock_wait_timeout(int seconds) override {
    execute("SET lock_timeout = '" + std::to_string(std::max(1, seconds)) + "s'");
  }

  void execute(const std::string& sql) override {
    run(
        [&](pqxx::nontransaction& tx) {
          tx.exec(sql);
          return std::vector<Row>{};
        },
        sql);
  }

  long long execute_count(const std::string& sql) override {
    long long n = 0;
    run(
        [&](pqxx::nontransaction& tx) {
          n = static_cast<long long>(tx.exec(sql).affected_rows());
          return std::vector<Row>{};
        },
        sql);
    return n;
  }

  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params) override {
    return run(
        [&](pqxx::nontransaction& tx) {
          pqxx::result r;
          if (params.empty()) {
            r = tx.exec(sql);
          } else {
            conn_->prepare("schemactl_q", sql);
            r = tx.exec_prepared("schemactl_q", pqxx::prepare::make_dynamic_params(params));
            conn_->unprepare("schemactl_q");
          }
          std::vector<Row> rows;
          for (const auto& row : r) {
            Row out;
            for (const auto& field : row)
              out.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
            rows.push_back(std::move(out));
          }
          return rows;
        },
        sql);
  }

 private:
  template <typename F>
  std::vector<Row> run(F&& f, const std::string& sql) {
    try {
      pqxx::nontransaction tx(*conn_);
      return f(tx);
    } catch (const pqxx::sql_error& e) {
      throw DbError(redact(first_line(e.what()), url_), sql, e.sqlstate());
    } catch (const pqxx::broken_connection& e) {
      throw DbError("connection to " + url_.redacted() + " lost: " + redact(first_line(e.what()), url_), sql, "", 0,
                    true);
    } catch (const std::exception& e) {
      throw DbError(redact(first_line(e.what()), url_), sql);
    }
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::string backend_pid_;  // read at connect: cancel() runs on another thread
};

}  // namespace

std::unique_ptr<Connection> connect_postgres(const DatabaseUrl& url) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace schemactl::db
