#include "apply/applier.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "migrate/writer.hpp"
#include "output/fileset.hpp"
#include "util/text.hpp"

namespace schemactl::apply {

namespace {

std::string read_text(const std::filesystem::path& p) {
  std::string text;
  if (!read_file(p, text)) throw Error("cannot read " + p.string());
  return text;
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s.size() > 300 ? s.substr(0, 297) + "..." : s;
}

// MySQL-family errors that mean "already undone" while rolling back (a key, column or table that is
// not there): a down file re-run after an interrupted rollback skips them.
bool already_absent(const db::DbError& e) {
  return e.code() == 1091 || e.code() == 1051 || e.code() == 1146;
}

long elapsed_ms(std::chrono::steady_clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count());
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
    case Status::modified:
      return "modified";
    case Status::missing:
      return "missing";
  }
  return "?";
}

std::string checksum_of(const migrate::Migration& m) {
  return sha256_hex(read_text(m.up_path));
}

Applier::Applier(db::Connection& conn, std::filesystem::path root, Options options)
    : conn_(conn), dir_(std::move(root), conn.dialect()), options_(std::move(options)), history_(conn) {}

std::vector<MigrationStatus> Applier::status() {
  std::map<std::string, MigrationStatus> by_version;
  for (const auto& m : dir_.list()) {
    MigrationStatus& s = by_version[m.version];
    s.version = m.version;
    s.name = m.name;
    s.file = m;
  }
  for (const auto& row : history_.rows()) {
    MigrationStatus& s = by_version[row.version];
    s.version = row.version;
    if (s.name.empty()) s.name = row.name;
    s.row = row;
  }
  std::vector<MigrationStatus> out;
  for (auto& [version, s] : by_version) {
    if (!s.row)
      s.status = Status::pending;
    else if (!s.file)
      s.status = Status::missing;
    else if (checksum_of(*s.file) != s.row->checksum)
      s.status = Status::modified;
    else if (s.row->state == "partial")
      s.status = Status::partial;
    else
      s.status = Status::applied;
    out.push_back(std::move(s));
  }
  return out;
}

Planned Applier::load(const migrate::Migration& m, const std::string& direction) {
  Planned p;
  p.version = m.version;
  p.name = m.name;
  p.direction = direction;
  p.checksum = checksum_of(m);
  const auto& path = direction == "up" ? m.up_path : m.down_path;
  std::string text = read_text(path);
  std::vector<Statement> statements;
  try {
    statements = split_statements(text, conn_.dialect());
  } catch (const Error& e) {
    throw Error(path.string() + ": " + e.what());
  }
  // Postgres runs a migration in three groups: before the transaction, the session settings and the
  // statements marked outside-transaction that come first (ALTER TYPE ... ADD VALUE: a value cannot
  // be used in the transaction that adds it); then the transaction; then the remaining marked ones
  // (CREATE / DROP INDEX CONCURRENTLY).
  if (conn_.transactional_ddl()) {
    std::vector<Statement> before, inside, after;
    for (auto& s : statements) {
      bool setting = starts_with(to_upper(s.sql), "SET ");
      if (inside.empty() && (s.outside_transaction || setting))
        before.push_back(std::move(s));
      else if (s.outside_transaction)
        after.push_back(std::move(s));
      else
        inside.push_back(std::move(s));
    }
    p.tx_begin = static_cast<int>(before.size());
    p.tx_end = p.tx_begin + static_cast<int>(inside.size());
    statements.clear();
    for (auto* group : {&before, &inside, &after})
      for (auto& s : *group) statements.push_back(std::move(s));
  }
  p.statements = std::move(statements);
  const std::string marker = migrate::kIrreversible;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (starts_with(line, marker)) p.warnings.push_back("IRREVERSIBLE:" + line.substr(marker.size()));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (text.find("-- DESTRUCTIVE") != std::string::npos)
    p.warnings.push_back("DESTRUCTIVE: can lose data (see the file's header)");
  if (direction == "down" && text.find("cannot bring back") != std::string::npos)
    p.warnings.push_back("LOSES DATA: " + path.filename().string() + " lists what it cannot bring back");
  for (const auto& s : p.statements)
    if (s.outside_transaction) {
      p.warnings.push_back("LOCKING: line " + std::to_string(s.line) +
                           " runs outside the transaction: " + one_line(s.sql));
    } else if (to_upper(s.sql).find("ALTER TABLE") != std::string::npos &&
               (to_upper(s.sql).find(" TYPE ") != std::string::npos ||
                to_upper(s.sql).find("MODIFY COLUMN") != std::string::npos)) {
      p.warnings.push_back("LOCKING: line " + std::to_string(s.line) + " may rewrite the table: " + one_line(s.sql));
    }
  return p;
}

