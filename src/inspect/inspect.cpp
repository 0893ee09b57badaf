#include "inspect/inspect.hpp"

#include <filesystem>
#include <set>

#include "dialect/inspect.hpp"
#include "inspect/counting_connection.hpp"
#include "inspect/writer.hpp"
#include "lower/compile.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace schemactl::inspect {

Inspected inspect_database(db::Connection& conn, const InspectRequest& request) {
  // Three stages: reading the catalog (a fixed number of batched queries), building the registry,
  // and checking that it loads and lowers.
  Progress progress("inspect " + conn.url().redacted(), 3, "stages");
  CountingConnection counted(conn);
  schema::Schema s =
      conn.dialect() == DialectId::postgres ? inspect_postgres(counted, request.pg_schema) : inspect_tidb(counted);
  progress.set(1);
  BuildOptions options;
  options.registry_name = conn.url().database;
  options.database = conn.url().database;
  options.tables = request.tables;
  options.entities = request.entities;
  Built built = build_registry(s, options);
  progress.set(2);
  std::string where = "database " + conn.url().redacted();
  // What `validate` would say of the files: a registry that does not load or lower is not written.
  // It is asked even when something was refused, so that every such object is named at once (what
  // was refused is left out of the files).
  std::vector<registry::SourceFile> files;
  for (const auto& f : built.document.files) files.push_back({f.path, render_yaml(f)});
  std::vector<std::string> invalid;
  try {
    compile_registry(files);
  } catch (const RegistryError& e) {
    for (const auto& d : e.diagnostics().sorted()) invalid.push_back(d.str());
  }
  if (!built.problems.empty()) {
    std::string message =
        where + " holds what the registry cannot express (nothing was written):\n  " + join(built.problems, "\n  ");
    if (!invalid.empty()) message += "\nand the registry read from it would not validate:\n  " + join(invalid, "\n  ");
    throw Error(message);
  }
  if (!invalid.empty())
    throw Error("the registry read from " + where + " would not validate (nothing was written):\n  " +
                join(invalid, "\n  "));
  progress.set(3);
  Inspected out;
  out.document = std::move(built.document);
  for (auto& f : files) out.yaml.push_back(std::move(f.content));
  out.catalog_queries = counted.queries();
  for (const auto& f : out.document.files) {
    if (f.body.contains("tables")) out.tables += f.body["tables"].size();
    if (f.body.contains("views")) out.views += f.body["views"].size();
    if (f.body.contains("materialized_views")) out.views += f.body["materialized_views"].size();
    if (f.body.contains("functions")) out.functions += f.body["functions"].size();
    if (f.body.contains("enums")) out.enums += f.body["enums"].size();
  }
  return out;
}

std::vector<FileChange> output_changes(const Inspected& inspected, const std::filesystem::path& dir, bool replace) {
  std::vector<FileChange> changes;
  std::set<std::string> written;
  for (std::size_t i = 0; i < inspected.document.files.size(); ++i) {
    const auto& path = inspected.document.files[i].path;
    changes.push_back({path, inspected.yaml[i]});
    written.insert(path);
  }
  std::error_code ec;
  if (replace && std::filesystem::is_directory(dir, ec))
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      std::string name = entry.path().filename().string();
      std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml") && !written.count(name))
        changes.push_back({name, std::nullopt});
    }
  return changes;
}

}  // namespace schemactl::inspect
