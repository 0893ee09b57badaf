#include "lower/compile.hpp"

#include <future>

#include "dialect/dialect.hpp"
#include "lower/lower.hpp"
#include "registry/validate.hpp"

namespace schemactl {

Compiled compile_registry(const std::vector<registry::SourceFile>& files) {
  Diagnostics diags;
  Compiled out;
  out.registry = registry::load_registry(files, diags);
  registry::validate(out.registry, diags);
  // The dialects are lowered independently: one on a second thread.
  Diagnostics tidb_diags;
  auto tidb = std::async(std::launch::async,
                         [&] { return lower::lower(out.registry, dialect_for(DialectId::tidb), tidb_diags); });
  out.schemas[DialectId::postgres] = lower::lower(out.registry, dialect_for(DialectId::postgres), diags);
  out.schemas[DialectId::tidb] = tidb.get();
  diags.merge(tidb_diags);
  if (!diags.empty()) throw RegistryError(std::move(diags));
  return out;
}

}  // namespace schemactl
