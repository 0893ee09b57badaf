// What a statement did when nobody saw it finish: the client was killed, or the connection dropped,
// after the statement was sent. Read back from the live catalog, per dialect, so that a resumed run
// never runs again a statement that may have committed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace schemactl {

enum class Effect {
  took_effect,    // the catalog shows the statement's result: skip it
  no_effect,      // the catalog shows the state before it: run it
  repeatable,     // running it again gives the same result (IF [NOT] EXISTS, MODIFY, SET): run it
  still_running,  // the server is still executing it (a TiDB DDL job): wait, decide later
  unknown,        // the catalog cannot tell (data changes, anything not recognised): a person decides
};

struct EffectProbe {
  Effect effect = Effect::unknown;
  std::string reason;  // what was looked at, for the message
};

EffectProbe probe_effect(db::Connection& conn, const std::string& sql);

// Statements an applier runs inside a transaction together with their history row, so that they
// commit with their progress or not at all: INSERT, UPDATE, DELETE, REPLACE, SELECT, WITH. On the
// MySQL family only when the table they write is transactional (InnoDB; TiDB reports that too): a
// MyISAM table keeps a change its transaction rolls back, so such a statement is recorded in flight
// instead, and an interrupted one is decided by a person.
bool transactional_dml(db::Connection& conn, const std::string& sql);

// Postgres: the index a `CREATE [UNIQUE] INDEX CONCURRENTLY` statement builds (schema empty when
// the statement does not qualify its table). Parsed with PostgreSQL's own parser (libpg_query).
struct ConcurrentIndex {
  std::string schema;
  std::string name;
};
std::optional<ConcurrentIndex> concurrent_index_build(const std::string& sql);
// Whether that index exists and is valid (nullopt: there is no such index).
std::optional<bool> index_valid(db::Connection& conn, const ConcurrentIndex& index);
// "DROP INDEX CONCURRENTLY IF EXISTS schema.name" for an index left INVALID by a failed build.
std::string drop_invalid_index_sql(db::Connection& conn, const ConcurrentIndex& index);

namespace detail {
EffectProbe probe_postgres(db::Connection& conn, const std::string& sql);
EffectProbe probe_tidb(db::Connection& conn, const std::string& sql);
bool tidb_transactional_dml(db::Connection& conn, const std::string& sql);
}  // namespace detail

// What is wrong in the live catalog that a migration run left behind (Postgres: INVALID indexes).
std::vector<std::string> catalog_problems(db::Connection& conn);

}  // namespace schemactl
