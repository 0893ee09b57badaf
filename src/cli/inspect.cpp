// `schemactl inspect --url URL`: a live database's schema read back as a registry directory.
#include "inspect/inspect.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "db/connection.hpp"
#include "inspect/writer.hpp"
#include "output/staged_write.hpp"

namespace schemactl::cli {

void setup_inspect(CLI::App& app, InspectOptions& o) {
  auto* cmd = app.add_subcommand("inspect", "Read a live database's schema back as a registry directory");
  cmd->add_option("--url", o.url,
                  "Database URL (postgres://, postgresql://, mysql://, tidb://); default: $DATABASE_URL");
  cmd->add_option("--out", o.out_dir,
                  "Registry directory to write (must be empty or new, unless --force); default: standard output");
  cmd->add_option("--format", o.format, "yaml (registry files) or json (one document, for machines)")
      ->check(CLI::IsMember({"yaml", "json"}))
      ->capture_default_str();
  cmd->add_option("--tables", o.tables, "Only tables (and views, functions) whose names match these globs");
  cmd->add_option("--entity", o.entities, "NAME=GLOB: put the tables matching GLOB into one entity NAME (repeatable)");
  cmd->add_option("--pg-schema", o.pg_schema, "Postgres schema to read")->capture_default_str();
  cmd->add_flag("--force", o.force,
                "Write into a non-empty --out: its registry files (*.yaml, *.yml) are replaced, other files kept");
}

int run_inspect(const InspectOptions& o) {
  std::string raw = o.url;
  if (raw.empty())
    if (const char* env = std::getenv("DATABASE_URL")) raw = env;
  if (raw.empty()) throw Error("no database URL: pass --url or set DATABASE_URL", ExitCode::usage);
  db::DatabaseUrl url = db::parse_database_url(raw);
  if (o.format == "json" && !o.out_dir.empty())
    throw Error("--format json prints one document to standard output; --out writes YAML registry files",
                ExitCode::usage);
  inspect::InspectRequest request;
  request.pg_schema = o.pg_schema;
  request.tables = o.tables;
  for (const auto& e : o.entities) {
    auto eq = e.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == e.size())
      throw Error("--entity '" + e + "': expected NAME=GLOB, e.g. --entity Period='period_*'", ExitCode::usage);
    request.entities.emplace_back(e.substr(0, eq), e.substr(eq + 1));
  }
  // Refuse before reading anything: a directory holding other files is not silently mixed with
  // (or replaced by) what the database says.
  std::filesystem::path out(o.out_dir);
  std::error_code ec;
  if (!o.out_dir.empty() && std::filesystem::exists(out, ec)) {
    if (!std::filesystem::is_directory(out, ec)) throw Error("--out " + o.out_dir + " exists and is not a directory");
    if (!o.force && !std::filesystem::is_empty(out, ec))
      throw Error("--out " + o.out_dir +
                  " is not empty; inspect writes a registry into an empty or new directory (--force replaces the "
                  "registry files it holds)");
  }
  auto started = std::chrono::steady_clock::now();
  auto conn = db::connect(url);
  inspect::Inspected result = inspect::inspect_database(*conn, request);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (o.out_dir.empty()) {
    if (o.format == "json") {
      std::cout << inspect::render_json(result.document);
    } else {
      for (std::size_t i = 0; i < result.document.files.size(); ++i)
        std::cout << (i ? "\n" : "") << "--- # " << result.document.files[i].path << "\n" << result.yaml[i];
    }
  } else {
    write_staged(out, inspect::output_changes(result, out, o.force));
  }
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", seconds);
  std::cerr << "inspected " << url.redacted() << ": " << result.tables << " tables, " << result.views << " views, "
            << result.functions << " functions, " << result.enums << " enums in " << result.catalog_queries
            << " catalog queries, " << secs << " s"
            << (o.out_dir.empty()
                    ? std::string()
                    : "; wrote " + std::to_string(result.document.files.size()) + " files to " + o.out_dir)
            << "\n";
  return 0;
}

}  // namespace schemactl::cli
