// How the catalogs of PostgreSQL 15 and MariaDB 10.11 spell what schemactl lowered: the tests
// compare a lowered schema with what was read back through these.
#pragma once

#include <string>

#include "schema/schema.hpp"

namespace schemactl::test {

// "VARCHAR(20)" -> "character varying(20)", "public.status" -> "status", "TEXT[]" -> "text[]" ...
std::string pg_catalog_type(const std::string& lowered);
// Defaults without casts and in lower case: "'x'::character varying" -> "'x'".
std::string pg_catalog_default(const std::string& value);
// "INT" -> "int(11)", "JSON" -> "longtext" (MariaDB stores JSON as LONGTEXT), "BOOLEAN" -> "tinyint(1)".
std::string mariadb_catalog_type(const std::string& lowered);
// "(UUID())" -> "uuid()", "TRUE" -> "1", "" -> "null".
std::string mariadb_catalog_default(const std::string& value);

// A canonical text of a whole schema, to compare two readings of a catalog.
std::string dump(const schema::Schema& s);

// The application's own tables that the registry only references (external), created so that
// install.sql can point foreign keys at them (as they exist in the application's database).
std::string external_fixture(const schema::Schema& s);

}  // namespace schemactl::test
