// A plan as the text of an up file and a down file.
#pragma once

#include <string>

#include "dialect/dialect.hpp"
#include "plan/plan.hpp"

namespace schemactl::migrate {

// Marks the next statement as one that must run outside a transaction (the applier runs it after
// the migration's transaction commits). A comment, so `psql -f` runs the file as it is.
inline constexpr const char* kOutsideTransaction = "-- schemactl:outside-transaction";
// Marks the next statement as a batched data change: the applier runs it again and again, each
// run in its own transaction with its progress (batches, rows) in the history, until it changes no
// row. Optionally `max-batches=N` (default 100000): more batches than that fail the migration.
inline constexpr const char* kRepeatUntilZero = "-- schemactl:repeat-until-zero";
// Opens the down file of a migration that cannot be fully undone, with the reason.
inline constexpr const char* kIrreversible = "-- schemactl:irreversible";
// The down file's header list of what it loses, one "--   <step>: <what>" line per step.
inline constexpr const char* kCannotBringBack = "-- What this down migration cannot bring back:";

struct MigrationText {
  std::string up;
  std::string down;
};

struct Lineage;

// The up file's header records `lineage` (migrate/lineage.hpp): the snapshot it was planned from
// and the one it leaves. Nothing in either file depends on the rest of the registry.
MigrationText render_migration(const plan::Plan& plan, const Dialect& dialect, const std::string& id,
                               const Lineage& lineage);
// A blank pair for a hand-written (data) migration (its lineage leaves the snapshot as it found it).
MigrationText render_empty_migration(const Dialect& dialect, const std::string& id, const Lineage& lineage,
                                     const plan::SessionSettings& settings = {});

}  // namespace schemactl::migrate
