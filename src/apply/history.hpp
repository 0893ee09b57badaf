// The history table (schemactl_migrations) in the target database: what was applied, when, with
// which checksum, and, for migrations that stopped part-way, how far they got and whether a
// statement was in flight when the run stopped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace schemactl::apply {

// What a history row's `state` column may hold.
//   applied       every statement of the up file ran
//   partial       the up file stopped after `statements_applied` statements
//   rolling_back  the down file stopped after `down_applied` statements
//   unknown       statement `statements_applied + 1` (or `down_applied + 1` while rolling back) may or
//                 may not have committed and the catalog cannot tell: `resolve` decides
enum class RowState { applied, partial, rolling_back, unknown };
std::string row_state_name(RowState s);

struct HistoryRow {
  std::string version;
  std::string name;
  std::string checksum;  // SHA-256 of the up file
  std::string applied_at;
  long duration_ms = 0;
  std::string tool_version;
  RowState state = RowState::applied;
  int statements_applied = 0;  // of the up file
  int statements_total = 0;
  std::string failed_statement;
  std::string error;
  // The statement after the recorded progress was sent to the server and its outcome was never
  // seen (the client was killed, or the connection dropped): it may have committed.
  bool in_flight = false;
  int down_applied = 0;  // of the down file, while rolling back
  // Of the repeat-until-zero statement after the recorded progress: batches committed, rows they changed.
  long batches_done = 0;
  long rows_done = 0;
  bool rolling_back() const {
    return state == RowState::rolling_back || (state == RowState::unknown && down_applied > 0);
  }
};

// A history row that cannot be trusted (a hand edit, a newer tool): names the row and the column.
class HistoryError : public Error {
 public:
  explicit HistoryError(const std::string& message) : Error(message) {}
  std::string kind() const override { return "history"; }
};

class History {
 public:
  explicit History(db::Connection& conn) : conn_(conn) {}

  static constexpr const char* kTable = "schemactl_migrations";

  bool exists();                   // reads the catalog only: planning must not create anything
  void create();                   // idempotent; adds the columns newer versions need
  std::vector<HistoryRow> rows();  // by version; empty when the table does not exist; validated

  void insert(const HistoryRow& row);
  // Progress of the up file: `applied` statements done; `in_flight`: the next one is being sent.
  void progress(const std::string& version, int applied, bool in_flight);
  // Progress of the down file (state rolling_back).
  void down_progress(const std::string& version, int applied, bool in_flight);
  // A batch of a repeat-until-zero statement committed (in the batch's own transaction): the
  // totals so far. progress() and down_progress() start the next statement at zero.
  void batch_progress(const std::string& version, long batches, long rows);
  void set_state(const std::string& version, RowState state);
  void set_checksum(const std::string& version, const std::string& checksum);
  void mark_failed(const std::string& version, const std::string& statement, const std::string& error);
  void mark_applied(const std::string& version, int statements_applied, long duration_ms);
  void remove(const std::string& version);

 private:
  db::Connection& conn_;
  std::string home_, table_;
  const std::string& home();
  const std::string& table();
  std::string param(int i) const;
  void update(const std::string& assignments, const std::vector<std::string>& values, const std::string& version);
};

}  // namespace schemactl::apply
