// Registry -> concrete Schema for one dialect. Generic: every dialect difference goes through the
// Dialect hooks. Problems (a Postgres-only construct with no TiDB decision, an over-long name ...)
// are reported to `diagnostics` with the registry position.
#pragma once

#include "dialect/dialect.hpp"
#include "registry/model.hpp"
#include "schema/schema.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::lower {

schema::Schema lower(const registry::Registry& reg, const Dialect& dialect, Diagnostics& diagnostics);

}  // namespace schemactl::lower
