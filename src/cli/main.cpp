// schemactl: one YAML registry -> install SQL, migrations and C++ models for Postgres and TiDB.
#include <iostream>

#include "cli/commands.hpp"
#include "util/diagnostic.hpp"

int main(int argc, char** argv) {
  using namespace schemactl;
  CLI::App app{"schemactl: database schema from a YAML model registry"};
  app.set_version_flag("--version", SCHEMACTL_VERSION);
  app.require_subcommand(1);
  cli::ValidateOptions validate;
  cli::GenerateOptions generate;
  cli::MigrateOptions migrate;
  cli::setup_validate(app, validate);
  cli::setup_generate(app, generate);
  cli::setup_migrate(app, migrate);
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
  } catch (const RegistryError& e) {
    auto items = e.diagnostics().sorted();
    for (const auto& d : items) std::cerr << d.str() << "\n";
    std::cerr << items.size() << (items.size() == 1 ? " error" : " errors") << "; nothing was written\n";
    return static_cast<int>(e.code());
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::error);
  }
  return static_cast<int>(ExitCode::usage);
}
