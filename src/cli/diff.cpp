// `schemactl diff --url URL`: drift between a live database and what its applied migrations say it
// should hold; exit 3 on drift.
#include <fstream>
#include <iostream>

#include "apply/history.hpp"
#include "cli/commands.hpp"
#include "drift/compare.hpp"
#include "drift/report.hpp"
#include "lower/compile.hpp"
#include "output/staged_write.hpp"

namespace schemactl::cli {

void setup_diff(CLI::App& app, DiffOptions& o) {
  auto* cmd = app.add_subcommand(
      "diff", "Drift between a live database and the registry, each difference with the SQL that repairs it");
  cmd->add_option("--url", o.url,
                  "Database URL (postgres://, postgresql://, mysql://, tidb://); default: $DATABASE_URL");
  cmd->add_option("--schema", o.schema_dir, "Registry directory")->capture_default_str();
  cmd->add_option("--migrations", o.migrations_dir, "Migrations directory")->capture_default_str();
  cmd->add_option("--dialect", o.dialect, "postgres or tidb (default: from the URL)")
      ->check(CLI::IsMember({"postgres", "tidb"}));
  cmd->add_option("--format", o.format, "Output: text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_option("--sql", o.sql_file, "Write the repair script to this file (never run by diff)");
  cmd->add_flag("--exit-code", o.exit_code, "Exit 3 on drift (always the case; accepted as for `migrate status`)");
}

int run_diff(const DiffOptions& o) {
  db::DatabaseUrl url = database_url(o.url, o.dialect);
  Compiled compiled = compile_registry(registry::read_registry_dir(o.schema_dir));
  migrate::Directory dir(o.migrations_dir, url.dialect);
  auto conn = db::connect(url);
  auto history = apply::History(*conn).rows();
  drift::Expectation expected = drift::expected_state(history, dir, compiled.schemas.at(url.dialect));
  drift::DriftReport report = drift::compare(*conn, expected.schema);
  apply::Format format = o.format == "json"       ? apply::Format::json
                         : o.format == "markdown" ? apply::Format::markdown
                                                  : apply::Format::text;
  const std::string where = url.redacted();
  if (!o.sql_file.empty()) {
    std::filesystem::path path(o.sql_file);
    std::filesystem::path root = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    write_staged(root, {{path.filename().string(), drift::render_repair(report, expected, where)}});
  }
  std::cout << drift::render_drift(report, expected, format, where);
  if (!o.sql_file.empty() && format != apply::Format::json) {
    std::cout << "wrote " << o.sql_file;
    if (std::size_t n = drift::unplanned_count(report); n > 0)
      std::cout << " (incomplete: it does not repair " << n << (n == 1 ? " difference" : " differences")
                << " that cannot be planned, see above)";
    std::cout << "\n";
  }
  return static_cast<int>(report.clean() ? ExitCode::ok : ExitCode::pending);
}

}  // namespace schemactl::cli
