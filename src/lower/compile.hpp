// The front half of the pipeline in one call: load, validate, lower for every dialect.
#pragma once

#include <map>

#include "registry/loader.hpp"
#include "registry/model.hpp"
#include "schema/schema.hpp"

namespace schemactl {

struct Compiled {
  registry::Registry registry;
  std::map<DialectId, schema::Schema> schemas;
};

// Collects every problem of every stage; throws RegistryError when there is any.
Compiled compile_registry(const std::vector<registry::SourceFile>& files);

}  // namespace schemactl
