#include "apply/applier.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <map>
#include <thread>

#include "apply/interrupt.hpp"
#include "dialect/effect.hpp"
#include "dialect/locks.hpp"
#include "migrate/sum.hpp"
#include "migrate/writer.hpp"
#include "output/fileset.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace schemactl::apply {

namespace {

std::string read_text(const std::filesystem::path& p) {
  std::string text;
  if (!read_file(p, text)) throw Error("cannot read " + p.string());
  return text;
}

// The lines of `text`.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

// The items of a header list: the "--   item" lines right after the line that starts with `heading`.
std::vector<std::string> header_list(const std::string& text, const std::string& heading) {
  std::vector<std::string> items;
  auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!starts_with(lines[i], heading)) continue;
    for (std::size_t k = i + 1; k < lines.size() && starts_with(lines[k], "--   "); ++k)
      items.push_back(trim(lines[k].substr(5)));
    break;
  }
  return items;
}

// Per statement, the block of comment lines right above it (no blank line between), without the
// `-- schemactl:` markers. A block that starts at the file's first line is the file's header.
std::vector<std::vector<std::string>> comments_above(const std::string& text,
                                                     const std::vector<Statement>& statements) {
  auto lines = lines_of(text);
  std::vector<std::vector<std::string>> out(statements.size());
  for (std::size_t i = 0; i < statements.size(); ++i) {
    int first = statements[i].line - 2;  // the line above, 0-based
    int stop = i == 0 ? -1 : statements[i - 1].line - 1;
    std::vector<std::string> block;
    int k = first;
    for (; k > stop && k >= 0 && k < static_cast<int>(lines.size()) && starts_with(lines[k], "--"); --k)
      if (!starts_with(lines[k], "-- schemactl:")) block.insert(block.begin(), lines[k]);
    if (k < 0) continue;  // the file's header
    out[i] = std::move(block);
  }
  return out;
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s.size() > 300 ? s.substr(0, 297) + "..." : s;
}

// MySQL-family errors that mean "not there" (a key, column or table): only a statement written
// with IF EXISTS may meet them while rolling back; any other is a real failure (a typo in a down
// file must not be a silent skip).
bool absent_error(const db::DbError& e) {
  return e.code() == 1091 || e.code() == 1051 || e.code() == 1146;
}
bool written_if_exists(const std::string& sql) {
  return to_upper(sql).find("IF EXISTS") != std::string::npos;
}

// BEGIN, COMMIT, ROLLBACK, START TRANSACTION, SAVEPOINT ...: a file must not end the applier's
// transaction (nor open one of its own) behind the history's back.
bool transaction_control(const std::string& sql) {
  std::string u = to_upper(trim(sql));
  auto word = [&](const char* w) {
    std::size_t n = std::string(w).size();
    return u.compare(0, n, w) == 0 && (u.size() == n || !std::isalnum(static_cast<unsigned char>(u[n])));
  };
  if (word("COMMIT") || word("ROLLBACK") || word("ABORT") || word("SAVEPOINT") || word("RELEASE") ||
      word("START TRANSACTION") || word("END") || word("XA") || word("PREPARE TRANSACTION"))
    return true;
  // BEGIN alone (or BEGIN WORK / TRANSACTION / ISOLATION ...), not a MariaDB `BEGIN NOT ATOMIC` block.
  return word("BEGIN") && u.find("NOT ATOMIC") == std::string::npos;
}

bool is_setting(const std::string& sql) {
  return starts_with(to_upper(sql), "SET ");
}

// Whether `sql` is `SET [SESSION] <name> ...` (Postgres spelling, any case).
bool sets(const std::string& sql, const std::string& name) {
  std::string u = to_lower(trim(sql));
  if (!starts_with(u, "set ")) return false;
  u = trim(u.substr(4));
  if (starts_with(u, "session ")) u = trim(u.substr(8));
  return starts_with(u, name) && u.size() > name.size() && (u[name.size()] == ' ' || u[name.size()] == '=');
}

long elapsed_ms(std::chrono::steady_clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count());
}

std::string signal_name(int sig) {
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}

ExitCode interrupted_code() {
  return static_cast<ExitCode>(128 + InterruptGuard::signal());
}

std::string id(const std::string& version, const std::string& name) {
  return version + "_" + name;
}

}  // namespace

std::string status_name(Status s) {
  switch (s) {
    case Status::applied:
      return "applied";
    case Status::pending:
      return "pending";
    case Status::partial:
      return "partial";
    case Status::unknown:
      return "unknown";
    case Status::rolling_back:
      return "rolling_back";
    case Status::modified:
      return "modified";
    case Status::missing:
      return "missing";
  }
  return "?";
}

bool needs_person(Status s) {
  return s == Status::unknown || s == Status::rolling_back || s == Status::modified || s == Status::missing;
}

std::string checksum_of(const migrate::Migration& m) {
  return sha256_hex(read_text(m.up_path));
}

Applier::Applier(db::Connection& conn, std::filesystem::path root, Options options)
    : conn_(conn), dir_(std::move(root), conn.dialect()), options_(std::move(options)), history_(conn) {}

