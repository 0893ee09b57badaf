#include "lower/names.hpp"

#include "util/text.hpp"

namespace schemactl::lower {

using schema::object_name;

std::string primary_key_name(const std::string& table) {
  return object_name(table, "", "pkey");
}

std::string unique_name(const std::string& table, const std::vector<std::string>& columns) {
  return object_name(table, join(columns, "_"), "key");
}

std::string column_check_name(const std::string& table, const std::string& column) {
  return object_name(table, column, "check");
}

std::string table_check_name(const std::string& table, int ordinal) {
  return object_name(table, "", "check" + std::to_string(ordinal));
}

std::string foreign_key_name(const std::string& table, const std::vector<std::string>& columns) {
  return object_name(table, join(columns, "_"), "fkey");
}

std::string index_name(const std::string& table, const std::vector<std::string>& parts) {
  return object_name("idx_" + table, join(parts, "_"), "");
}

std::string exclusion_name(const std::string& table, const std::vector<std::string>& parts) {
  return object_name(table, join(parts, "_"), "excl");
}

}  // namespace schemactl::lower
