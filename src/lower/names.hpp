// Deterministic names for objects the registry leaves unnamed (docs/registry.md, "Names").
#pragma once

#include <string>
#include <vector>

#include "schema/names.hpp"

namespace schemactl::lower {

// Each made by schema::object_name, so a long table name gives the names PostgreSQL gives.

std::string primary_key_name(const std::string& table);
std::string unique_name(const std::string& table, const std::vector<std::string>& columns);
std::string column_check_name(const std::string& table, const std::string& column);
std::string table_check_name(const std::string& table, int ordinal);
std::string foreign_key_name(const std::string& table, const std::vector<std::string>& columns);
// Expression keys contribute "expr".
std::string index_name(const std::string& table, const std::vector<std::string>& parts);
std::string exclusion_name(const std::string& table, const std::vector<std::string>& parts);

}  // namespace schemactl::lower
