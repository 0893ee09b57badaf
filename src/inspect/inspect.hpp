// `schemactl inspect` without the command line: read a live database's catalog and turn it into
// registry files, checked by loading and lowering them as `validate` would before anything is
// written.
#pragma once

#include <string>
#include <vector>

#include "db/connection.hpp"
#include "inspect/build.hpp"
#include "output/staged_write.hpp"

namespace schemactl::inspect {

struct InspectRequest {
  std::string pg_schema = "public";
  std::vector<std::string> tables;
  std::vector<std::pair<std::string, std::string>> entities;
};

struct Inspected {
  Document document;
  std::vector<std::string> yaml;  // render_yaml of each of document.files, as it was validated
  int catalog_queries = 0;
  std::size_t tables = 0, views = 0, functions = 0, enums = 0;
};

// Throws Error (exit 1) listing every object the registry cannot express, or every problem the
// registry would have, when the result would not mean the same database.
Inspected inspect_database(db::Connection& conn, const InspectRequest& request);

// The files for an output directory: every file of the document (its validated YAML); with
// `replace`, also the removal of the other registry files (*.yaml, *.yml) `dir` holds, so the
// directory is this registry only.
std::vector<FileChange> output_changes(const Inspected& inspected, const std::filesystem::path& dir, bool replace);

}  // namespace schemactl::inspect
