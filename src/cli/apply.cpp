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
    cmd->add_option("--lock-timeout", o.lock_timeout, "Seconds to wait for the migration lock")->capture_default_str();
  };
  o.status_cmd = migrate.add_subcommand("status", "List applied, pending, partial, modified and missing migrations");
  common(o.status_cmd);
  o.status_cmd->add_flag("--exit-code", o.exit_code, "Exit 3 when something is pending (a CI gate)");
  o.plan_cmd =
      migrate.add_subcommand("plan", "Dry run: what `up` (or, with --down, `down`) would run; changes nothing");
  common(o.plan_cmd);
  o.plan_cmd->add_option("--to", o.to, "Plan up to and including this version (with --down: roll back to it)");
  o.plan_cmd->add_flag("--down", o.plan_down, "Plan a rollback instead");
  o.plan_cmd->add_option("--steps", o.steps, "With --down: how many migrations to roll back (default 1)");
  o.plan_cmd->add_flag("--allow-destructive", o.allow_destructive, "With --down: plan through irreversible migrations");
  o.up_cmd = migrate.add_subcommand("up", "Apply pending migrations (resuming a partial one first)");
  common(o.up_cmd);
  o.up_cmd->add_option("--to", o.to, "Apply up to and including this version");
  o.up_cmd->add_flag("--allow-out-of-order", o.allow_out_of_order,
                     "Apply pending migrations older than the newest applied one");
  o.down_cmd = migrate.add_subcommand("down", "Roll back applied migrations, newest first");
  common(o.down_cmd);
  o.down_cmd->add_option("--steps", o.steps, "How many migrations to roll back (default 1)");
  o.down_cmd->add_option("--to", o.to, "Roll back every migration after this version");
  o.down_cmd->add_flag("--allow-destructive", o.allow_destructive,
                       "Roll back through migrations that cannot be fully undone");
  o.resolve_cmd = migrate.add_subcommand("resolve", "Mark a partial (fixed by hand) or pending migration as applied");
  common(o.resolve_cmd);
  o.resolve_cmd->add_option("version", o.resolve_version, "Version to mark")->required();
}

int run_apply(const MigrateOptions& o) {
  std::string raw = o.url;
  if (raw.empty())
    if (const char* env = std::getenv("DATABASE_URL")) raw = env;
  if (raw.empty()) throw Error("no database URL: pass --url or set DATABASE_URL", ExitCode::usage);
  db::DatabaseUrl url = db::parse_database_url(raw);
  if (!o.dialect.empty() && o.dialect != dialect_name(url.dialect))
    throw Error(
        "--dialect " + o.dialect + " does not match " + url.redacted() + " (a " + dialect_name(url.dialect) + " URL)",
        ExitCode::usage);
  apply::Format format = o.format == "json"       ? apply::Format::json
                         : o.format == "markdown" ? apply::Format::markdown
                                                  : apply::Format::text;
  auto conn = db::connect(url);
  apply::Options options;
  options.lock_timeout_seconds = o.lock_timeout;
  options.allow_out_of_order = o.allow_out_of_order;
  options.allow_destructive = o.allow_destructive;
  options.to = o.to;
  options.steps = o.steps;
  apply::Applier applier(*conn, o.migrations_dir, options);
  std::string where = url.redacted();
  if (o.status_cmd->parsed()) {
    auto states = applier.status();
    std::cout << apply::render_status(states, format, where);
    bool pending = false;
    for (const auto& s : states)
      pending = pending || s.status == apply::Status::pending || s.status == apply::Status::partial;
    return o.exit_code && pending ? static_cast<int>(ExitCode::pending) : 0;
  }
  if (o.plan_cmd->parsed()) {
    std::cout << apply::render_run(o.plan_down ? applier.plan_down() : applier.plan_up(), format, where, "plan");
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
  std::cout << applier.resolve(o.resolve_version) << "\n";
  return 0;
}

}  // namespace schemactl::cli
