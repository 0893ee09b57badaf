#include "apply/history.hpp"

#include "util/text.hpp"

namespace schemactl::apply {

bool History::exists() {
  if (conn_.dialect() == DialectId::postgres)
    return conn_.query("SELECT to_regclass($1) IS NOT NULL", {kTable}).at(0).at(0) == std::optional<std::string>("t");
  return conn_
             .query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
                    {kTable})
             .at(0)
             .at(0) != std::optional<std::string>("0");
}

void History::create() {
  // The same columns on both protocols; only the types are spelled per database.
  const bool pg = conn_.dialect() == DialectId::postgres;
  std::string time_type =
      pg ? "TIMESTAMPTZ NOT NULL DEFAULT now()" : "TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)";
  conn_.execute(std::string("CREATE TABLE IF NOT EXISTS ") + kTable +
                " (version VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, checksum CHAR(64) NOT NULL, "
                "applied_at " +
                time_type +
                ", duration_ms BIGINT NOT NULL DEFAULT 0, tool_version VARCHAR(32) NOT NULL, "
                "state VARCHAR(16) NOT NULL DEFAULT 'applied', statements_applied INTEGER NOT NULL DEFAULT 0, "
                "statements_total INTEGER NOT NULL DEFAULT 0, failed_statement TEXT, error TEXT)");
}

std::vector<HistoryRow> History::rows() {
  std::vector<HistoryRow> out;
  if (!exists()) return out;
  for (const auto& r :
       conn_.query(std::string("SELECT version, name, checksum, CAST(applied_at AS CHAR(40)), duration_ms, "
                               "tool_version, state, statements_applied, statements_total, "
                               "failed_statement, error FROM ") +
                   kTable + " ORDER BY version")) {
    HistoryRow row;
    row.version = r.at(0).value_or("");
    row.name = r.at(1).value_or("");
    row.checksum = r.at(2).value_or("");
    row.applied_at = trim(r.at(3).value_or(""));  // CHAR pads on Postgres
    row.duration_ms = std::stol(r.at(4).value_or("0"));
    row.tool_version = r.at(5).value_or("");
    row.state = r.at(6).value_or("");
    row.statements_applied = std::stoi(r.at(7).value_or("0"));
    row.statements_total = std::stoi(r.at(8).value_or("0"));
    row.failed_statement = r.at(9).value_or("");
    row.error = r.at(10).value_or("");
    out.push_back(std::move(row));
  }
  return out;
}

namespace {
std::string placeholders(const db::Connection& c, int n) {
  std::string out;
  for (int i = 1; i <= n; ++i)
    out += (i > 1 ? ", " : "") + (c.dialect() == DialectId::postgres ? "$" + std::to_string(i) : std::string("?"));
  return out;
}
std::string p(const db::Connection& c, int i) {
  return c.dialect() == DialectId::postgres ? "$" + std::to_string(i) : "?";
}
}  // namespace

// Writes go through query() so that they can carry parameters; they return no rows.
void History::insert(const HistoryRow& row) {
  conn_.query(std::string("INSERT INTO ") + kTable +
                  " (version, name, checksum, duration_ms, tool_version, state, statements_applied, statements_total) "
                  "VALUES (" +
                  placeholders(conn_, 8) + ")",
              {row.version, row.name, row.checksum, std::to_string(row.duration_ms), row.tool_version, row.state,
               std::to_string(row.statements_applied), std::to_string(row.statements_total)});
}

void History::update_progress(const std::string& version, int statements_applied) {
  conn_.query(
      std::string("UPDATE ") + kTable + " SET statements_applied = " + p(conn_, 1) + " WHERE version = " + p(conn_, 2),
      {std::to_string(statements_applied), version});
}

void History::mark_failed(const std::string& version, int statements_applied, const std::string& statement,
                          const std::string& error) {
  conn_.query(std::string("UPDATE ") + kTable + " SET state = 'partial', statements_applied = " + p(conn_, 1) +
                  ", failed_statement = " + p(conn_, 2) + ", error = " + p(conn_, 3) +
                  " WHERE version = " + p(conn_, 4),
              {std::to_string(statements_applied), statement, error, version});
}

void History::mark_applied(const std::string& version, int statements_applied, long duration_ms) {
  conn_.query(std::string("UPDATE ") + kTable + " SET state = 'applied', statements_applied = " + p(conn_, 1) +
                  ", duration_ms = " + p(conn_, 2) +
                  ", failed_statement = NULL, error = NULL WHERE version = " + p(conn_, 3),
              {std::to_string(statements_applied), std::to_string(duration_ms), version});
}

void History::remove(const std::string& version) {
  conn_.query(std::string("DELETE FROM ") + kTable + " WHERE version = " + p(conn_, 1), {version});
}

}  // namespace schemactl::apply
