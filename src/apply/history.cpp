#include "apply/history.hpp"

#include <algorithm>
#include <cctype>

#include "dialect/dialect.hpp"
#include "util/text.hpp"

namespace schemactl::apply {

namespace {

constexpr const char* kColumns[] = {
    "version",      "name",  "checksum",           "applied_at",       "duration_ms",
    "tool_version", "state", "statements_applied", "statements_total", "failed_statement",
    "error"};
// Added after the first release; create() adds them to an older table, rows() reads them when there.
constexpr const char* kNewColumns[] = {"in_flight", "down_applied", "batches_done", "rows_done"};

std::optional<RowState> parse_state(const std::string& s) {
  for (RowState r : {RowState::applied, RowState::partial, RowState::rolling_back, RowState::unknown})
    if (row_state_name(r) == s) return r;
  return std::nullopt;
}

}  // namespace

std::string row_state_name(RowState s) {
  switch (s) {
    case RowState::applied:
      return "applied";
    case RowState::partial:
      return "partial";
    case RowState::rolling_back:
      return "rolling_back";
    case RowState::unknown:
      return "unknown";
  }
  return "?";
}

// The schema (Postgres) or database (MySQL family) that was current when the run connected: a
// migration that changes search_path or runs USE must not move the history table.
const std::string& History::home() {
  if (home_.empty()) {
    auto r = conn_.query(conn_.dialect() == DialectId::postgres ? "SELECT current_schema()" : "SELECT DATABASE()");
    home_ = r.empty() ? std::string() : r.at(0).at(0).value_or("");
    if (home_.empty()) throw HistoryError("the session has no current schema or database to keep the history in");
    table_ = dialect_for(conn_.dialect()).quote(home_) + "." + kTable;
  }
  return home_;
}

const std::string& History::table() {
  home();
  return table_;
}

bool History::exists() {
  if (conn_.dialect() == DialectId::postgres)
    return conn_.query("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = $2", {home(), kTable})
               .at(0)
               .at(0) != std::optional<std::string>("0");
  return conn_
             .query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
                    {home(), kTable})
             .at(0)
             .at(0) != std::optional<std::string>("0");
}

void History::create() {
  // The same columns on both protocols; only the types are spelled per database.
  const bool pg = conn_.dialect() == DialectId::postgres;
  std::string time_type =
      pg ? "TIMESTAMPTZ NOT NULL DEFAULT now()" : "TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)";
  conn_.execute("CREATE TABLE IF NOT EXISTS " + table() +
                " (version VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, checksum CHAR(64) NOT NULL, "
                "applied_at " +
                time_type +
                ", duration_ms BIGINT NOT NULL DEFAULT 0, tool_version VARCHAR(32) NOT NULL, "
                "state VARCHAR(16) NOT NULL DEFAULT 'applied', statements_applied INTEGER NOT NULL DEFAULT 0, "
                "statements_total INTEGER NOT NULL DEFAULT 0, failed_statement TEXT, error TEXT, "
                "in_flight SMALLINT NOT NULL DEFAULT 0, down_applied INTEGER NOT NULL DEFAULT 0, "
                "batches_done BIGINT NOT NULL DEFAULT 0, rows_done BIGINT NOT NULL DEFAULT 0)");
  conn_.execute("ALTER TABLE " + table() + " ADD COLUMN IF NOT EXISTS in_flight SMALLINT NOT NULL DEFAULT 0");
  conn_.execute("ALTER TABLE " + table() + " ADD COLUMN IF NOT EXISTS down_applied INTEGER NOT NULL DEFAULT 0");
  conn_.execute("ALTER TABLE " + table() + " ADD COLUMN IF NOT EXISTS batches_done BIGINT NOT NULL DEFAULT 0");
  conn_.execute("ALTER TABLE " + table() + " ADD COLUMN IF NOT EXISTS rows_done BIGINT NOT NULL DEFAULT 0");
}

