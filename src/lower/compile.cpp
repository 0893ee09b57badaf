#include "lower/compile.hpp"

#include "dialect/dialect.hpp"
#include "lower/lower.hpp"
#include "registry/validate.hpp"

namespace schemactl {

Compiled compile_registry(const std::vector<registry::SourceFile>& files) {
  Diagnostics diags;
  Compiled out;
  out.registry = registry::load_registry(files, diags);
  registry::validate(out.registry, diags);
  for (DialectId d : kAllDialects) out.schemas[d] = lower::lower(out.registry, dialect_for(d), diags);
  if (!diags.empty()) throw RegistryError(std::move(diags));
  return out;
}

}  // namespace schemactl
