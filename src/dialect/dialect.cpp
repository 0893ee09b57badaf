#include "dialect/dialect.hpp"

#include <set>

#include "dialect/postgres/postgres.hpp"
#include "dialect/tidb/tidb.hpp"
#include "util/text.hpp"

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

namespace schemactl {

std::optional<int> Dialect::exact_number_digits(const std::string& sql_type, std::optional<int> bare) {
  std::string t = to_lower(trim(sql_type));
  for (const char* word : {" unsigned", " signed", " zerofill"})
    if (auto at = t.find(word); at != std::string::npos) t.erase(at, std::string(word).size());
  std::string name = trim(t.substr(0, t.find('(')));
  std::string args = t.find('(') == std::string::npos ? "" : t.substr(t.find('(') + 1);
  static const std::set<std::string> integers{"smallint",  "int",     "integer", "bigint",     "tinyint",
                                              "mediumint", "int2",    "int4",    "int8",       "serial",
                                              "bigserial", "serial4", "serial8", "smallserial"};
  if (integers.count(name)) return 0;
  if (name != "decimal" && name != "numeric" && name != "dec" && name != "fixed") return std::nullopt;
  if (args.empty()) return bare;
  auto comma = args.find(',');
  if (comma == std::string::npos) return 0;
  try {
    return std::stoi(args.substr(comma + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace schemactl
