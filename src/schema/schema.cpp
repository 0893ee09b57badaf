#include "schema/schema.hpp"

namespace schemactl::schema {

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
