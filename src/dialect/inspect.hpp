// Reading a live schema back from a database's catalog, as a schema::Schema whose types, defaults
// and expressions are spelled the way that catalog spells them (see catalog_form.hpp to bring a
// lowered schema into the same spelling before comparing).
#pragma once

#include <string>

#include "db/connection.hpp"
#include "schema/schema.hpp"

namespace schemactl {

// Postgres: every table, view, materialized view, function, enum type, extension and sequence of
// `pg_schema`, leaving out what extensions own. Each index (and exclusion constraint) carries its
// full definition as a single expression key (and element); the keys one by one, INCLUDE columns,
// predicate, storage parameters and access method are in its `catalog` member. Serial columns name
// their sequence (`Column::sequence`), identity columns their kind (`Column::identity`); views list
// the tables and views they read (`depends_on`); triggers, procedures, aggregates, domains and
// composite types are listed in `skipped`. A fixed number of queries, whatever the number of tables.
schema::Schema inspect_postgres(db::Connection& conn, const std::string& pg_schema);

// TiDB / MySQL / MariaDB: every table and view of the connection's current database, with the
// character set and collation most tables use (`tidb_charset`, `tidb_collation`; tables with another
// collation, triggers and routines are listed in `skipped`). Index keys are in `keys` and also in
// `catalog.keys`; `catalog.kind` is the INDEX_TYPE. A fixed number of queries.
schema::Schema inspect_tidb(db::Connection& conn);

}  // namespace schemactl
