// Drift: the live database (read back through dialect/inspect.hpp) against the schema it should
// have, with the same differ as `migrate new`; each difference comes with the steps that repair it,
// planned by the dialect from the live state to the expected one.
#pragma once

#include <string>
#include <vector>

#include "db/connection.hpp"
#include "plan/step.hpp"
#include "schema/schema.hpp"

namespace schemactl::drift {

struct Difference {
  std::string what;               // e.g. "drop index idx_moments_created_at" (the repair, as a change)
  std::vector<plan::Step> steps;  // the repair; empty when `problem` says why none was planned
  std::string problem;
  bool destructive() const;
};

struct DriftReport {
  DialectId dialect = DialectId::postgres;
  std::vector<Difference> differences;  // in the order the differ found them
  std::vector<std::string> unchecked;   // objects the server could not re-print, with its error
  int probe_statements = 0;             // statements sent to bring expressions into the catalog's spelling
  bool clean() const { return differences.empty(); }
  // Every planned step, in the order a repair runs them (by phase, as a migration's steps).
  std::vector<plan::Step> repair_steps() const;
};

// Compares the live database of `conn` with `expected` (a lowered schema of the connection's
// dialect). The history table (apply/history.hpp) is ignored; an external table is compared only
// for the columns `expected` declares (a missing one is a difference; the table missing is noted
// in `unchecked`); reference rows are not compared. Reads the catalog, and on Postgres creates
// temporary objects in a transaction it rolls back; on the MySQL family a scratch view per view.
DriftReport compare(db::Connection& conn, const schema::Schema& expected);

// The same, for a live schema already read back (what compare() does after inspecting).
DriftReport compare(const schema::Schema& live, const schema::Schema& expected, db::Connection* conn);

}  // namespace schemactl::drift
