#include <iostream>

#include "cli/commands.hpp"
#include "lower/compile.hpp"

namespace schemactl::cli {

void setup_validate(CLI::App& app, ValidateOptions& o) {
  auto* cmd = app.add_subcommand("validate", "Check the registry and report every error at once");
  cmd->add_option("--schema", o.schema_dir, "Registry directory")->capture_default_str();
}

int run_validate(const ValidateOptions& o) {
  Compiled c = compile_registry(registry::read_registry_dir(o.schema_dir));
  std::size_t tables = 0, views = 0, functions = 0;
  for (const auto& e : c.registry.entities) {
    tables += e.tables.size();
    views += e.views.size();
    functions += e.functions.size();
  }
  std::cout << "registry '" << c.registry.name << "' is valid: " << c.registry.entities.size() << " entities, "
            << tables << " tables, " << views << " views, " << functions << " functions\n";
  return 0;
}

}  // namespace schemactl::cli