std::vector<HistoryRow> History::rows() {
  std::vector<HistoryRow> out;
  if (!exists()) return out;
  // Which columns the table has: a missing one is named, not met as a server error mid-query.
  std::vector<std::string> have;
  for (const auto& r :
       conn_.dialect() == DialectId::postgres
           ? conn_.query("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 "
                         "AND table_name = $2",
                         {home(), kTable})
           : conn_.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND "
                         "TABLE_NAME = ?",
                         {home(), kTable}))
    have.push_back(to_lower(r.at(0).value_or("")));
  auto has = [&](const std::string& c) { return std::find(have.begin(), have.end(), c) != have.end(); };
  for (const char* c : kColumns)
    if (!has(c))
      throw HistoryError(std::string("the history table ") + kTable + " has no column " + c +
                         ": it was changed by hand or by another tool; restore it (see README, \"Recovering\")");
  std::string select =
      "SELECT version, name, checksum, CAST(applied_at AS CHAR(40)), duration_ms, tool_version, state, "
      "statements_applied, statements_total, failed_statement, error";
  for (const char* c : kNewColumns) select += has(c) ? std::string(", ") + c : ", 0";
  for (const auto& r : conn_.query(select + " FROM " + table() + " ORDER BY version")) {
    HistoryRow row;
    row.version = r.at(0).value_or("");
    auto bad = [&](const std::string& column, const std::string& value, const std::string& why) {
      return HistoryError("history row '" + row.version + "' in " + kTable + ": " + column + " = '" + value + "' " +
                          why + "; fix the row by hand (see README, \"Recovering\")");
    };
    auto number = [&](int index, const char* column, long min, long max) -> long {
      std::string v = r.at(static_cast<std::size_t>(index)).value_or("");
      bool digits =
          !v.empty() &&
          std::all_of(v.begin() + (v[0] == '-' ? 1 : 0), v.end(), [](unsigned char c) { return std::isdigit(c); }) &&
          v != "-" && v.size() < 16;
      if (!digits) throw bad(column, v, "is not a number");
      long n = std::stol(v);
      if (n < min || n > max)
        throw bad(column, v, "is out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")");
      return n;
    };
    if (row.version.empty() || row.version.size() > 32) throw bad("version", row.version, "is not a version");
    row.name = r.at(1).value_or("");
    row.checksum = rtrim(r.at(2).value_or(""));  // CHAR(64) pads a shorter value
    if (row.checksum.size() != 64 ||
        !std::all_of(row.checksum.begin(), row.checksum.end(), [](unsigned char c) { return std::isxdigit(c); }))
      throw bad("checksum", row.checksum, "is not a SHA-256 in hex");
    row.applied_at = trim(r.at(3).value_or(""));  // CHAR pads on Postgres
    row.duration_ms = number(4, "duration_ms", 0, 1L << 50);
    row.tool_version = r.at(5).value_or("");
    std::string state = r.at(6).value_or("");
    auto parsed = parse_state(state);
    if (!parsed) throw bad("state", state, "is not one of applied, partial, rolling_back, unknown");
    row.state = *parsed;
    row.statements_total = static_cast<int>(number(8, "statements_total", 0, 1000000));
    row.statements_applied = static_cast<int>(number(7, "statements_applied", 0, row.statements_total));
    row.failed_statement = r.at(9).value_or("");
    row.error = r.at(10).value_or("");
    row.in_flight = number(11, "in_flight", 0, 1) == 1;
    row.down_applied = static_cast<int>(number(12, "down_applied", 0, 1000000));
    row.batches_done = number(13, "batches_done", 0, 1L << 50);
    row.rows_done = number(14, "rows_done", 0, 1L << 50);
    if (row.state == RowState::applied && row.in_flight)
      throw bad("in_flight", "1", "contradicts state = 'applied' (an applied migration has no statement in flight)");
    if (row.state == RowState::applied && row.statements_applied != row.statements_total)
      throw bad("state", state,
                "contradicts statements_applied = " + std::to_string(row.statements_applied) + " of " +
                    std::to_string(row.statements_total));
    out.push_back(std::move(row));
  }
  return out;
}

std::string History::param(int i) const {
  return conn_.dialect() == DialectId::postgres ? "$" + std::to_string(i) : "?";
}

// Writes go through query() so that they can carry parameters; they return no rows.
void History::update(const std::string& assignments, const std::vector<std::string>& values,
                     const std::string& version) {
  std::string sql = "UPDATE " + table() + " SET ";
  int n = 0;
  // Each '?' in `assignments` is the next value.
  for (char c : assignments) sql += c == '?' ? param(++n) : std::string(1, c);
  std::vector<std::string> params = values;
  params.push_back(version);
  conn_.query(sql + " WHERE version = " + param(n + 1), params);
}

void History::insert(const HistoryRow& row) {
  std::string values;
  for (int i = 1; i <= 8; ++i) values += (i > 1 ? ", " : "") + param(i);
  conn_.query(
      "INSERT INTO " + table() +
          " (version, name, checksum, duration_ms, tool_version, state, statements_applied, statements_total) "
          "VALUES (" +
          values + ")",
      {row.version, row.name, row.checksum, std::to_string(row.duration_ms), row.tool_version,
       row_state_name(row.state), std::to_string(row.statements_applied), std::to_string(row.statements_total)});
}

void History::progress(const std::string& version, int applied, bool in_flight) {
  update("state = 'partial', statements_applied = ?, in_flight = ?, batches_done = 0, rows_done = 0",
         {std::to_string(applied), in_flight ? "1" : "0"}, version);
}

void History::down_progress(const std::string& version, int applied, bool in_flight) {
  update("state = 'rolling_back', down_applied = ?, in_flight = ?, batches_done = 0, rows_done = 0",
         {std::to_string(applied), in_flight ? "1" : "0"}, version);
}

void History::batch_progress(const std::string& version, long batches, long rows) {
  update("batches_done = ?, rows_done = ?", {std::to_string(batches), std::to_string(rows)}, version);
}

void History::set_state(const std::string& version, RowState state) {
  update("state = ?", {row_state_name(state)}, version);
}

void History::set_checksum(const std::string& version, const std::string& checksum) {
  update("checksum = ?", {checksum}, version);
}

void History::mark_failed(const std::string& version, const std::string& statement, const std::string& error) {
  update("in_flight = 0, failed_statement = ?, error = ?", {statement, error}, version);
}

void History::mark_applied(const std::string& version, int statements_applied, long duration_ms) {
  update(
      "state = 'applied', statements_applied = ?, duration_ms = ?, in_flight = 0, down_applied = 0, batches_done = 0, "
      "rows_done = 0, "
      "failed_statement = NULL, error = NULL",
      {std::to_string(statements_applied), std::to_string(duration_ms)}, version);
}

void History::remove(const std::string& version) {
  conn_.query("DELETE FROM " + table() + " WHERE version = " + param(1), {version});
}

}  // namespace schemactl::apply
