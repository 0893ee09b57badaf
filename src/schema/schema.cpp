#include "schema/schema.hpp"

#include <algorithm>

namespace schemactl::schema {

std::vector<std::string> RowSet::key_of(const std::vector<std::string>& row) const {
  std::vector<std::string> key;
  for (const auto& k : conflict_columns) {
    auto it = std::find(columns.begin(), columns.end(), k);
    key.push_back(it == columns.end() ? "" : row[static_cast<std::size_t>(it - columns.begin())]);
  }
  return key;
}

const Column* Table::column(const std::string& n) const {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

const Table* Schema::table(const std::string& n) const {
  for (const auto& t : tables)
    if (t.name == n) return &t;
  return nullptr;
}

}  // namespace schemactl::schema
