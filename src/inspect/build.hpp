// A whole inspected schema as a registry directory: registry.yaml (name, Postgres schema or TiDB
// charset, extensions) and one entity file per table, or per --entity group. The history table
// and objects that extensions own are left out; everything is sorted by name.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "inspect/document.hpp"
#include "schema/schema.hpp"

namespace schemactl::inspect {

struct BuildOptions {
  std::string registry_name;        // e.g. the database's name
  std::string database;             // MySQL family: the database the view definitions qualify names with
  std::vector<std::string> tables;  // globs; empty: every table
  std::vector<std::pair<std::string, std::string>> entities;  // entity name -> table glob, first match wins
};

struct Built {
  Document document;
  std::vector<std::string> problems;  // what the registry cannot express: nothing is written
};

Built build_registry(const schema::Schema& s, const BuildOptions& options);

}  // namespace schemactl::inspect
