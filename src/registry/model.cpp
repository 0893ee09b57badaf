#include "registry/model.hpp"

namespace schemactl::registry {

const std::string* PerDialectSql::get(DialectId d) const {
  auto it = specific.find(d);
  if (it != specific.end()) return &it->second;
  return common ? &*common : nullptr;
}

const FieldSpec* TableSpec::field(const std::string& n) const {
  for (const auto& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

std::vector<std::string> TableSpec::key_columns() const {
  if (!primary_key.empty()) return primary_key;
  std::vector<std::string> out;
  for (const auto& f : fields)
    if (f.primary_key) out.push_back(f.name);
  return out;
}

void Registry::build_index() {
  table_index_.clear();
  enum_index_.clear();
  for (std::size_t i = 0; i < entities.size(); ++i) {
    for (std::size_t j = 0; j < entities[i].tables.size(); ++j)
      table_index_.emplace(entities[i].tables[j].name, std::make_pair(i, j));
    for (std::size_t j = 0; j < entities[i].enums.size(); ++j)
      enum_index_.emplace(entities[i].enums[j].name, std::make_pair(i, j));
  }
}

// The first definition wins, as duplicates are errors reported by validation.
const TableSpec* Registry::table(const std::string& n) const {
  auto it = table_index_.find(n);
  return it == table_index_.end() ? nullptr : &entities[it->second.first].tables[it->second.second];
}

const EnumSpec* Registry::enum_type(const std::string& n) const {
  auto it = enum_index_.find(n);
  return it == enum_index_.end() ? nullptr : &entities[it->second.first].enums[it->second.second];
}

const EntitySpec* Registry::entity_of_enum(const std::string& n) const {
  auto it = enum_index_.find(n);
  return it == enum_index_.end() ? nullptr : &entities[it->second.first];
}

}  // namespace schemactl::registry
