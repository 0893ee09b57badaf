// What status, plan, up and down print: text for a terminal, JSON for machines, markdown for a
// reviewer's pull request. Database URLs appear only redacted.
#pragma once

#include <string>
#include <vector>

#include "apply/applier.hpp"

namespace schemactl::apply {

enum class Format { text, json, markdown };

std::string render_status(const StatusReport& report, Format format, const std::string& redacted_url);
// `what`: "plan" (nothing ran), "up" or "down" (what ran).
std::string render_run(const std::vector<Planned>& migrations, Format format, const std::string& redacted_url,
                       const std::string& what);

}  // namespace schemactl::apply
