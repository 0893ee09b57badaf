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
