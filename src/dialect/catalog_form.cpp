#include "dialect/catalog_form.hpp"

#include "dialect/inspect.hpp"

namespace schemactl {

bool is_scratch_view(const std::string& name) {
  return name.rfind(kScratchViewPrefix, 0) == 0;
}

schema::Schema read_catalog(db::Connection& conn, const std::string& pg_schema) {
  switch (conn.dialect()) {
    case DialectId::postgres:
      return inspect_postgres(conn, pg_schema);
    case DialectId::tidb:
      return inspect_tidb(conn);
  }
  return {};
}

CatalogFormNotes catalog_form(schema::Schema& expected, schema::Schema& live, db::Connection* conn) {
  switch (live.dialect) {
    case DialectId::postgres:
      return postgres_catalog_form(expected, live, conn);
    case DialectId::tidb:
      return tidb_catalog_form(expected, live, conn);
  }
  return {};
}

}  // namespace schemactl
