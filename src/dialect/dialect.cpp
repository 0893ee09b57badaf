#include "dialect/dialect.hpp"

#include "dialect/postgres/postgres.hpp"
#include "dialect/tidb/tidb.hpp"

namespace schemactl {

const Dialect& dialect_for(DialectId id) {
  static const PostgresDialect postgres;
  static const TidbDialect tidb;
  if (id == DialectId::postgres) return postgres;
  return tidb;
}

}  // namespace schemactl

namespace schemactl::plan {

std::string PlanContext::column_in(const std::string& table, const std::string& column, bool to_new) const {
  auto t = renamed_columns.find(table);
  if (t == renamed_columns.end()) return column;
  if (to_new) {
    auto c = t->second.find(column);
    return c == t->second.end() ? column : c->second;
  }
  for (const auto& [old_name, new_name] : t->second)
    if (new_name == column) return old_name;
  return column;
}

}  // namespace schemactl::plan
