// `schemactl migrate new | check | hash | rebase | rm`.
#include <cstdlib>
#include <iostream>

#include "apply/history.hpp"
#include "cli/commands.hpp"
#include "codegen/headers.hpp"
#include "db/connection.hpp"
#include "db/url.hpp"
#include "drift/replay.hpp"
#include "migrate/directory.hpp"
#include "migrate/lineage.hpp"
#include "migrate/new_migration.hpp"
#include "migrate/rebase.hpp"
#include "migrate/remove.hpp"
#include "migrate/sum.hpp"
#include "output/generate.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::cli {

void setup_migrate(CLI::App& app, MigrateOptions& o) {
  auto* migrate = app.add_subcommand("migrate", "Incremental migrations");
  migrate->require_subcommand(1);
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--schema", o.schema_dir, "Registry directory")->capture_default_str();
    cmd->add_option("--migrations", o.migrations_dir, "Migrations directory")->capture_default_str();
  };
  o.new_cmd = migrate->add_subcommand(
      "new", "Diff the registry against the last migration; write up/down SQL for every dialect");
  common(o.new_cmd);
  o.new_cmd->add_option("name", o.name, "What the migration does, e.g. add_moment_fields")->required();
  o.new_cmd->add_flag("--empty", o.empty, "Write a blank up/down pair for a hand-written (data) migration");
  o.new_cmd->add_flag("--allow-destructive", o.allow_destructive, "Plan changes that can lose data (drops, narrowing)");
  o.new_cmd->add_flag("--allow-rewrite", o.allow_rewrite,
                      "Postgres: plan changes that rewrite or scan a table under ACCESS EXCLUSIVE (a type change "
                      "that is not binary-compatible, a column added with a volatile default)");
  o.new_cmd->add_option("--version", o.version, "Version (YYYYMMDD_HHMMSS); default: now, in UTC");
  o.check_cmd = migrate->add_subcommand(
      "check",
      "CI gate: exit 3 if a registry change has no migration, generated/ is stale, or a migration file changed");
  common(o.check_cmd);
  o.check_cmd->add_option("--out", o.out_dir, "Generated directory to check")->capture_default_str();
  o.check_cmd->add_option("--templates", o.templates_dir,
                          "Template directory (default: the templates built into schemactl)");
  o.check_cmd->add_option("--scratch-url", o.scratch_urls,
                          "Also run every up and then every down on this empty database (one per dialect; never "
                          "$DATABASE_URL) and compare what they build with snapshot.json, as `diff --url` does");
  o.hash_cmd = migrate->add_subcommand(
      "hash", "Rewrite schemactl.sum for the files as they are (after editing a hand-written migration)");
  o.hash_cmd->add_option("--migrations", o.migrations_dir, "Migrations directory")->capture_default_str();
  o.rebase_cmd = migrate->add_subcommand(
      "rebase", "After a merge: re-plan a migration planned from the same state as another on top of the latest one");
  common(o.rebase_cmd);
  o.rebase_cmd
      ->add_option("version", o.target_version,
                   "Version of the later of the two migrations (VERSION_NAME when both have the same version)")
      ->required();
  o.rebase_cmd->add_flag("--allow-destructive", o.allow_destructive, "Plan changes that can lose data");
  o.rebase_cmd->add_flag("--allow-rewrite", o.allow_rewrite,
                         "Postgres: plan changes that rewrite or scan a table under ACCESS EXCLUSIVE");
  o.rm_cmd = migrate->add_subcommand(
      "rm", "Remove the latest migration (not applied anywhere yet); snapshot.json and schemactl.sum follow");
  o.rm_cmd->add_option("--migrations", o.migrations_dir, "Migrations directory")->capture_default_str();
  o.rm_cmd->add_option("version", o.target_version, "Version of the migration to remove")->required();
  o.rm_cmd->add_option("--url", o.url, "Refuse when this database has applied (or started) the migration");
  setup_apply(*migrate, o);
}

