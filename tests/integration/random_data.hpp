// Data for the random round trips: rows with edge values (NULLs, the longest strings a column
// takes, multi-byte text, quotes and backslashes, the ends of every integer range, decimals at their
// precision, ...) for every table of a random registry A, each value one that A and B (A after its
// edits) can both hold, and the server-side hashes that tell whether a migration kept them.
#pragma once

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "random_registry.hpp"
#include "schema/dialect_id.hpp"

namespace schemactl::test::rr {

// A table of A and what B calls it and its columns, after B's declared renames (`renamed_from`,
// resolved the way docs/registry.md says: a declared rename wins over a reused name). Empty names:
// B has no such table / column.
struct TableMatch {
  std::string a, b;
  std::vector<std::pair<std::string, std::string>> columns;  // A column -> B column
  std::string b_column(const std::string& a_column) const;
};
std::vector<TableMatch> match_tables(const Model& a, const Model& b);

// The statements that insert `rows` data rows into every table of A (foreign-key columns NULL).
// Every value fits the column in A and, under its B name, in B: its type, length, checks, enum
// values, and unique keys (also against the reference rows of A and B).
std::vector<std::string> data_sql(const Model& a, const Model& b, DialectId dialect, int rows);

// A query that the server answers with one row per table row: the canonical text of the key
// columns (joined with '|'), then the md5 of each column's canonical text ('NULL' for NULL). The
// canonical text of a value is the same whatever type of its family holds it (42 as SMALLINT,
// NUMERIC(10,2) or TEXT; a date as DATE or TIMESTAMP), so that a type change that keeps every value
// keeps every hash. `session_sql` comes first on the same connection (time zone UTC).
std::string hash_query(const Model& m, const std::string& table, const std::vector<std::string>& key,
                       const std::vector<std::string>& columns, DialectId dialect);
std::string hash_session_sql(DialectId dialect);

// A value that column `columns[0]` of A's table `table` holds (its type, its checks; never a key or
// foreign-key column) and that B's column (`b_table`.`b_columns[0]`, after the declared renames)
// cannot: a string longer than B's length, an integer outside B's range, a decimal with more digits
// or places than B's, a number REAL or DOUBLE PRECISION cannot hold exactly, text that is no number
// / uuid / JSON / enum value, a time of day going to a date, a moment outside TIMESTAMP's range
// (TiDB), a value B's check refuses. Or (kind "unique") two rows that A lets agree on `columns`
// while a unique key, unique index or exclusion constraint of B on them (`b_columns`) does not.
// `kind` says which (the summary counts them).
struct Misfit {
  std::string table, b_table;
  std::vector<std::string> columns, b_columns;
  std::string value;  // raw text, as data_sql writes values ("" for "unique")
  std::string kind;
};
// At most one misfit per column of A that B keeps, and one duplicate per table (picked with `rng`).
std::vector<Misfit> misfits(const Model& a, const Model& b, DialectId dialect, std::mt19937& rng);
// An UPDATE that puts the misfit's value into the row of A whose key (the canonical text of `key`'s
// columns joined with '|', as hash_query reads it) is `key_text`; for "unique", the values of
// the row whose key is `source_key_text`.
std::string misfit_update_sql(const Model& a, const Misfit& m, const std::vector<std::string>& key,
                              const std::string& key_text, const std::string& source_key_text, DialectId dialect);

}  // namespace schemactl::test::rr
