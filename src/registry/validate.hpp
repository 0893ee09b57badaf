// Cross-references and consistency of a loaded registry (dialect-independent rules). Dialect rules
// (what TiDB cannot hold, identifier limits) are checked while lowering.
#pragma once

#include "registry/model.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::registry {

void validate(const Registry& reg, Diagnostics& diagnostics);

}  // namespace schemactl::registry
