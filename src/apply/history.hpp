// The history table (schemactl_migrations) in the target database: what was applied, when, with
// which checksum, and, for migrations that stopped part-way, how far they got.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace schemactl::apply {

struct HistoryRow {
  std::string version;
  std::string name;
  std::string checksum;  // SHA-256 of the up file
  std::string applied_at;
  long duration_ms = 0;
  std::string tool_version;
  std::string state;  // "applied" or "partial"
  int statements_applied = 0;
  int statements_total = 0;
  std::string failed_statement;
  std::string error;
};

class History {
 public:
  explicit History(db::Connection& conn) : conn_(conn) {}

  static constexpr const char* kTable = "schemactl_migrations";

  bool exists();                   // reads the catalog only: planning must not create anything
  void create();                   // idempotent
  std::vector<HistoryRow> rows();  // by version; empty when the table does not exist
  void insert(const HistoryRow& row);
  void update_progress(const std::string& version, int statements_applied);
  void mark_failed(const std::string& version, int statements_applied, const std::string& statement,
                   const std::string& error);
  void mark_applied(const std::string& version, int statements_applied, long duration_ms);
  void remove(const std::string& version);

 private:
  db::Connection& conn_;
};

}  // namespace schemactl::apply
