// `schemactl migrate status | plan | up | down | resolve --url URL`: the applier on a live database.
#include <cstdlib>
#include <iostream>

#include "apply/applier.hpp"
#include "apply/report.hpp"
#include "cli/commands.hpp"
#include "db/connection.hpp"

namespace schemactl::cli {

void setup_apply(CLI::App& migrate, MigrateOptions& o) {
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--url", o.url,
                    "Database URL (postgres://, postgresql://, mysql://, tidb://); default: $DATABASE_URL");
    cmd->add_option("--migrations", o.migrations_dir, "Migrations directory")->capture_default_str();
    cmd->add_option("--dialect", o.dialect, "postgres or tidb (default: from the URL)")
        ->check(CLI::IsMember({"postgres", "tidb"}));
    cmd->add_option("--format", o.format, "Output: text, json or markdown")
        ->check(CLI::IsMember({"text", "json", "markdown"}))
        ->capture_default_str();
    cmd->add_option("--lock-timeout", o.lock_timeout, "Seconds to wait for the migration lock")
        ->capture_default_str()
        ->check(CLI::Range(1, 86400));
    cmd->add_option("--lock-wait-timeout", o.lock_wait_timeout,
                    "Seconds one statement may wait for a table lock held by another session")
        ->capture_default_str()
        ->check(CLI::Range(1, 86400));
    cmd->add_option("--lock-retries", o.lock_retries,
                    "After a lock timeout, try the statement (Postgres: its transaction) again this many times, "
                    "waiting 0.5 s, 1 s, 2 s ... between tries")
        ->capture_default_str()
        ->check(CLI::Range(0, 20));
    cmd->add_option("--statement-timeout", o.statement_timeout,
                    "Postgres: seconds any statement of the transactional part may run (0: as the file or the "
                    "server says); lifted for concurrent index builds")
        ->capture_default_str()
        ->check(CLI::Range(0, 86400 * 7));
  };
  o.status_cmd = migrate.add_subcommand("status", "List applied, pending, partial, modified and missing migrations");
  common(o.status_cmd);
  o.status_cmd->add_flag("--exit-code", o.exit_code,
                         "Exit 3 when migrations are pending or partial, 1 when a person must decide something "
                         "(unknown, rolling_back, modified, missing, a problem in migrations/ or the catalog)");
  o.plan_cmd =
      migrate.add_subcommand("plan", "Dry run: what `up` (or, with --down, `down`) would run; changes nothing");
  common(o.plan_cmd);
  auto* plan_to =
      o.plan_cmd->add_option("--to", o.to, "Plan up to and including this version (with --down: roll back to it)");
  o.plan_cmd->add_flag("--down", o.plan_down, "Plan a rollback instead");
  o.plan_cmd->add_option("--steps", o.steps, "With --down: how many migrations to roll back (default 1)")
      ->check(CLI::Range(1, 1000000))
      ->excludes(plan_to);
  o.plan_cmd->add_flag("--allow-destructive", o.allow_destructive, "With --down: plan through irreversible migrations");
  o.up_cmd = migrate.add_subcommand("up", "Apply pending migrations (resuming a partial one first)");
  common(o.up_cmd);
  o.up_cmd->add_option("--to", o.to, "Apply up to and including this version");
  o.up_cmd->add_flag("--allow-out-of-order", o.allow_out_of_order,
                     "Apply pending migrations older than the newest applied one");
  o.down_cmd = migrate.add_subcommand("down", "Roll back applied migrations, newest first");
  common(o.down_cmd);
  auto* steps = o.down_cmd->add_option("--steps", o.steps, "How many migrations to roll back (default 1)")
                    ->check(CLI::Range(1, 1000000));
  o.down_cmd->add_option("--to", o.to, "Roll back every migration after this version")->excludes(steps);
  o.down_cmd->add_flag("--allow-destructive", o.allow_destructive,
                       "Roll back through migrations that cannot be fully undone");
  o.resolve_cmd = migrate.add_subcommand("resolve", "Record what a person decided about a migration");
  common(o.resolve_cmd);
  o.resolve_cmd->add_option("version", o.resolve_version, "Version to resolve")->required();
  auto* a = o.resolve_cmd->add_flag("--statement-applied", o.statement_applied,
                                    "The statement in doubt (status unknown, or in flight) did take effect");
  auto* b = o.resolve_cmd->add_flag("--statement-not-applied", o.statement_not_applied,
                                    "The statement in doubt did not take effect: it runs on the next up/down");
  auto* c = o.resolve_cmd->add_flag("--mark-applied", o.mark_applied,
                                    "Record a partial (finished by hand) or pending migration as applied");
  auto* d = o.resolve_cmd->add_flag("--accept-checksum", o.accept_checksum,
                                    "Accept the changed up file of a recorded migration (a fixed partial migration)");
  a->excludes(b)->excludes(c)->excludes(d);
  b->excludes(c)->excludes(d);
  c->excludes(d);
  o.baseline_cmd = migrate.add_subcommand(
      "baseline",
      "Record an existing database as being at VERSION without running anything, once `diff` shows it matches");
  common(o.baseline_cmd);
  o.baseline_cmd->add_option("version", o.baseline_version, "The migration the database is at")->required();
  o.baseline_cmd->add_flag("--force", o.force, "Record it even though the database differs from the state at VERSION");
}