std::vector<Planned> Applier::select_up(const std::vector<MigrationStatus>& states) {
  std::vector<std::string> refusals;
  std::string newest_applied;
  for (const auto& s : states) {
    if (s.status == Status::modified)
      refusals.push_back("migration " + s.version + "_" + s.name +
                         " was applied, but its up file changed since (checksum " + s.row->checksum.substr(0, 12) +
                         "..., now " + checksum_of(*s.file).substr(0, 12) + "...)");
    if (s.status == Status::missing)
      refusals.push_back("migration " + s.version + "_" + s.row->name +
                         " was applied, but its files are missing from " + dir_.path().string());
    if (s.row) newest_applied = std::max(newest_applied, s.version);
  }
  std::vector<Planned> out;
  for (const auto& s : states) {
    bool wanted = options_.to.empty() || s.version <= options_.to;
    if (s.status == Status::partial) {
      Planned p = load(*s.file, "up");
      p.resume_from = s.row->statements_applied;
      p.recorded = true;
      out.push_back(std::move(p));
    } else if (s.status == Status::pending && wanted) {
      if (s.version < newest_applied && !options_.allow_out_of_order)
        refusals.push_back("migration " + s.version + "_" + s.name +
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

std::vector<Planned> Applier::select_down(const std::vector<MigrationStatus>& states) {
  std::vector<std::string> refusals;
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
    if (s.status == Status::missing) {
      refusals.push_back("migration " + s.version + "_" + s.name + " has no down file in " + dir_.path().string());
      continue;
    }
    if (s.status == Status::modified)
      refusals.push_back("migration " + s.version + "_" + s.name +
                         " changed since it was applied; its down file may not match what ran");
    Planned p = load(*s.file, "down");
    for (const auto& w : p.warnings)
      if (starts_with(w, "IRREVERSIBLE") && !options_.allow_destructive)
        refusals.push_back("migration " + s.version + "_" + s.name + " cannot be fully undone (" + w.substr(13) +
                           "); pass --allow-destructive to roll back what can be");
    out.push_back(std::move(p));
  }
  if (!refusals.empty()) throw Error("refusing to migrate down:\n  " + join(refusals, "\n  "));
  return out;
}

std::vector<Planned> Applier::plan_up() {
  return select_up(status());
}
std::vector<Planned> Applier::plan_down() {
  return select_down(status());
}

// Holds the migration lock for a scope; releasing it is best-effort, as a lost session has
// released it already.
class Applier::Lock {
 public:
  Lock(db::Connection& conn, int timeout_seconds) : conn_(conn) {
    if (!conn_.try_lock(timeout_seconds))
      throw Error("another schemactl holds the migration lock on " + conn_.url().redacted() + "; gave up after " +
                  std::to_string(std::max(1, timeout_seconds)) + " s (--lock-timeout)");
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
      p.direction == "up" ? "migration " + p.version + "_" + p.name : "rolling back " + p.version + "_" + p.name;
  return ApplyError(what + " failed at statement " + std::to_string(index + 1) + " of " +
                    std::to_string(p.statements.size()) + " (line " + std::to_string(s.line) + " of its " +
                    p.direction + " file):\n  " + one_line(s.sql) + "\n" + conn_.url().redacted() +
                    " said: " + one_line(e.what()) + "\n" + aftermath);
}

void Applier::run_up(Planned& p) {
  const bool resuming = p.recorded;
  const std::string& checksum = p.checksum;
  auto started = std::chrono::steady_clock::now();
  const int total = static_cast<int>(p.statements.size());
  auto fail = [&](int index, const db::DbError& e, const std::string& aftermath) {
    return failure(p, index, e, aftermath);
  };
  if (conn_.transactional_ddl()) {
    const int in_tx = p.tx_end;
    int i = p.resume_from;
    if (!resuming) {
      for (; i < p.tx_begin; ++i) {
        try {
          conn_.execute(p.statements[static_cast<std::size_t>(i)].sql);
        } catch (const db::DbError& e) {
          throw fail(i, e, "Nothing was recorded; these statements are safe to run again.");
        }
      }
      // The migration and its history row commit together, or not at all.
      conn_.execute("BEGIN");
      for (; i < in_tx; ++i) {
        try {
          conn_.execute(p.statements[static_cast<std::size_t>(i)].sql);
        } catch (const db::DbError& e) {
          try {
            conn_.execute("ROLLBACK");
          } catch (const db::DbError&) {
            // The connection is gone: the server rolls the transaction back itself.
          }
          throw fail(i, e, "Nothing was changed: the transaction was rolled back.");
        }
      }
      HistoryRow row{p.version, p.name, checksum, "", 0, SCHEMACTL_VERSION, in_tx == total ? "applied" : "partial",
                     in_tx,     total,  "",       ""};
      history_.insert(row);
      conn_.execute("COMMIT");
    }
    for (i = std::max(i, in_tx); i < total; ++i) {
      try {
        conn_.execute(p.statements[static_cast<std::size_t>(i)].sql);
        history_.update_progress(p.version, i + 1);
      } catch (const db::DbError& e) {
        if (!e.connection_lost())
          history_.mark_failed(p.version, i, p.statements[static_cast<std::size_t>(i)].sql, e.what());
        throw fail(i, e,
                   "The transactional part is committed; the migration is recorded as partial. Fix the cause and run "
                   "`schemactl migrate up` to resume, or `schemactl migrate down --steps 1` to undo it.");
      }
    }
    history_.mark_applied(p.version, total, elapsed_ms(started));
  } else {
    // DDL commits statement by statement: progress is recorded after each one.
    if (!resuming)
      history_.insert(HistoryRow{p.version, p.name, checksum, "", 0, SCHEMACTL_VERSION, "partial", 0, total, "", ""});
    for (int i = p.resume_from; i < total; ++i) {
      try {
        conn_.execute(p.statements[static_cast<std::size_t>(i)].sql);
        history_.update_progress(p.version, i + 1);
      } catch (const db::DbError& e) {
        if (!e.connection_lost())
          history_.mark_failed(p.version, i, p.statements[static_cast<std::size_t>(i)].sql, e.what());
        throw fail(
            i, e,
            "The migration is recorded as partial (" + std::to_string(i) + " of " + std::to_string(total) +
                " statements applied). Either fix the cause and run `schemactl migrate up` to resume at statement " +
                std::to_string(i + 1) +
                "; or run `schemactl migrate down --steps 1` to undo the applied part; "
                "or finish it by hand and run `schemactl migrate resolve " +
                p.version + "`.");
      }
    }
    history_.mark_applied(p.version, total, elapsed_ms(started));
  }
  p.duration_ms = elapsed_ms(started);
}

void Applier::run_down(Planned& p) {
  auto started = std::chrono::steady_clock::now();
  const int total = static_cast<int>(p.statements.size());
  auto fail = [&](int index, const db::DbError& e, const std::string& aftermath) {
    return failure(p, index, e, aftermath);
  };
  if (conn_.transactional_ddl()) {
    const int outside = p.tx_begin;
    for (int i = 0; i < outside; ++i) {
      try {
        conn_.execute(p.statements[static_cast<std::size_t>(i)].sql);
      } catch (const db::DbError& e) {
        throw fail(i, e, "The migration stays recorded as applied; its down file can be run again.");
      }
    }
    conn_.execute("BEGIN");
    for (int i = outside; i < p.tx_end; ++i) {
      try {
        conn_.execute(p.statements[static_cast<std::size_t>(i)].sql);
      } catch (const db::DbError& e) {
        try {
          conn_.execute("ROLLBACK");
        } catch (const db::DbError&) {
        }
        throw fail(i, e, "The transaction was rolled back; the migration stays recorded as applied.");
      }
    }
    history_.remove(p.version);
    conn_.execute("COMMIT");
    for (int i = p.tx_end; i < total; ++i) {
      try {
        conn_.execute(p.statements[static_cast<std::size_t>(i)].sql);
      } catch (const db::DbError& e) {
        throw fail(i, e, "The rest of the rollback is committed; run this statement by hand.");
      }
    }
  } else {
    for (int i = 0; i < total; ++i) {
      try {
        conn_.execute(p.statements[static_cast<std::size_t>(i)].sql);
      } catch (const db::DbError& e) {
        if (already_absent(e)) continue;  // undone before (an interrupted rollback, or a partial up)
        throw fail(i, e,
                   "The migration stays recorded; fix the cause and run `schemactl migrate down` again "
                   "(statements already undone are skipped).");
      }
    }
    history_.remove(p.version);
  }
  p.duration_ms = elapsed_ms(started);
}

std::vector<Planned> Applier::up() {
  Lock lock(conn_, options_.lock_timeout_seconds);
  history_.create();
  // Decided under the lock: a concurrent run may have applied everything meanwhile.
  auto plan = select_up(status());
  for (auto& p : plan) run_up(p);
  return plan;
}

std::vector<Planned> Applier::down() {
  Lock lock(conn_, options_.lock_timeout_seconds);
  auto plan = select_down(status());
  for (auto& p : plan) run_down(p);
  return plan;
}

std::string Applier::resolve(const std::string& version) {
  Lock lock(conn_, options_.lock_timeout_seconds);
  history_.create();
  std::string message;
  bool found = false;
  for (const auto& s : status()) {
    if (s.version != version) continue;
    found = true;
    if (!s.file) throw Error("migration " + version + " has no files in " + dir_.path().string());
    int total = static_cast<int>(load(*s.file, "up").statements.size());
    if (s.status == Status::partial) {
      history_.mark_applied(version, total, s.row->duration_ms);
      message = "marked " + version + "_" + s.name + " as applied (it was partial at statement " +
                std::to_string(s.row->statements_applied + 1) + " of " + std::to_string(total) + ")";
    } else if (s.status == Status::pending) {
      history_.insert(
          HistoryRow{version, s.name, checksum_of(*s.file), "", 0, SCHEMACTL_VERSION, "applied", total, total, "", ""});
      message = "recorded " + version + "_" + s.name + " as applied without running it";
    } else {
      throw Error("migration " + version + "_" + s.name + " is " + status_name(s.status) +
                  "; only a partial or pending migration can be resolved");
    }
  }
  if (!found) throw Error("no migration has version " + version);
  return message;
}

}  // namespace schemactl::apply
