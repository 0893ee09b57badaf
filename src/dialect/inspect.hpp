// Reading a live schema back from a database's catalog, as a schema::Schema whose types, defaults
// and expressions are spelled the way that catalog spells them (see catalog_form.hpp to bring a
// lowered schema into the same spelling before comparing).
#pragma once

#include <string>

#include "db/connection.hpp"
#include "schema/schema.hpp"

namespace schemactl {

// Postgres: every table, view, materialized view, function, enum type and extension of `pg_schema`.
// Index keys are not parsed: each index carries its full definition as a single expression key.
schema::Schema inspect_postgres(db::Connection& conn, const std::string& pg_schema);

// TiDB / MySQL / MariaDB: every table and view of the connection's current database.
schema::Schema inspect_tidb(db::Connection& conn);

}  // namespace schemactl
