// What `diff --url` prints (text, JSON or markdown) and the repair script `--sql FILE` writes.
#pragma once

#include <string>

#include "apply/report.hpp"
#include "drift/compare.hpp"
#include "drift/expected.hpp"

namespace schemactl::drift {

// `header`: what was compared ("drift of <redacted url>" ...). Database URLs only ever redacted.
std::string render_drift(const DriftReport& report, const Expectation& expected, apply::Format format,
                         const std::string& redacted_url);

// How many differences have no repair planned (their `problem` says why).
std::size_t unplanned_count(const DriftReport& report);

// The repair as a script for the dialect's own client (psql -f / mysql <): every step's statements in
// the order they run, with the dialect's migration preamble. Never run by schemactl.
std::string render_repair(const DriftReport& report, const Expectation& expected, const std::string& redacted_url);

}  // namespace schemactl::drift
