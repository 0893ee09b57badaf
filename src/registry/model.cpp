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

const TableSpec* Registry::table(const std::string& n) const {
  for (const auto& e : entities)
    for (const auto& t : e.tables)
      if (t.name == n) return &t;
  return nullptr;
}

const EnumSpec* Registry::enum_type(const std::string& n) const {
  for (const auto& e : entities)
    for (const auto& en : e.enums)
      if (en.name == n) return &en;
  return nullptr;
}

}  // namespace schemactl::registry
