// A plan as the text of an up file and a down file.
#pragma once

#include <string>

#include "dialect/dialect.hpp"
#include "plan/plan.hpp"

namespace schemactl::migrate {

// Marks the next statement as one that must run outside a transaction (the applier runs it after
// the migration's transaction commits). A comment, so `psql -f` runs the file as it is.
inline constexpr const char* kOutsideTransaction = "-- schemactl:outside-transaction";
// Opens the down file of a migration that cannot be fully undone, with the reason.
inline constexpr const char* kIrreversible = "-- schemactl:irreversible";

struct MigrationText {
  std::string up;
  std::string down;
};

MigrationText render_migration(const plan::Plan& plan, const Dialect& dialect, const std::string& id,
                               const std::string& registry_hash);
// A blank pair for a hand-written (data) migration.
MigrationText render_empty_migration(const Dialect& dialect, const std::string& id,
                                     const plan::SessionSettings& settings = {});

}  // namespace schemactl::migrate
