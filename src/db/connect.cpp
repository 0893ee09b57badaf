#include "db/connection.hpp"

namespace schemactl::db {

std::unique_ptr<Connection> connect_postgres(const DatabaseUrl& url);
std::unique_ptr<Connection> connect_mysql(const DatabaseUrl& url);

std::unique_ptr<Connection> connect(const DatabaseUrl& url) {
  return url.dialect == DialectId::postgres ? connect_postgres(url) : connect_mysql(url);
}

}  // namespace schemactl::db
