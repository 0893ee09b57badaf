// schemactl: one YAML registry -> install SQL, migrations and C++ models for Postgres and TiDB.
#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "db/url.hpp"
#include "util/diagnostic.hpp"

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
  cli::ValidateOptions validate;
  cli::GenerateOptions generate;
  cli::MigrateOptions migrate;
  cli::InspectOptions inspect;
  cli::setup_validate(app, validate);
  cli::setup_generate(app, generate);
  cli::setup_migrate(app, migrate);
  cli::setup_inspect(app, inspect);
  const std::vector<std::string> secrets = command_line_secrets(argc, argv);
  auto safe = [&](const std::string& text) { return db::redact_urls(text, secrets); };
  app.failure_message([&](const CLI::App* a, const CLI::Error& e) { return safe(CLI::FailureMessage::simple(a, e)); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  try {
    if (app.got_subcommand("validate")) return cli::run_validate(validate);
    if (app.got_subcommand("generate")) return cli::run_generate(generate);
    if (app.got_subcommand("migrate")) return cli::run_migrate(migrate);
    if (app.got_subcommand("inspect")) return cli::run_inspect(inspect);
  } catch (const RegistryError& e) {
    auto items = e.diagnostics().sorted();
    for (const auto& d : items) std::cerr << safe(d.str()) << "\n";
    std::cerr << items.size() << (items.size() == 1 ? " error" : " errors") << "; nothing was written\n";
    return static_cast<int>(e.code());
  } catch (const Error& e) {
    std::cerr << "error: " << safe(e.what()) << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "error: " << safe(e.what()) << "\n";
    return static_cast<int>(ExitCode::error);
  }
  return static_cast<int>(ExitCode::usage);
}
