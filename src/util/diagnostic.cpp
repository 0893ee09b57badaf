#include "util/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace schemactl {

std::string SourcePos::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::str() const {
  std::string out = pos.str();
  if (!out.empty()) out += ": ";
  if (!path.empty()) out += path + ": ";
  return out + message;
}

void Diagnostics::error(const SourcePos& pos, std::string path, std::string message) {
  items_.push_back(Diagnostic{pos, std::move(path), std::move(message)});
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  auto out = items_;
  auto key = [](const Diagnostic& d) { return std::tie(d.pos.file, d.pos.line, d.pos.column, d.path, d.message); };
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  out.erase(
      std::unique(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
      out.end());
  return out;
}

namespace {
std::string summarize(const Diagnostics& d) {
  std::string out;
  for (const auto& item : d.sorted()) out += item.str() + "\n";
  return out;
}
}  // namespace

RegistryError::RegistryError(Diagnostics diagnostics)
    : Error(summarize(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace schemactl
