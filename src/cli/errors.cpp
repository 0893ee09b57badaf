#include "cli/errors.hpp"

#include <cstring>
#include <nlohmann/json.hpp>

namespace schemactl::cli {

namespace {

nlohmann::json base(const std::string& kind, const std::string& message, ExitCode code) {
  return nlohmann::json{{"kind", kind}, {"message", message}, {"exit_code", static_cast<int>(code)}};
}

void add_context(nlohmann::json& j, const ErrorContext& c, const Redact& safe) {
  if (!c.file.empty()) j["file"] = safe(c.file);
  if (c.line > 0) j["line"] = c.line;
  if (c.column > 0) j["column"] = c.column;
  if (!c.statement.empty()) j["statement"] = safe(c.statement);
  if (!c.version.empty()) j["version"] = c.version;
}

void write_json(std::ostream& out, const nlohmann::json& j) {
  // One line: a CI step can read it with `jq` or split lines.
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

std::string count_line(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " error" : " errors") + "; nothing was written";
}

}  // namespace

ErrorFormat error_format_of(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    for (const char* flag : {"--error-format", "--format"}) {
      std::string f = flag;
      if (arg == f + "=json" || (arg == f && i + 1 < argc && std::strcmp(argv[i + 1], "json") == 0))
        return ErrorFormat::json;
    }
  }
  return ErrorFormat::text;
}

void report_error(std::ostream& out, const Error& e, ErrorFormat format, const Redact& safe) {
  if (const auto* registry = dynamic_cast<const RegistryError*>(&e)) {
    auto items = registry->diagnostics().sorted();
    if (format == ErrorFormat::text) {
      for (const auto& d : items) out << safe(d.str()) << "\n";
      out << count_line(items.size()) << "\n";
      return;
    }
    nlohmann::json j = base(e.kind(), count_line(items.size()), e.code());
    j["diagnostics"] = nlohmann::json::array();
    for (const auto& d : items) {
      nlohmann::json item{{"file", safe(d.pos.file)}, {"message", safe(d.message)}};
      if (d.pos.line > 0) item["line"] = d.pos.line;
      if (d.pos.column > 0) item["column"] = d.pos.column;
      if (!d.path.empty()) item["path"] = safe(d.path);
      j["diagnostics"].push_back(item);
    }
    write_json(out, j);
    return;
  }
  if (format == ErrorFormat::text) {
    out << "error: " << safe(e.what()) << "\n";
    return;
  }
  nlohmann::json j = base(e.kind(), safe(e.what()), e.code());
  add_context(j, e.context(), safe);
  write_json(out, j);
}

void report_unexpected(std::ostream& out, const std::exception& e, ErrorFormat format, const Redact& safe) {
  if (format == ErrorFormat::text)
    out << "error: " << safe(e.what()) << "\n";
  else
    write_json(out, base("error", safe(e.what()), ExitCode::error));
}

void report_usage_json(std::ostream& out, const std::string& message, const Redact& safe) {
  write_json(out, base("usage", safe(message), ExitCode::usage));
}

}  // namespace schemactl::cli
