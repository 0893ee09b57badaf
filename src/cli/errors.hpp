// How an error that ends a command is shown, in one place for every kind: as text (the default), or
// as one JSON object on stderr when asked for with `--error-format json` (anywhere on the command
// line) or implied by a command's `--format json`.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "util/diagnostic.hpp"

namespace schemactl::cli {

enum class ErrorFormat { text, json };

// Read from the raw command line, before parsing, so that a usage error comes in the asked-for form too.
ErrorFormat error_format_of(int argc, char** argv);

// Masks secrets (passwords) in a text; applied to every string an error shows.
using Redact = std::function<std::string(const std::string&)>;

// Writes `e` (registry errors: every diagnostic) to `out`.
void report_error(std::ostream& out, const Error& e, ErrorFormat format, const Redact& safe);
// An error without a type of ours (a library's exception): kind "error", exit code 1.
void report_unexpected(std::ostream& out, const std::exception& e, ErrorFormat format, const Redact& safe);
// A command line that did not parse (CLI11's message), in JSON: kind "usage", exit code 2 (the text
// form is CLI11's own).
void report_usage_json(std::ostream& out, const std::string& message, const Redact& safe);

}  // namespace schemactl::cli
