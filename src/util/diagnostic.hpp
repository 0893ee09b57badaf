// Diagnostics: what went wrong, where (file:line:col and the path of the node), and the exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace schemactl {

// A position in a registry file; line and column are 1-based (0 = unknown).
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:col", or "file" when the line is unknown
};

struct Diagnostic {
  SourcePos pos;
  std::string path;  // e.g. "moments.speakers"; may be empty
  std::string message;
  std::string str() const;  // "file:line:col: path: message"
};

// Collects every problem so that `validate` can report all of them at once.
class Diagnostics {
 public:
  void error(const SourcePos& pos, std::string path, std::string message);
  void merge(const Diagnostics& other) { items_.insert(items_.end(), other.items_.begin(), other.items_.end()); }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  // Sorted by file, line, column, then message, without exact duplicates.
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

// Process exit codes (../shared/DESIGN.md).
enum class ExitCode : int { ok = 0, error = 1, usage = 2, pending = 3 };

// Where an error happened, for the machine-readable form of errors (`--error-format json`, see
// cli/errors.hpp); every field is optional (empty, 0).
struct ErrorContext {
  std::string file;       // a registry, migration or output file
  int line = 0;           // 1-based
  int column = 0;         // 1-based
  std::string statement;  // the SQL statement that failed
  std::string version;    // the migration's version
};

// An error that ends a command: carries the user-facing text, the exit code and where it happened.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ExitCode code = ExitCode::error, ErrorContext context = {})
      : std::runtime_error(message), code_(code), context_(std::move(context)) {}
  ExitCode code() const { return code_; }
  const ErrorContext& context() const { return context_; }
  // What kind of error this is, for machines: "usage", "registry", "migration", "history", "database",
  // "file" or "error".
  virtual std::string kind() const { return code_ == ExitCode::usage ? "usage" : "error"; }

 private:
  ExitCode code_;
  ErrorContext context_;
};

// The registry did not validate; `diagnostics` holds every problem.
class RegistryError : public Error {
 public:
  explicit RegistryError(Diagnostics diagnostics);
  const Diagnostics& diagnostics() const { return diagnostics_; }
  std::string kind() const override { return "registry"; }

 private:
  Diagnostics diagnostics_;
};

}  // namespace schemactl
