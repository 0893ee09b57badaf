#include "dialect/catalog_form.hpp"

#include "dialect/dialect.hpp"
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

KeptSearchPath::KeptSearchPath(db::Connection& conn) : conn_(conn) {
  if (conn.dialect() != DialectId::postgres) return;
  auto rows = conn.query("SELECT current_setting('search_path')");
  if (!rows.empty() && rows.at(0).at(0)) saved_ = *rows.at(0).at(0);
}

KeptSearchPath::~KeptSearchPath() {
  if (saved_.empty()) return;
  try {
    conn_.query("SELECT set_config('search_path', $1, false)", {saved_});
  } catch (const db::DbError&) {
  }
}

PinnedSearchPath::PinnedSearchPath(db::Connection& conn, const std::string& pg_schema) : KeptSearchPath(conn) {
  if (saved_.empty()) return;
  const Dialect& d = dialect_for(DialectId::postgres);
  conn.query("SELECT set_config('search_path', $1, false)",
             {pg_schema == "public" ? d.quote(pg_schema) : d.quote(pg_schema) + ", public"});
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