db::DatabaseUrl database_url(const std::string& given, const std::string& dialect) {
  std::string raw = given;
  if (raw.empty())
    if (const char* env = std::getenv("DATABASE_URL")) raw = env;
  if (raw.empty()) throw Error("no database URL: pass --url or set DATABASE_URL", ExitCode::usage);
  db::DatabaseUrl url = db::parse_database_url(raw);
  if (!dialect.empty() && dialect != dialect_name(url.dialect))
    throw Error(
        "--dialect " + dialect + " does not match " + url.redacted() + " (a " + dialect_name(url.dialect) + " URL)",
        ExitCode::usage);
  return url;
}

int run_apply(const MigrateOptions& o) {
  if (o.baseline_cmd->parsed()) return run_baseline(o);
  db::DatabaseUrl url = database_url(o.url, o.dialect);
  apply::Format format = o.format == "json"       ? apply::Format::json
                         : o.format == "markdown" ? apply::Format::markdown
                                                  : apply::Format::text;
  auto conn = db::connect(url);
  apply::Options options;
  options.lock_timeout_seconds = o.lock_timeout;
  options.lock_wait_timeout_seconds = o.lock_wait_timeout;
  options.lock_retries = o.lock_retries;
  options.statement_timeout_seconds = o.statement_timeout;
  for (CLI::App* cmd : {o.status_cmd, o.plan_cmd, o.up_cmd, o.down_cmd, o.resolve_cmd})
    if (cmd->parsed()) {
      options.lock_wait_timeout_given = cmd->get_option("--lock-wait-timeout")->count() > 0;
      options.statement_timeout_given = cmd->get_option("--statement-timeout")->count() > 0;
    }
  options.allow_out_of_order = o.allow_out_of_order;
  options.allow_destructive = o.allow_destructive;
  options.to = o.to;
  options.steps = o.steps;
  apply::Applier applier(*conn, o.migrations_dir, options);
  std::string where = url.redacted();
  if (o.status_cmd->parsed()) {
    auto report = applier.status();
    std::cout << apply::render_status(report, format, where);
    bool pending = false, person = !report.directory_problems.empty() || !report.catalog_problems.empty();
    for (const auto& s : report.migrations) {
      pending = pending || s.status == apply::Status::pending || s.status == apply::Status::partial;
      person = person || apply::needs_person(s.status);
    }
    if (!o.exit_code) return 0;
    return static_cast<int>(person ? ExitCode::error : pending ? ExitCode::pending : ExitCode::ok);
  }
  if (o.plan_cmd->parsed()) {
    std::cout << apply::render_run(o.plan_down ? applier.plan_down() : applier.plan_up(), format, where, "plan");
    if (format != apply::Format::json)
      for (const auto& p : applier.status().catalog_problems) std::cout << "  ! " << p << "\n";
    return 0;
  }
  if (o.up_cmd->parsed()) {
    std::cout << apply::render_run(applier.up(), format, where, "up");
    return 0;
  }
  if (o.down_cmd->parsed()) {
    std::cout << apply::render_run(applier.down(), format, where, "down");
    return 0;
  }
  apply::Resolution how{o.statement_applied       ? apply::Resolution::statement_applied
                        : o.statement_not_applied ? apply::Resolution::statement_not_applied
                        : o.mark_applied          ? apply::Resolution::mark_applied
                        : o.accept_checksum       ? apply::Resolution::accept_checksum
                                                  : throw Error("migrate resolve " + o.resolve_version +
                                                                    ": say what to record: --statement-applied, "
                                                                          "--statement-not-applied, --mark-applied or "
                                                                          "--accept-checksum (see README, \"Recovering\")",
                                                                ExitCode::usage)};
  std::cout << applier.resolve(o.resolve_version, how) << "\n";
  return 0;
}

}  // namespace schemactl::cli