StatusReport Applier::status() {
  StatusReport report;
  std::map<std::string, MigrationStatus> by_version;
  for (const auto& m : dir_.list(&report.directory_problems)) {
    MigrationStatus& s = by_version[m.version];
    s.version = m.version;
    s.name = m.name;
    s.file = m;
  }
  for (const auto& problem : migrate::verify_sum(dir_)) {
    if (problem.kind == migrate::SumProblem::Kind::layout) continue;  // listed above, by list()
    bool hint = problem.kind == migrate::SumProblem::Kind::edited || problem.kind == migrate::SumProblem::Kind::added;
    report.directory_problems.push_back(
        problem.message +
        (hint ? "; if that is intended (a hand-written migration), run `schemactl migrate hash`" : ""));
  }
  for (const auto& row : history_.rows()) {
    MigrationStatus& s = by_version[row.version];
    s.version = row.version;
    if (s.name.empty()) s.name = row.name;
    s.row = row;
  }
  for (auto& [version, s] : by_version) {
    if (!s.row)
      s.status = Status::pending;
    else if (!s.file || s.file->up_path.empty())
      s.status = Status::missing;
    else if (checksum_of(*s.file) != s.row->checksum)
      s.status = Status::modified;
    else if (s.row->state == RowState::unknown)
      s.status = Status::unknown;
    else if (s.row->state == RowState::rolling_back)
      s.status = Status::rolling_back;
    else if (s.row->state == RowState::partial)
      s.status = Status::partial;
    else
      s.status = Status::applied;
    // A statement in flight that the catalog cannot settle is unknown now, not at the next `up`: a
    // CI gate must not send a run into a refusal.
    if ((s.status == Status::partial || s.status == Status::rolling_back) && s.row->in_flight) {
      const bool down = s.status == Status::rolling_back;
      Planned p = load(*s.file, down ? "down" : "up");
      int index = down ? s.row->down_applied : s.row->statements_applied;
      if (index < static_cast<int>(p.statements.size()) &&
          probe_effect(conn_, p.statements[static_cast<std::size_t>(index)].sql).effect == Effect::unknown)
        s.status = Status::unknown;
    }
    report.migrations.push_back(std::move(s));
  }
  report.catalog_problems = catalog_problems(conn_);
  return report;
}

