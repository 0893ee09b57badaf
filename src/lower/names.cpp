#include "lower/names.hpp"

#include "util/text.hpp"

namespace schemactl::lower {

std::string primary_key_name(const std::string& table) {
  return table + "_pkey";
}

std::string unique_name(const std::string& table, const std::vector<std::string>& columns) {
  return table + "_" + join(columns, "_") + "_key";
}

std::string column_check_name(const std::string& table, const std::string& column) {
  return table + "_" + column + "_check";
}

std::string table_check_name(const std::string& table, int ordinal) {
  return table + "_check" + std::to_string(ordinal);
}

std::string foreign_key_name(const std::string& table, const std::vector<std::string>& columns) {
  return table + "_" + join(columns, "_") + "_fkey";
}

std::string index_name(const std::string& table, const std::vector<std::string>& parts) {
  return "idx_" + table + "_" + join(parts, "_");
}

std::string exclusion_name(const std::string& table, const std::vector<std::string>& parts) {
  return table + "_" + join(parts, "_") + "_excl";
}

}  // namespace schemactl::lower
