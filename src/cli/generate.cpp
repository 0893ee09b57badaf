#include "output/generate.hpp"

#include <iostream>

#include "cli/commands.hpp"
#include "codegen/headers.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::cli {

void setup_generate(CLI::App& app, GenerateOptions& o) {
  auto* cmd = app.add_subcommand("generate", "Write install.sql for every dialect and the C++ headers");
  cmd->add_option("--schema", o.schema_dir, "Registry directory")->capture_default_str();
  cmd->add_option("--out", o.out_dir, "Output directory (schemactl owns its .sql and .hpp files)")
      ->capture_default_str();
  cmd->add_option("--templates", o.templates_dir, "Template directory (default: the templates built into schemactl)");
  cmd->add_flag("--check", o.check, "Write nothing; exit 3 naming the files that are not up to date");
}

int run_generate(const GenerateOptions& o) {
  // Validation and rendering happen entirely in memory first: nothing is written unless all succeed.
  Compiled compiled = compile_registry(registry::read_registry_dir(o.schema_dir));
  FileSet files = generate_outputs(compiled, codegen::find_templates(o.templates_dir));
  if (o.check) {
    auto diffs = files.compare(o.out_dir);
    if (diffs.empty()) {
      std::cout << o.out_dir << " is up to date (" << files.files().size() << " files)\n";
      return 0;
    }
    std::cerr << o.out_dir << " is stale; run `schemactl generate`:\n";
    for (const auto& d : diffs) std::cerr << "  " << o.out_dir << "/" << d.path << ": " << d.what << "\n";
    return static_cast<int>(ExitCode::pending);
  }
  std::size_t changed = files.write(o.out_dir);
  std::cout << "generated " << files.files().size() << " files in " << o.out_dir << " (" << changed << " changed)\n";
  return 0;
}

}  // namespace schemactl::cli