Planned Applier::load(const migrate::Migration& m, const std::string& direction) {
  Planned p;
  p.version = m.version;
  p.name = m.name;
  p.direction = direction;
  p.checksum = checksum_of(m);
  p.file = (direction == "up" ? m.up_path : m.down_path).string();
  const auto& path = direction == "up" ? m.up_path : m.down_path;
  if (path.empty()) throw Error("migration " + m.id() + " has no " + direction + " file in " + dir_.path().string());
  std::string text = read_text(path);
  if (starts_with(text, "\xEF\xBB\xBF")) text.erase(0, 3);  // a UTF-8 byte order mark is not SQL
  std::vector<Statement> statements;
  try {
    statements = split_statements(text, conn_.dialect());
  } catch (const Error& e) {
    throw ApplyError(path.string() + ": " + e.what(), ExitCode::error,
                     ErrorContext{path.string(), e.context().line, 0, {}, m.version});
  }
  for (const auto& s : statements)
    if (transaction_control(s.sql))
      throw Error(path.string() + ":" + std::to_string(s.line) + ": '" + one_line(s.sql) +
                      "' controls the transaction, which the applier runs itself (a migration and its history row "
                      "commit together); remove it, and mark a statement that cannot run in a transaction with `" +
                      migrate::kOutsideTransaction + "`",
                  ExitCode::error, ErrorContext{path.string(), s.line, 0, s.sql, m.version});
  for (auto& s : statements) {
    if (!s.repeat_until_zero) continue;
    std::string word = to_lower(s.sql.substr(0, s.sql.find_first_of(" \t\r\n(")));
    if (word != "update" && word != "delete" && word != "insert" && word != "replace" && word != "with")
      throw Error(path.string() + ":" + std::to_string(s.line) + ": '" + one_line(s.sql) + "' follows `" +
                      migrate::kRepeatUntilZero +
                      "`, which repeats a data change (UPDATE, DELETE, INSERT) until it changes no row",
                  ExitCode::error, ErrorContext{path.string(), s.line, 0, s.sql, m.version});
    // Each batch is a transaction of its own: on Postgres it runs between the file's transactions.
    s.outside_transaction = true;
  }
  p.statements = std::move(statements);
  p.comments = comments_above(text, p.statements);
  const std::string marker = migrate::kIrreversible;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (starts_with(line, marker)) {
      p.warnings.push_back("IRREVERSIBLE:" + line.substr(marker.size()));
      p.irreversible = true;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  // The header's lists (migrate/writer.cpp): one warning per step, naming what it loses.
  if (text.find("-- DESTRUCTIVE") != std::string::npos) {
    auto items = header_list(text, "-- DESTRUCTIVE");
    if (items.empty()) p.warnings.push_back("DESTRUCTIVE: can lose data (see the file's header)");
    for (const auto& item : items) p.warnings.push_back("DESTRUCTIVE: " + item);
  }
  if (direction == "down" && text.find("cannot bring back") != std::string::npos) {
    auto items = header_list(text, migrate::kCannotBringBack);
    if (items.empty())
      p.warnings.push_back("LOSES DATA: " + path.filename().string() + " lists what it cannot bring back");
    for (const auto& item : items) p.warnings.push_back("LOSES DATA: " + item);
  }
  return p;
}

namespace {

std::string human_size(double rows, double bytes) {
  auto scaled = [](double v, const char* const* units, double step) {
    int u = 0;
    while (v >= step && units[u + 1]) {
      v /= step;
      ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 10 && u > 0 ? "%.1f%s" : "%.0f%s", v, units[u]);
    return std::string(buf);
  };
  static const char* const kRows[] = {"", "k", "M", "G", nullptr};
  static const char* const kBytes[] = {" B", " kB", " MB", " GB", " TB", nullptr};
  return (rows < 0 ? std::string("never analyzed") : "~" + scaled(rows, kRows, 1000) + " rows") + ", " +
         scaled(bytes, kBytes, 1024);
}

}  // namespace

// What each statement locks, with the live size of what it locks, and the warnings for the steps
// that stop writers while they work: a scan, rewrite or index build under a lock that blocks writes,
// or one inside the transaction after a write-blocking lock was taken (held until COMMIT).
void Applier::describe_locks(Planned& p) {
  p.locks.assign(p.statements.size(), {});
  std::map<std::string, std::string> sizes;
  auto size_of = [&](const std::string& table) {
    auto it = sizes.find(table);
    if (it != sizes.end()) return it->second;
    std::string out = "new";
    try {
      auto r = conn_.query(
          // From the statistics in pg_class only: a size function would wait for a lock on the table.
          "SELECT c.reltuples::float8, (c.relpages + COALESCE((SELECT sum(i.relpages) FROM pg_index x JOIN pg_class "
          "i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid), 0) + COALESCE((SELECT t.relpages FROM pg_class t "
          "WHERE t.oid = c.reltoastrelid), 0))::float8 * current_setting('block_size')::float8 FROM pg_class c "
          "WHERE c.oid = to_regclass($1)",
          {table});
      if (!r.empty()) out = human_size(std::stod(r[0][0].value_or("-1")), std::stod(r[0][1].value_or("0")));
    } catch (const db::DbError&) {
      out = "size unknown";
    }
    return sizes[table] = out;
  };
  struct Held {
    std::string lock, table;
    int line;
  };
  std::vector<Held> held;  // write-blocking locks taken so far in the transaction
  for (std::size_t i = 0; i < p.statements.size(); ++i) {
    const Statement& s = p.statements[i];
    bool in_tx = conn_.transactional_ddl() && !s.outside_transaction;
    if (!in_tx) held.clear();  // a statement on its own ends the transaction before it
    for (LockImpact li : lock_impact(conn_.dialect(), s.sql)) {
      if (li.work == Work::rewrite && !li.column.empty()) {
        // A widening keeps the stored bytes: the live column's type says whether this is one.
        try {
          auto r = conn_.query(
              "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = to_regclass($1) "
              "AND a.attname = $2 AND NOT a.attisdropped",
              {li.table, li.column});
          if (!r.empty() && binary_compatible(r[0][0].value_or(""), li.new_type)) li.work = Work::catalog;
        } catch (const db::DbError&) {
        }
      }
      std::string size = size_of(li.table);
      p.locks[i].push_back(li.describe() + " [" + size + "]");
      std::string where = "line " + std::to_string(s.line) + " ";
      if (li.long_running() && li.blocks_writes() && size != "new")
        p.warnings.push_back(std::string(li.blocks_reads() ? "BLOCKS READS AND WRITES: " : "BLOCKS WRITES: ") + where +
                             "holds " + li.describe() + " [" + size + "]");
      if (in_tx && li.long_running() && size != "new") {
        std::vector<std::string> others;
        for (const Held& h : held)
          if (h.table != li.table || !li.blocks_writes())
            others.push_back(h.lock + " on " + h.table + " (line " + std::to_string(h.line) + ")");
        if (!others.empty())
          p.warnings.push_back("BLOCKS WRITES: " + where + "(" + li.what + " on " + li.table + " [" + size +
                               "]) runs in the transaction after " + join(others, ", ") +
                               ": those locks are held through it until COMMIT; run it in its own transaction");
      }
      if (in_tx && li.blocks_writes() &&
          std::none_of(held.begin(), held.end(), [&](const Held& h) { return h.table == li.table; }))
        held.push_back({li.lock, li.table, s.line});
    }
  }
}

namespace {

std::vector<std::string> directory_refusals(const StatusReport& report, const std::string& dir) {
  std::vector<std::string> out;
  if (!report.directory_problems.empty())
    out.push_back(dir + " does not match its schemactl.sum:\n    " + join(report.directory_problems, "\n    "));
  return out;
}

}  // namespace

namespace {

// What a run acts on: a statement in flight that `status` calls unknown is settled by the run itself,
// which records the unknown state (or finds it settled after all) and says what to do.
std::vector<MigrationStatus> as_a_run_sees_them(std::vector<MigrationStatus> states) {
  for (auto& s : states)
    if (s.status == Status::unknown && s.row->state != RowState::unknown)
      s.status = s.row->state == RowState::rolling_back ? Status::rolling_back : Status::partial;
  return states;
}

}  // namespace

std::vector<Planned> Applier::select_up(const StatusReport& report) {
  std::vector<std::string> refusals = directory_refusals(report, dir_.path().string());
  std::string newest_applied;
  const auto states = as_a_run_sees_them(report.migrations);
  for (const auto& s : states) {
    std::string who = "migration " + id(s.version, s.name);
    if (s.status == Status::modified)
      refusals.push_back(who + " was applied, but its up file changed since (checksum " +
                         s.row->checksum.substr(0, 12) + "..., now " + checksum_of(*s.file).substr(0, 12) +
                         "...); if the change is intended (a fix to a partial migration), accept it with "
                         "`schemactl migrate resolve " +
                         s.version + " --accept-checksum`");
    if (s.status == Status::missing)
      refusals.push_back(who + " was applied, but its files are missing from " + dir_.path().string());
    if (s.status == Status::unknown)
      refusals.push_back(who + ": statement " + std::to_string(s.row->statements_applied + 1) +
                         " may or may not have committed; check the database, then run `schemactl migrate resolve " +
                         s.version + " --statement-applied` or `--statement-not-applied`");
    if (s.status == Status::rolling_back)
      refusals.push_back(who + " is half rolled back (" + std::to_string(s.row->down_applied) +
                         " down statements done); finish with `schemactl migrate down`");
    if (s.row) newest_applied = std::max(newest_applied, s.version);
  }
  std::vector<Planned> out;
  for (const auto& s : states) {
    bool wanted = options_.to.empty() || s.version <= options_.to;
    if (s.status == Status::partial) {
      Planned p = load(*s.file, "up");
      p.resume_from = s.row->statements_applied;
      p.in_flight = s.row->in_flight;
      p.resume_batches = s.row->batches_done;
      p.resume_rows = s.row->rows_done;
      p.recorded = true;
      if (p.resume_from > static_cast<int>(p.statements.size()))
        refusals.push_back("migration " + id(s.version, s.name) + ": the history records " +
                           std::to_string(p.resume_from) + " statements applied, but its up file has " +
                           std::to_string(p.statements.size()));
      else
        out.push_back(std::move(p));
    } else if (s.status == Status::pending && wanted) {
      if (s.version < newest_applied && !options_.allow_out_of_order)
        refusals.push_back("migration " + id(s.version, s.name) +
                           " is pending but older than the newest applied one (" + newest_applied +
                           "); pass --allow-out-of-order to apply it anyway");
      out.push_back(load(*s.file, "up"));
    }
  }
  if (!options_.to.empty() &&
      std::none_of(states.begin(), states.end(), [&](const auto& s) { return s.version == options_.to; }))
    refusals.push_back("--to " + options_.to + ": no migration has that version");
  if (!refusals.empty()) throw Error("refusing to migrate up:\n  " + join(refusals, "\n  "));
  return out;
}

std::vector<Planned> Applier::select_down(const StatusReport& report) {
  std::vector<std::string> refusals = directory_refusals(report, dir_.path().string());
  const auto states = as_a_run_sees_them(report.migrations);
  std::vector<const MigrationStatus*> applied;
  for (const auto& s : states)
    if (s.row) applied.push_back(&s);
  std::reverse(applied.begin(), applied.end());
  std::size_t count = options_.steps > 0 ? static_cast<std::size_t>(options_.steps) : 1;
  if (!options_.to.empty()) {
    if (std::none_of(states.begin(), states.end(), [&](const auto& s) { return s.version == options_.to; }))
      refusals.push_back("--to " + options_.to + ": no migration has that version");
    count = static_cast<std::size_t>(
        std::count_if(applied.begin(), applied.end(), [&](const auto* s) { return s->version > options_.to; }));
  }
  std::vector<Planned> out;
  for (std::size_t i = 0; i < applied.size() && i < count; ++i) {
    const MigrationStatus& s = *applied[i];
    std::string who = "migration " + id(s.version, s.name);
    if (s.status == Status::missing) {
      refusals.push_back(who + " has no files in " + dir_.path().string());
      continue;
    }
    if (s.status == Status::modified)
      refusals.push_back(who + " changed since it was applied; its down file may not match what ran");
    if (s.status == Status::unknown) {
      refusals.push_back(who +
                         ": a statement may or may not have committed; decide it first with "
                         "`schemactl migrate resolve " +
                         s.version + " --statement-applied` or `--statement-not-applied`");
      continue;
    }
    Planned p = load(*s.file, "down");
    p.recorded = true;
    if (s.status == Status::rolling_back) {
      p.resume_from = std::min(s.row->down_applied, static_cast<int>(p.statements.size()));
      p.in_flight = s.row->in_flight;
      if (s.row->rolling_back()) {  // else the counts are those of the up file's statement
        p.resume_batches = s.row->batches_done;
        p.resume_rows = s.row->rows_done;
      }
    }
    for (const auto& w : p.warnings)
      if (starts_with(w, "IRREVERSIBLE") && !options_.allow_destructive)
        refusals.push_back(who + " cannot be fully undone (" + w.substr(13) +
                           "); pass --allow-destructive to roll back what can be");
    out.push_back(std::move(p));
  }
  if (!refusals.empty()) throw Error("refusing to migrate down:\n  " + join(refusals, "\n  "));
  return out;
}

// Only a plan says what each statement locks: a run has no reader for it, and the catalog lookups
// and parsing would be paid on every up and down.
std::vector<Planned> Applier::plan_up() {
  auto plan = select_up(status());
  for (auto& p : plan) describe_locks(p);
  return plan;
}
std::vector<Planned> Applier::plan_down() {
  auto plan = select_down(status());
  for (auto& p : plan) describe_locks(p);
  return plan;
}

// Holds the migration lock for a scope; releasing it is best-effort, as a lost session has
// released it already. A run that gives up waiting names the holder and how to end it.
class Applier::Lock {
 public:
  Lock(db::Connection& conn, int timeout_seconds) : conn_(conn) {
    if (!conn_.try_lock(timeout_seconds)) {
      std::optional<std::string> holder;
      try {
        holder = conn_.lock_holder();
      } catch (const db::DbError&) {
      }
      throw Error("another schemactl holds the migration lock on " + conn_.url().redacted() + "; gave up after " +
                  std::to_string(std::max(1, timeout_seconds)) + " s (--lock-timeout)" +
                  (holder ? "\n  held by " + *holder : ""));
    }
  }
  ~Lock() {
    try {
      conn_.unlock();
    } catch (const db::DbError&) {
    }
  }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

 private:
  db::Connection& conn_;
};

ApplyError Applier::failure(const Planned& p, int index, const db::DbError& e, const std::string& aftermath) const {
  const Statement& s = p.statements[static_cast<std::size_t>(index)];
  std::string what =
      p.direction == "up" ? "migration " + id(p.version, p.name) : "rolling back " + id(p.version, p.name);
  bool interrupted = InterruptGuard::requested();
  return ApplyError(
      what + (interrupted ? " was interrupted by " + signal_name(InterruptGuard::signal()) : " failed") +
          " at statement " + std::to_string(index + 1) + " of " + std::to_string(p.statements.size()) + " (line " +
          std::to_string(s.line) + " of its " + p.direction + " file):\n  " + one_line(s.sql) + "\n" +
          conn_.url().redacted() + " said: " + one_line(e.what()) + "\n" + aftermath,
      interrupted ? interrupted_code() : ExitCode::error, ErrorContext{p.file, s.line, 0, s.sql, p.version});
}

void Applier::check_interrupt(const Planned& p, int next, const std::string& state) const {
  if (!InterruptGuard::requested()) return;
  throw ApplyError(std::string(p.direction == "up" ? "migration " : "rolling back ") + id(p.version, p.name) +
                       " stopped by " + signal_name(InterruptGuard::signal()) + " before statement " +
                       std::to_string(next + 1) + " of " + std::to_string(p.statements.size()) + ". " + state,
                   interrupted_code(), ErrorContext{p.file, 0, 0, {}, p.version});
}

void Applier::reissue_settings(const Planned& p, int until) {
  for (int k = 0; k < until && k < static_cast<int>(p.statements.size()); ++k) {
    const auto& sql = p.statements[static_cast<std::size_t>(k)].sql;
    if (!is_setting(sql)) continue;
    try {
      conn_.execute(sql);
      override_setting(sql);
    } catch (const db::DbError& e) {
      throw failure(p, k, e, "Nothing was run after it; the history is as it was.");
    }
  }
}

void Applier::override_setting(const std::string& sql) {
  if (!conn_.transactional_ddl()) return;
  if (options_.lock_wait_timeout_given && sets(sql, "lock_timeout"))
    conn_.set_lock_wait_timeout(options_.lock_wait_timeout_seconds);
  if (options_.statement_timeout_given && sets(sql, "statement_timeout"))
    conn_.execute("SET statement_timeout = '" + std::to_string(options_.statement_timeout_seconds) + "s'");
}

std::string Applier::statement_timeout_for(const Planned& p) const {
  if (options_.statement_timeout_given || options_.statement_timeout_seconds > 0)
    return "'" + std::to_string(options_.statement_timeout_seconds) + "s'";
  std::string found;
  for (const auto& st : p.statements)
    if (sets(st.sql, "statement_timeout")) {
      std::string value = trim(st.sql);
      if (!value.empty() && value.back() == ';') value.pop_back();
      auto eq = value.find('=');
      if (eq == std::string::npos) eq = to_lower(value).find(" to ") + 3;
      found = trim(value.substr(eq + 1));
    }
  return found;
}

int Applier::settle_in_flight(Planned& p, int index) {
  const bool up = p.direction == "up";
  if (index < 0 || index >= static_cast<int>(p.statements.size()))
    throw HistoryError("history row '" + p.version + "' in " + History::kTable + ": a statement is in flight at " +
                       std::to_string(index + 1) + ", but its " + p.direction + " file has " +
                       std::to_string(p.statements.size()) + "; fix the row by hand (see README, \"Recovering\")");
  const Statement& st = p.statements[static_cast<std::size_t>(index)];
  std::string which = "statement " + std::to_string(index + 1) + " (line " + std::to_string(st.line) + ")";
  EffectProbe probe = probe_effect(conn_, st.sql);
  auto record = [&](int applied) {
    up ? history_.progress(p.version, applied, false) : history_.down_progress(p.version, applied, false);
  };
  switch (probe.effect) {
    case Effect::took_effect:
      p.notes.push_back(which + " was running when the earlier run stopped and took effect (" + probe.reason +
                        "): not run again");
      record(index + 1);
      return index + 1;
    case Effect::no_effect:
    case Effect::repeatable:
      p.notes.push_back(which + " was running when the earlier run stopped; " + probe.reason + ": running it again");
      record(index);
      return index;
    case Effect::still_running:
      throw ApplyError("migration " + id(p.version, p.name) + ": " + which + " of the earlier run: " + probe.reason,
                       ExitCode::error, ErrorContext{p.file, st.line, 0, st.sql, p.version});
    case Effect::unknown:
      break;
  }
  history_.set_state(p.version, RowState::unknown);
  throw ApplyError(
      "migration " + id(p.version, p.name) + ": " + which + " of its " + p.direction +
          " file was running when the earlier run stopped, and " + probe.reason + ":\n  " + one_line(st.sql) +
          "\nIt is never run twice on a guess. Check the database, then run `schemactl migrate resolve " + p.version +
          " --statement-applied` (it took effect) or `--statement-not-applied` (it did not), " +
          "and `schemactl migrate " + p.direction + "` again.",
      ExitCode::error, ErrorContext{p.file, st.line, 0, st.sql, p.version});
}

void Applier::run_concurrent_index(Planned& p, int index) {
  const std::string& sql = p.statements[static_cast<std::size_t>(index)].sql;
  auto ix = concurrent_index_build(sql);
  if (ix) {
    auto valid = index_valid(conn_, *ix);
    if (valid && !*valid) {
      conn_.execute(drop_invalid_index_sql(conn_, *ix));
      p.notes.push_back("dropped INVALID index " + ix->name + " left by an earlier, failed build, to build it again");
    }
  }
  if (p.direction == "up")
    history_.progress(p.version, index, true);
  else
    history_.down_progress(p.version, index, true);
  exec(p, index);
  if (ix) {
    auto valid = index_valid(conn_, *ix);
    if (!valid || !*valid)
      throw db::DbError(
          "index " + ix->name + (valid ? " is INVALID after the build" : " does not exist after the build"), sql);
  }
}

namespace {

// The server gave up waiting for a lock (Postgres lock_timeout; MySQL family lock_wait_timeout and
// innodb_lock_wait_timeout): the statement did nothing and may be tried again.
bool lock_timeout(const db::DbError& e) {
  return e.sqlstate() == "55P03" || e.code() == 1205;
}

}  // namespace

template <typename F>
void Applier::with_lock_retries(Planned& p, int index, F&& attempt) {
  for (int k = 0;; ++k) {
    try {
      attempt();
      return;
    } catch (const db::DbError& e) {
      if (!lock_timeout(e) || k >= options_.lock_retries || InterruptGuard::requested()) throw;
      long wait_ms = std::min(8000L, 500L << k);
      p.notes.push_back("statement " + std::to_string(index + 1) + " waited too long for a lock (" +
                        one_line(e.what()) + "); try " + std::to_string(k + 2) + " of " +
                        std::to_string(options_.lock_retries + 1) + " after " + std::to_string(wait_ms) + " ms");
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
      while (std::chrono::steady_clock::now() < until && !InterruptGuard::requested())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

void Applier::exec(const Planned& p, int i) {
  const std::string& sql = p.statements[static_cast<std::size_t>(i)].sql;
  if (interrupt_) interrupt_->statement_running(true);
  try {
    conn_.execute(sql);
    if (is_setting(sql)) override_setting(sql);
  } catch (const db::DbError& e) {
    if (interrupt_) interrupt_->statement_running(false);
    // Rolling back, only a statement written with IF EXISTS may find nothing to undo.
    if (p.direction == "down" && absent_error(e) && written_if_exists(sql)) return;
    throw;
  }
  if (interrupt_) interrupt_->statement_running(false);
  if (progress_) progress_->set(static_cast<std::size_t>(i) + 1);
}

long long Applier::exec_count(const Planned& p, int i) {
  const std::string& sql = p.statements[static_cast<std::size_t>(i)].sql;
  if (interrupt_) interrupt_->statement_running(true);
  long long n = 0;
  try {
    n = conn_.execute_count(sql);
  } catch (const db::DbError&) {
    if (interrupt_) interrupt_->statement_running(false);
    throw;
  }
  if (interrupt_) interrupt_->statement_running(false);
  return n;
}

void Applier::run_batches(Planned& p, int i, const std::function<std::string(int)>& aftermath) {
  const Statement& s = p.statements[static_cast<std::size_t>(i)];
  const long limit = s.max_batches > 0 ? s.max_batches : kDefaultMaxBatches;
  long batches = 0, rows = 0;
  if (i == p.resume_from) {
    batches = p.resume_batches;
    rows = p.resume_rows;
  }
  const std::string who = id(p.version, p.name) + " line " + std::to_string(s.line);
  if (batches > 0)
    std::cerr << "schemactl: " << who << ": resuming after " << batches << " batch(es), " << rows << " row(s)\n";
  for (;;) {
    check_interrupt(p, i, aftermath(i));
    if (batches >= limit) {
      history_.mark_failed(p.version, s.sql, "still changing rows after " + std::to_string(batches) + " batches");
      throw ApplyError(who + ": the repeat-until-zero statement still changed rows after " + std::to_string(batches) +
                       " batches (" + std::to_string(rows) +
                       " rows), its bound: it must stop selecting the rows it has changed (a WHERE that excludes "
                       "them) to reach 0; if it only needs more batches, raise the bound with `" +
                       migrate::kRepeatUntilZero + " max-batches=N`. " + aftermath(i));
    }
    long long n = 0;
    try {
      with_lock_retries(p, i, [&] {
        conn_.execute("START TRANSACTION");
        try {
          n = exec_count(p, i);
          history_.batch_progress(p.version, batches + 1, rows + static_cast<long>(n));
          conn_.execute("COMMIT");
        } catch (const db::DbError& e) {
          if (!e.connection_lost()) try {
              conn_.execute("ROLLBACK");
            } catch (const db::DbError&) {
            }
          throw;
        }
      });
    } catch (const db::DbError& e) {
      if (!e.connection_lost()) history_.mark_failed(p.version, s.sql, e.what());
      throw failure(p, i, e, aftermath(i));
    }
    ++batches;
    rows += static_cast<long>(n);
    if (progress_)
      progress_->detail("line " + std::to_string(s.line) + ": batch " + std::to_string(batches) + ", " +
                        std::to_string(rows) + " row(s)");
    if (n == 0) break;
  }
  std::string done = "line " + std::to_string(s.line) + ": repeated until 0 rows: " + std::to_string(batches) +
                     " batch(es), " + std::to_string(rows) + " row(s) changed";
  std::cerr << "schemactl: " << id(p.version, p.name) << " " << done << "\n";
  p.notes.push_back(done);
}

void Applier::run_in_transaction(Planned& p, int from, int to, const std::function<void()>& record,
                                 const std::string& aftermath, bool recorded) {
  // Bounds the transactional part; lifted after it, so that concurrent builds run as long as they need.
  const std::string timeout = statement_timeout_for(p);
  if (!timeout.empty()) conn_.execute("SET statement_timeout = " + timeout);
  int i = from;
  try {
    with_lock_retries(p, i, [&] {
      i = from;
      conn_.execute("BEGIN");
      try {
        for (; i < to; ++i) {
          check_interrupt(p, i, "");
          exec(p, i);
        }
        record();
        conn_.execute("COMMIT");
      } catch (...) {
        try {
          conn_.execute("ROLLBACK");
        } catch (const db::DbError&) {
          // The connection is gone: the server rolls the transaction back itself.
        }
        throw;
      }
    });
  } catch (const ApplyError&) {
    check_interrupt(p, i, aftermath);
    throw;
  } catch (const db::DbError& e) {
    // After the rollback: what failed, for `migrate status`, as the MySQL family records it.
    if (recorded && !e.connection_lost() && i < to) {
      try {
        history_.mark_failed(p.version, p.statements[static_cast<std::size_t>(i)].sql, e.what());
      } catch (const db::DbError&) {
        // The history cannot be written either: the error below says what failed.
      }
    }
    throw failure(p, i, e, aftermath);
  }
  if (!timeout.empty()) conn_.execute("SET statement_timeout = 0");
}

void Applier::run_one_by_one(Planned& p, int from, int to, const std::function<std::string(int)>& aftermath) {
  const bool up = p.direction == "up";
  // Postgres: what runs outside the transaction (concurrent builds) is not bound by statement_timeout.
  if (conn_.transactional_ddl() && !statement_timeout_for(p).empty()) conn_.execute("SET statement_timeout = 0");
  auto record = [&](int applied, bool in_flight) {
    up ? history_.progress(p.version, applied, in_flight) : history_.down_progress(p.version, applied, in_flight);
  };
  for (int i = from; i < to; ++i) {
    const std::string& sql = p.statements[static_cast<std::size_t>(i)].sql;
    check_interrupt(p, i, aftermath(i));
    if (p.statements[static_cast<std::size_t>(i)].repeat_until_zero) {
      run_batches(p, i, aftermath);
      record(i + 1, false);
      continue;
    }
    // Data changes commit in one transaction with their progress; DDL is recorded in flight first.
    bool dml = transactional_dml(conn_, sql);
    try {
      with_lock_retries(p, i, [&] {
        if (dml) {
          conn_.execute("START TRANSACTION");
          try {
            exec(p, i);
            record(i + 1, false);
            conn_.execute("COMMIT");
          } catch (const db::DbError& e) {
            if (!e.connection_lost()) conn_.execute("ROLLBACK");
            throw;
          }
        } else if (conn_.transactional_ddl() && concurrent_index_build(sql)) {
          run_concurrent_index(p, i);
          record(i + 1, false);
        } else {
          record(i, true);
          exec(p, i);
          record(i + 1, false);
        }
      });
    } catch (const db::DbError& e) {
      if (!e.connection_lost()) {
        record(i, false);
        history_.mark_failed(p.version, sql, e.what());
      }
      throw failure(p, i, e,
                    e.connection_lost() && !dml
                        ? "The connection was lost while the statement ran: it may have committed. The history "
                          "records it in flight; the next run checks the catalog before going on."
                        : aftermath(i));
    }
  }
}

void Applier::run_up(Planned& p) {
  auto started = std::chrono::steady_clock::now();
  const int total = static_cast<int>(p.statements.size());
  int i = p.resume_from;
  if (p.recorded) {
    reissue_settings(p, i);
    if (p.in_flight) i = settle_in_flight(p, i);
  }
  auto row = [&](RowState state, int applied) {
    HistoryRow r;
    r.version = p.version;
    r.name = p.name;
    r.checksum = p.checksum;
    r.tool_version = SCHEMACTL_VERSION;
    r.state = state;
    r.statements_applied = applied;
    r.statements_total = total;
    return r;
  };
  std::function<std::string(int)> resume = [&](int next) {
    return "The migration is recorded as partial (" + std::to_string(next) + " of " + std::to_string(total) +
           " statements applied). Either fix the cause and run `schemactl migrate up` to resume at statement " +
           std::to_string(next + 1) +
           "; or run `schemactl migrate down --steps 1` to undo the applied part; or finish it by hand and run "
           "`schemactl migrate resolve " +
           p.version + " --mark-applied`.";
  };
  bool recorded = p.recorded;
  if (conn_.transactional_ddl()) {
    // In file order: each run of statements not marked outside-transaction is one transaction that
    // commits with the history (the first one inserts the row: a failure there leaves no trace);
    // a marked statement runs on its own in between, recorded like the MySQL family's.
    while (i < total) {
      if (p.statements[static_cast<std::size_t>(i)].outside_transaction) {
        if (!recorded) history_.insert(row(RowState::partial, i));
        recorded = true;
        run_one_by_one(p, i, i + 1, resume);
        ++i;
        continue;
      }
      int end = i;
      while (end < total && !p.statements[static_cast<std::size_t>(end)].outside_transaction) ++end;
      const bool first = !recorded;
      run_in_transaction(
          p, i, end,
          [&] {
            if (first)
              history_.insert(row(end == total ? RowState::applied : RowState::partial, end));
            else
              history_.progress(p.version, end, false);
          },
          first ? std::string("Nothing was changed: the transaction was rolled back.") : resume(i), !first);
      recorded = true;
      i = end;
    }
    if (!recorded) history_.insert(row(RowState::applied, 0));  // a file without statements
  } else {
    if (!recorded) history_.insert(row(RowState::partial, 0));
    run_one_by_one(p, i, total, resume);
  }
  history_.mark_applied(p.version, total, elapsed_ms(started));
  p.duration_ms = elapsed_ms(started);
}

void Applier::run_down(Planned& p) {
  auto started = std::chrono::steady_clock::now();
  const int total = static_cast<int>(p.statements.size());
  int i = p.resume_from;
  if (p.resume_from > 0 || p.in_flight) {
    reissue_settings(p, i);
    if (p.in_flight) i = settle_in_flight(p, i);
  }
  auto resume = [&](int next) {
    return "The migration is recorded as rolling_back (" + std::to_string(next) + " of " + std::to_string(total) +
           " down statements done). Fix the cause and run `schemactl migrate down` again to resume at statement " +
           std::to_string(next + 1) + ".";
  };
  if (conn_.transactional_ddl()) {
    // As up: runs of statements in one transaction each, marked ones on their own; the last
    // transaction removes the history row with the last change.
    while (i < total) {
      if (p.statements[static_cast<std::size_t>(i)].outside_transaction) {
        run_one_by_one(p, i, i + 1, resume);
        ++i;
        continue;
      }
      int end = i;
      while (end < total && !p.statements[static_cast<std::size_t>(end)].outside_transaction) ++end;
      const bool last = end == total;
      run_in_transaction(
          p, i, end,
          [&] {
            if (last)
              history_.remove(p.version);
            else
              history_.down_progress(p.version, end, false);
          },
          i == 0 ? std::string("The transaction was rolled back; the migration stays as it was.") : resume(i), true);
      if (last) {
        p.duration_ms = elapsed_ms(started);
        return;
      }
      i = end;
    }
    history_.remove(p.version);
    p.duration_ms = elapsed_ms(started);
    return;
  }
  run_one_by_one(p, i, total, resume);
  history_.remove(p.version);
  p.duration_ms = elapsed_ms(started);
}

// A run that changes the database: under the lock, with signals handled, the table-lock wait
// bounded and the history table in place; what runs is decided under the lock, as a concurrent run
// may have applied everything meanwhile.
std::vector<Planned> Applier::run(bool up) {
  Lock lock(conn_, options_.lock_timeout_seconds);
  InterruptGuard guard([this] { conn_.cancel(); });
  interrupt_ = &guard;
  struct Reset {
    InterruptGuard*& p;
    ~Reset() { p = nullptr; }
  } reset{interrupt_};
  conn_.set_lock_wait_timeout(options_.lock_wait_timeout_seconds);
  history_.create();
  auto plan = up ? select_up(status()) : select_down(status());
  for (auto& p : plan) {
    Progress progress((up ? "migrate up " : "migrate down ") + id(p.version, p.name), p.statements.size(),
                      "statements");
    progress.set(static_cast<std::size_t>(p.resume_from));
    progress_ = &progress;
    struct Forget {
      Progress*& p;
      ~Forget() { p = nullptr; }
    } forget{progress_};
    up ? run_up(p) : run_down(p);
    // A migration's SET / USE must not reach the next one: one run or several give the same schema.
    conn_.reset_session();
    conn_.set_lock_wait_timeout(options_.lock_wait_timeout_seconds);
  }
  return plan;
}

std::vector<Planned> Applier::up() {
  return run(true);
}
std::vector<Planned> Applier::down() {
  return run(false);
}

std::string Applier::resolve(const std::string& version, Resolution how) {
  Lock lock(conn_, options_.lock_timeout_seconds);
  history_.create();
  auto report = status();
  auto it = std::find_if(report.migrations.begin(), report.migrations.end(),
                         [&](const auto& s) { return s.version == version; });
  if (it == report.migrations.end()) throw Error("no migration has version " + version);
  const MigrationStatus& s = *it;
  std::string who = id(s.version, s.name);
  if (!s.file || s.file->up_path.empty())
    throw Error("migration " + version + " has no files in " + dir_.path().string());
  auto refuse = [&](const std::string& why) { return Error("cannot resolve " + who + ": " + why); };
  switch (how.kind) {
    case Resolution::accept_checksum: {
      if (s.status != Status::modified) throw refuse("its up file did not change since it was recorded");
      std::string now = checksum_of(*s.file);
      history_.set_checksum(version, now);
      std::string out = "recorded the changed up file of " + who + " (checksum " + s.row->checksum.substr(0, 12) +
                        "... -> " + now.substr(0, 12) + "...)";
      if (s.row->state != RowState::applied) {
        Planned p = load(*s.file, "up");
        int next = s.row->statements_applied;
        if (next < static_cast<int>(p.statements.size()))
          out += "; `schemactl migrate up` resumes at statement " + std::to_string(next + 1) +
                 " of the changed file:\n  " + one_line(p.statements[static_cast<std::size_t>(next)].sql);
      }
      return out;
    }
    case Resolution::statement_applied:
    case Resolution::statement_not_applied: {
      if (!s.row || (!s.row->in_flight && s.row->state != RowState::unknown))
        throw refuse("no statement of it is in doubt (status " + status_name(s.status) + ")");
      if (s.status == Status::modified) throw refuse("its up file changed; accept or restore it first");
      bool applied = how.kind == Resolution::statement_applied;
      bool down = s.row->rolling_back();
      int done = (down ? s.row->down_applied : s.row->statements_applied) + (applied ? 1 : 0);
      if (down) {
        history_.down_progress(version, done, false);
        return "recorded down statement " + std::to_string(done + (applied ? 0 : 1)) + " of " + who + " as " +
               (applied ? "applied" : "not applied") + "; `schemactl migrate down` resumes at statement " +
               std::to_string(done + 1);
      }
      history_.progress(version, done, false);
      if (done >= s.row->statements_total) {
        history_.mark_applied(version, done, s.row->duration_ms);
        return "recorded the last statement of " + who + " as applied: the migration is applied";
      }
      return "recorded statement " + std::to_string(done + (applied ? 0 : 1)) + " of " + who + " as " +
             (applied ? "applied" : "not applied") + "; `schemactl migrate up` resumes at statement " +
             std::to_string(done + 1);
    }
    case Resolution::mark_applied: {
      if (s.status == Status::pending) {
        HistoryRow row;
        row.version = version;
        row.name = s.name;
        row.checksum = checksum_of(*s.file);
        row.tool_version = SCHEMACTL_VERSION;
        row.statements_total = static_cast<int>(load(*s.file, "up").statements.size());
        row.statements_applied = row.statements_total;
        history_.insert(row);
        return "recorded " + who + " as applied without running it";
      }
      if (s.status != Status::partial)
        throw refuse("it is " + status_name(s.status) + "; --mark-applied takes a partial or pending migration" +
                     (s.status == Status::unknown ? " (decide the statement in doubt first)" : ""));
      if (s.row->in_flight)
        throw refuse("a statement is in flight: decide it first with --statement-applied or --statement-not-applied");
      int total = s.row->statements_total;
      history_.mark_applied(version, total, s.row->duration_ms);
      return "marked " + who + " as applied: statements " + std::to_string(s.row->statements_applied + 1) + " to " +
             std::to_string(total) + " were not run by schemactl and are recorded as done by hand";
    }
  }
  return "";
}

std::string Applier::baseline(const std::string& version) {
  Lock lock(conn_, options_.lock_timeout_seconds);
  auto report = status();
  if (!report.directory_problems.empty())
    throw Error("cannot baseline: " + join(directory_refusals(report, dir_.path().string()), "\n"));
  std::vector<migrate::Migration> upto;
  bool found = false;
  for (const auto& s : report.migrations) {
    if (s.row)
      throw Error("cannot baseline: the history table " + std::string(History::kTable) + " already has rows (" +
                  id(s.version, s.name) + " is " + status_name(s.status) +
                  "); baseline is for a database no migration was recorded in. See `schemactl migrate status`");
    if (!found && s.file) upto.push_back(*s.file);
    if (s.version == version) found = true;
  }
  if (!found) {
    std::vector<std::string> versions;
    for (const auto& s : report.migrations) versions.push_back(s.version);
    throw Error("cannot baseline: no migration has version " + version + " in " + dir_.path().string() +
                (versions.empty() ? " (it holds no migrations)" : " (versions: " + join(versions, ", ") + ")"));
  }
  std::vector<HistoryRow> rows;
  for (const auto& m : upto) {
    HistoryRow row;
    row.version = m.version;
    row.name = m.name;
    row.checksum = checksum_of(m);
    row.tool_version = SCHEMACTL_VERSION;
    row.statements_total = static_cast<int>(load(m, "up").statements.size());
    row.statements_applied = row.statements_total;
    rows.push_back(row);
  }
  history_.create();
  conn_.execute("BEGIN");
  try {
    for (const auto& row : rows) history_.insert(row);
    conn_.execute("COMMIT");
  } catch (...) {
    try {
      conn_.execute("ROLLBACK");
    } catch (const db::DbError&) {
    }
    throw;
  }
  return "recorded " + std::to_string(rows.size()) + " migration(s) up to " +
         id(upto.back().version, upto.back().name) + " as applied without running them";
}

}  // namespace schemactl::apply
