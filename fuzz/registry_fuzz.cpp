// The registry loader, validation and lowering on one YAML file's bytes: any input ends in a
// Registry or in diagnostics, never in a crash, a hang or undefined behaviour. The bytes are tried
// as an entity file next to a minimal registry.yaml, and as the registry.yaml itself.
#include <cstdint>
#include <string>
#include <vector>

#include "lower/compile.hpp"
#include "util/diagnostic.hpp"

namespace {

void compile(const std::vector<schemactl::registry::SourceFile>& files) {
  try {
    schemactl::compile_registry(files);
  } catch (const schemactl::RegistryError& e) {
    for (const auto& d : e.diagnostics().sorted()) (void)d.str();
  } catch (const schemactl::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  compile({{"schema/registry.yaml", "registry: fuzz\n"}, {"schema/x.yaml", text}});
  compile({{"schema/registry.yaml", text}});
  return 0;
}
