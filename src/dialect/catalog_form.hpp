// A lowered schema and a schema read back from a live catalog (dialect/inspect.hpp), brought into
// one spelling so that the differ can compare them: types, defaults and expressions as the
// catalog prints them, and what the server adds by itself (MariaDB's json_valid() checks, its
// indexes for foreign keys) left out. Used by `diff --url` and `migrate baseline`, and by the tests.
#pragma once

#include <string>

#include "db/connection.hpp"
#include "schema/schema.hpp"

namespace schemactl {

// "VARCHAR(20)" -> "character varying(20)", "public.status" -> "status", "TEXT[]" -> "text[]" ...
std::string pg_catalog_type(const std::string& lowered);
// Defaults without casts and in lower case: "'x'::character varying" -> "'x'".
std::string pg_catalog_default(const std::string& value);
// "INT" -> "int(11)", "JSON" -> "longtext" (MariaDB stores JSON as LONGTEXT), "BOOLEAN" -> "tinyint(1)".
std::string mariadb_catalog_type(const std::string& lowered);
// "(UUID())" -> "uuid()", "TRUE" -> "1", "" -> "null".
std::string mariadb_catalog_default(const std::string& value);

// The MySQL family has no temporary views: catalog_form re-prints a view's query through a scratch
// view named with this prefix and the session's connection id (so that two sessions never share
// one), dropped again at once. One left behind by a killed run is not part of the database.
inline constexpr const char* kScratchViewPrefix = "schemactl_drift_probe";
bool is_scratch_view(const std::string& name);

// The live schema of the connection's dialect (inspect_postgres of `pg_schema`, or inspect_tidb).
schema::Schema read_catalog(db::Connection& conn, const std::string& pg_schema);

// While it lives, nothing changes a Postgres session's search_path for good: the one it had is put
// back after (a migration's own `SET search_path` stays within the run). Nothing on the MySQL family.
class KeptSearchPath {
 public:
  explicit KeptSearchPath(db::Connection& conn);
  ~KeptSearchPath();
  KeptSearchPath(const KeptSearchPath&) = delete;
  KeptSearchPath& operator=(const KeptSearchPath&) = delete;

 protected:
  db::Connection& conn_;
  std::string saved_;  // empty: nothing to restore
};

// While it lives, a Postgres session resolves unqualified names in `pg_schema` (then public),
// whatever search_path the database or role sets by default: view queries are re-created and
// printed (pg_get_viewdef qualifies what is not on the path) as install.sql has them. The session's
// own search_path is put back after. Nothing on the MySQL family.
class PinnedSearchPath : public KeptSearchPath {
 public:
  PinnedSearchPath(db::Connection& conn, const std::string& pg_schema);
};

// What bringing the two sides together took: statements sent to the server for expressions only
// it can spell (temporary objects on Postgres, in a transaction that is rolled back; scratch views
// on the MySQL family, dropped again), and what could not be checked.
struct CatalogFormNotes {
  int probe_statements = 0;
  std::vector<std::string> unchecked;  // e.g. "check valid_role on messages: <server error>"
};

// Rewrites `expected` (lowered for the dialect of `live`) into the catalog's spelling and `live`
// (inspected) into the form it is compared in. Both are changed in place; names are kept, so a
// difference the differ finds names the object on both sides. With `conn` null, nothing is asked
// of the server and expressions are compared as they are spelled.
CatalogFormNotes catalog_form(schema::Schema& expected, schema::Schema& live, db::Connection* conn);
CatalogFormNotes postgres_catalog_form(schema::Schema& expected, schema::Schema& live, db::Connection* conn);
CatalogFormNotes tidb_catalog_form(schema::Schema& expected, schema::Schema& live, db::Connection* conn);

}  // namespace schemactl
