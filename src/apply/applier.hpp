// The applier: status, plan (a dry run that changes nothing), up, down and resolve against a live
// database, with the history table, the migration lock and per-statement progress.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "apply/history.hpp"
#include "apply/splitter.hpp"
#include "db/connection.hpp"
#include "migrate/directory.hpp"
#include "util/progress.hpp"

namespace schemactl::apply {

class InterruptGuard;

enum class Status { applied, pending, partial, unknown, rolling_back, modified, missing };
std::string status_name(Status s);
// Whether `up` can finish it by itself (pending, partial) rather than a person deciding first.
bool needs_person(Status s);

struct MigrationStatus {
  std::string version;
  std::string name;
  Status status = Status::pending;
  std::optional<HistoryRow> row;           // what the database recorded
  std::optional<migrate::Migration> file;  // what migrations/ holds
};

// Everything `status` knows: the migrations, and what is wrong around them (the directory against
// its sum, the live catalog).
struct StatusReport {
  std::vector<MigrationStatus> migrations;
  std::vector<std::string> directory_problems;  // migrations/ against its sum, missing files
  std::vector<std::string> catalog_problems;    // left in the live database (INVALID indexes)
};

// One migration of a plan or a run: its statements in the order they run.
struct Planned {
  std::string version;
  std::string name;
  std::string direction;  // "up" or "down"
  std::string file;       // the up or down file
  std::vector<Statement> statements;
  // Postgres: each run of statements not marked outside-transaction is one transaction with the
  // history; a marked one (CONCURRENTLY, ALTER TYPE ... ADD VALUE, VALIDATE) runs on its own.
  int resume_from = 0;     // statements already applied by an earlier, interrupted run
  bool recorded = false;   // the history table already has a row for it
  bool in_flight = false;  // statement `resume_from` was running when the earlier run stopped
  // Statement `resume_from` is a repeat-until-zero one: the batches (and their rows) already committed.
  long resume_batches = 0;
  long resume_rows = 0;
  std::string checksum;  // of the up file
  std::vector<std::string> warnings;
  bool irreversible = false;       // a down file marked `-- schemactl:irreversible`: it cannot undo all of its up
  std::vector<std::string> notes;  // what a run decided on the way (statements found already applied ...)
  std::vector<std::vector<std::string>> locks;  // per statement: what it locks, with the live table size
  // Per statement: the comment lines right above it in the file (the step it belongs to, "-- add
  // column moments.speakers"), without `-- schemactl:` markers; none for the file's header.
  std::vector<std::vector<std::string>> comments;
  long duration_ms = 0;  // filled in by a run
};

struct Options {
  int lock_timeout_seconds = 60;
  int lock_wait_timeout_seconds = 10;  // per DDL statement, waiting for a table lock
  int lock_retries = 3;                // tries after a lock timeout, with backoff (0.5 s, 1 s, 2 s ...)
  int statement_timeout_seconds = 0;   // Postgres: for the transactional part (0: the file's or the server's)
  // Given on the command line: then they override the file's `SET lock_timeout` / `SET
  // statement_timeout` (written from the registry), which otherwise win over the defaults above.
  bool lock_wait_timeout_given = false;
  bool statement_timeout_given = false;
  bool allow_out_of_order = false;
  bool allow_destructive = false;
  std::string to;  // up: apply up to and including this version; down: roll back to (keep) this version
  int steps = 0;   // down: how many migrations to roll back (0: one, unless `to` is given)
};

// What `resolve` is told about a migration.
struct Resolution {
  enum Kind { statement_applied, statement_not_applied, mark_applied, accept_checksum } kind;
};

// A migration failed or stopped part-way: carries what a user needs to recover.
class ApplyError : public Error {
 public:
  explicit ApplyError(const std::string& message, ExitCode code = ExitCode::error, ErrorContext context = {})
      : Error(message, code, std::move(context)) {}
  std::string kind() const override { return "migration"; }
};

class Applier {
 public:
  Applier(db::Connection& conn, std::filesystem::path migrations_root, Options options);

  StatusReport status();
  std::vector<Planned> plan_up();    // reads only
  std::vector<Planned> plan_down();  // reads only
  std::vector<Planned> up();
  std::vector<Planned> down();
  std::string resolve(const std::string& version, Resolution how);
  // Records every migration up to and including `version` as applied, with its checksum, without
  // running it: the database was built another way (install.sql, by hand, another tool) and the
  // caller has checked that it matches the state at `version`. Refuses a version without files, a
  // directory that does not match its sum, and a history that already has rows. All rows or none.
  std::string baseline(const std::string& version);

 private:
  std::vector<Planned> run(bool up);
  std::vector<Planned> select_up(const StatusReport& report);
  std::vector<Planned> select_down(const StatusReport& report);
  Planned load(const migrate::Migration& m, const std::string& direction);
  void run_up(Planned& p);
  void run_down(Planned& p);
  // The statement recorded in flight by an earlier run: decides from the catalog where to go on.
  int settle_in_flight(Planned& p, int index);
  void reissue_settings(const Planned& p, int until);
  void run_concurrent_index(Planned& p, int index);
  void describe_locks(Planned& p);
  void exec(const Planned& p, int index);
  long long exec_count(const Planned& p, int index);
  // A repeat-until-zero statement: batch after batch, each in its own transaction with its progress.
  void run_batches(Planned& p, int index, const std::function<std::string(int)>& aftermath);
  // After a file's SET statement: the command line's value in its place, where one was given.
  void override_setting(const std::string& sql);
  // Postgres: the statement_timeout for the transactional part ("" to leave the session's), from
  // the command line, else from the file's own SET.
  std::string statement_timeout_for(const Planned& p) const;
  // Statements [from, to) in one transaction, `record` (the history write) just before COMMIT. With
  // `recorded` (the history has the migration's row), a failed statement is written into that row.
  void run_in_transaction(Planned& p, int from, int to, const std::function<void()>& record,
                          const std::string& aftermath, bool recorded);
  // Statements [from, to) one by one, each recorded (in flight first, unless a data change that
  // commits with its progress); `aftermath(i)` says what the history holds if statement i fails.
  void run_one_by_one(Planned& p, int from, int to, const std::function<std::string(int)>& aftermath);
  // Runs `attempt` again, with backoff, while the server reports a lock timeout (--lock-retries).
  template <typename F>
  void with_lock_retries(Planned& p, int index, F&& attempt);
  void check_interrupt(const Planned& p, int next, const std::string& state) const;
  class Lock;
  // The error for statement `index` of `p` failing, with what the database said and what to do now.
  ApplyError failure(const Planned& p, int index, const db::DbError& e, const std::string& aftermath) const;

  db::Connection& conn_;
  migrate::Directory dir_;
  Options options_;
  History history_;
  InterruptGuard* interrupt_ = nullptr;
  Progress* progress_ = nullptr;  // of the migration being run (drawn on a terminal only)
};

// SHA-256 of a migration's up file: what the history records and later runs compare against.
std::string checksum_of(const migrate::Migration& m);

}  // namespace schemactl::apply