namespace {

int run_new(const MigrateOptions& o) {
  migrate::NewOptions options;
  options.name = o.name;
  options.version = o.version;
  options.empty = o.empty;
  options.allow_destructive = o.allow_destructive;
  options.allow_rewrite = o.allow_rewrite;
  migrate::NewResult result = migrate::plan_new_migration(
      [&] { return compile_registry(registry::read_registry_dir(o.schema_dir)); }, o.migrations_dir, options);
  if (result.nothing_to_do) {
    std::cout << "nothing to do: the registry matches the latest migration (no files written)\n";
    return 0;
  }
  migrate::write_new_migration(result, o.migrations_dir);
  for (const auto& [path, content] : result.files)
    if (path.size() > 4 && path.compare(path.size() - 4, 4, ".sql") == 0)
      std::cout << "wrote " << o.migrations_dir << "/" << path << "\n";
  for (const auto& [dialect, plan] : result.plans) {
    std::cout << dialect_name(dialect) << ": " << plan.steps.size() << " step(s)";
    if (plan.destructive()) std::cout << ", DESTRUCTIVE";
    if (!plan.reversible()) std::cout << ", not fully reversible";
    std::cout << "\n";
    for (const auto& s : plan.steps)
      std::cout << "  " << s.what << (s.destructive ? "  [destructive]" : "") << (s.rewrites ? "  [rewrites]" : "")
                << "\n";
  }
  return 0;
}

int run_check(const MigrateOptions& o) {
  Compiled compiled = compile_registry(registry::read_registry_dir(o.schema_dir));
  std::vector<std::string> problems;
  diff::Renames renames = migrate::declared_renames(compiled.registry);
  for (DialectId d : kAllDialects) {
    migrate::Directory dir(o.migrations_dir, d);
    // Two branches that each planned a migration from one state: the sum and the snapshot can only
    // be wrong after such a merge; `migrate rebase` rewrites both, so that is all there is to say.
    std::vector<migrate::LineageEntry> lineages;
    try {
      lineages = migrate::read_lineages(dir.scan().migrations);
    } catch (const Error&) {
    }
    auto forks = migrate::find_forks(lineages);
    for (const auto& f : forks)
      problems.push_back(dialect_name(d) + ": two migrations were planned from the same snapshot (" +
                         f.parent.substr(0, 12) + ", after " + f.after + "), on parallel branches: " + f.first.id() +
                         " and " + f.later.id() +
                         "; re-plan the later one on top of the other with `schemactl migrate rebase " +
                         (f.later.version == f.first.version ? f.later.id() : f.later.version) +
                         "` (it also rewrites snapshot.json and " + migrate::Directory::kSum + ")");
    if (!forks.empty()) continue;
    for (const auto& b : migrate::chain_breaks(lineages)) problems.push_back(dialect_name(d) + ": " + b);
    bool layout_ok = true;
    for (const auto& p : migrate::verify_sum(dir)) {
      problems.push_back(dialect_name(d) + ": " + p.message);
      if (p.kind == migrate::SumProblem::Kind::layout) layout_ok = false;
    }
    if (!layout_ok) continue;  // the snapshot cannot be trusted to belong to the listed migrations
    auto changes = diff::diff(dir.snapshot(), compiled.schemas.at(d), renames);
    if (!changes.empty()) {
      std::string list;
      for (const auto& c : changes) list += "\n    " + diff::describe(c);
      problems.push_back(dialect_name(d) +
                         ": the registry has changes no migration captures (run `schemactl migrate new NAME`):" + list);
    }
  }
  std::vector<db::DatabaseUrl> scratch;
  for (const auto& given : o.scratch_urls) {
    db::DatabaseUrl url = db::parse_database_url(given);
    for (const auto& other : scratch)
      if (other.dialect == url.dialect)
        throw Error("--scratch-url: " + other.redacted() + " and " + url.redacted() + " are both " +
                        dialect_name(url.dialect) + " databases; give one scratch database per dialect",
                    ExitCode::usage);
    scratch.push_back(url);
  }
  for (const auto& url : scratch) {
    auto conn = db::connect(url);
    migrate::Directory dir(o.migrations_dir, url.dialect);
    drift::ReplayReport report = drift::replay(*conn, o.migrations_dir, dir.snapshot());
    for (const auto& p : drift::replay_problems(report))
      problems.push_back(db::redact(dialect_name(url.dialect) + " (replayed on " + url.redacted() + "): " + p, url));
    if (report.clean())
      std::cout << dialect_name(url.dialect) << ": " << report.migrations << " migrations replayed on "
                << url.redacted() << ": every up builds snapshot.json, every down gives back what its up found\n";
  }
  FileSet files = generate_outputs(compiled, codegen::find_templates(o.templates_dir));
  for (const auto& d : files.compare(o.out_dir))
    problems.push_back(o.out_dir + "/" + d.path + ": " + d.what + " (run `schemactl generate`)");
  if (problems.empty()) {
    std::cout << "migrations and " << o.out_dir << " are consistent with the registry\n";
    return 0;
  }
  for (const auto& p : problems) std::cerr << p << "\n";
  return static_cast<int>(ExitCode::pending);
}

int run_hash(const MigrateOptions& o) {
  auto changes = migrate::rehash(o.migrations_dir);
  write_staged(o.migrations_dir, changes);
  for (const auto& c : changes) std::cout << "wrote " << o.migrations_dir << "/" << c.path << "\n";
  if (changes.empty()) std::cout << "every " << migrate::Directory::kSum << " is up to date (no files written)\n";
  return 0;
}

int run_rebase(const MigrateOptions& o) {
  migrate::RebaseOptions options;
  options.version = o.target_version;
  options.allow_destructive = o.allow_destructive;
  options.allow_rewrite = o.allow_rewrite;
  auto result = migrate::plan_rebase([&] { return compile_registry(registry::read_registry_dir(o.schema_dir)); },
                                     o.migrations_dir, options);
  write_staged(o.migrations_dir, result.changes);
  for (const auto& line : result.lines) std::cout << line << "\n";
  for (const auto& c : result.changes)
    std::cout << (c.content ? "wrote " : "removed ") << o.migrations_dir << "/" << c.path << "\n";
  return 0;
}

// With --url: the migration must not be in that database's history (applied, partial or anything).
void refuse_if_recorded(const std::string& raw_url, const std::string& version, const std::string& id) {
  db::DatabaseUrl url = db::parse_database_url(raw_url);
  auto conn = db::connect(url);
  apply::History history(*conn);
  for (const auto& row : history.rows())
    if (row.version == version)
      throw Error("migrate rm: " + url.redacted() + " has " + id + " in its history (state " +
                  apply::row_state_name(row.state) + "): roll it back there first (`migrate down`), then remove it");
}

int run_rm(const MigrateOptions& o) {
  auto result = migrate::plan_remove(o.migrations_dir, o.target_version);
  if (!o.url.empty()) refuse_if_recorded(o.url, o.target_version, result.id);
  write_staged(o.migrations_dir, result.changes);
  for (const auto& c : result.changes)
    std::cout << (c.content ? "wrote " : "removed ") << o.migrations_dir << "/" << c.path << "\n";
  return 0;
}

}  // namespace

int run_migrate(const MigrateOptions& o) {
  if (o.new_cmd->parsed()) return run_new(o);
  if (o.check_cmd->parsed()) return run_check(o);
  if (o.hash_cmd->parsed()) return run_hash(o);
  if (o.rebase_cmd->parsed()) return run_rebase(o);
  if (o.rm_cmd->parsed()) return run_rm(o);
  return run_apply(o);
}

}  // namespace schemactl::cli
