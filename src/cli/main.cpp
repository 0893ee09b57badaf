// schemactl: one YAML registry -> install SQL, migrations and C++ models for Postgres and TiDB.
#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/errors.hpp"
#include "db/url.hpp"
#include "util/diagnostic.hpp"
#include "util/progress.hpp"

namespace {

// Every password the command line or DATABASE_URL could hold, valid URL or not: messages (CLI11's
// "The following arguments were not expected: postgres://u:pw@..." included) are masked with them.
std::vector<std::string> command_line_secrets(int argc, char** argv) {
  std::vector<std::string> secrets;
  auto add = [&](const std::string& arg) {
    for (auto& s : schemactl::db::url_secrets(arg)) secrets.push_back(std::move(s));
  };
  for (int i = 1; i < argc; ++i) add(argv[i]);
  if (const char* env = std::getenv("DATABASE_URL")) add(env);
  return secrets;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace schemactl;
  CLI::App app{"schemactl: database schema from a YAML model registry"};
  app.set_version_flag("--version",
                       std::string("schemactl ") + SCHEMACTL_VERSION + " (commit " + SCHEMACTL_GIT_COMMIT + ")");
  app.require_subcommand(1);
  std::string error_format = "text";
  app.add_option("--error-format", error_format,
                 "How an error is shown: text, or json (one JSON object on stderr; implied by --format json). "
                 "Accepted anywhere on the command line")
      ->check(CLI::IsMember({"text", "json"}));
  bool quiet = false;
  app.add_flag("--quiet,-q", quiet,
               "No progress display (it is shown on stderr only when stderr is a terminal). Accepted anywhere");
  app.fallthrough();  // subcommands (created below) pass --error-format up to here
  cli::ValidateOptions validate;
  cli::GenerateOptions generate;
  cli::MigrateOptions migrate;
  cli::DiffOptions diff;
  cli::InspectOptions inspect;
  cli::setup_validate(app, validate);
  cli::setup_generate(app, generate);
  cli::setup_migrate(app, migrate);
  cli::setup_diff(app, diff);
  cli::setup_inspect(app, inspect);
  const std::vector<std::string> secrets = command_line_secrets(argc, argv);
  auto safe = [&](const std::string& text) { return db::redact_urls(text, secrets); };
  app.failure_message([&](const CLI::App* a, const CLI::Error& e) { return safe(CLI::FailureMessage::simple(a, e)); });
  const cli::ErrorFormat format = cli::error_format_of(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0 || format == cli::ErrorFormat::text) {
      int code = app.exit(e);
      return code == 0 ? 0 : static_cast<int>(ExitCode::usage);
    }
    cli::report_usage_json(std::cerr, e.what(), safe);
    return static_cast<int>(ExitCode::usage);
  }
  Progress::set_quiet(quiet);
  try {
    if (app.got_subcommand("validate")) return cli::run_validate(validate);
    if (app.got_subcommand("generate")) return cli::run_generate(generate);
    if (app.got_subcommand("migrate")) return cli::run_migrate(migrate);
    if (app.got_subcommand("diff")) return cli::run_diff(diff);
    if (app.got_subcommand("inspect")) return cli::run_inspect(inspect);
  } catch (const Error& e) {
    cli::report_error(std::cerr, e, format, safe);
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    cli::report_unexpected(std::cerr, e, format, safe);
    return static_cast<int>(ExitCode::error);
  }
  return static_cast<int>(ExitCode::usage);
}
