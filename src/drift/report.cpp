#include "drift/report.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "dialect/dialect.hpp"
#include "output/banner.hpp"

namespace schemactl::drift {
namespace {

std::vector<std::string> statements_of(const Difference& d) {
  std::vector<std::string> out;
  for (const auto& s : d.steps) out.insert(out.end(), s.up.begin(), s.up.end());
  return out;
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out = prefix;
  for (char c : text) {
    out += c;
    if (c == '\n') out += prefix;
  }
  return out;
}

}  // namespace

std::size_t unplanned_count(const DriftReport& r) {
  return static_cast<std::size_t>(std::count_if(r.differences.begin(), r.differences.end(),
                                                [](const Difference& d) { return !d.problem.empty(); }));
}

std::string render_drift(const DriftReport& r, const Expectation& e, apply::Format format, const std::string& url) {
  const std::string dialect = dialect_name(r.dialect);
  if (format == apply::Format::json) {
    nlohmann::json j;
    j["database"] = url;
    j["dialect"] = dialect;
    j["compared_with"] = e.against;
    j["drift"] = !r.clean();
    j["pending"] = e.pending;
    j["notes"] = e.notes;
    j["unchecked"] = r.unchecked;
    j["differences"] = nlohmann::json::array();
    for (const auto& d : r.differences) {
      nlohmann::json item{{"repair", d.what}, {"destructive", d.destructive()}, {"sql", statements_of(d)}};
      if (!d.problem.empty()) item["problem"] = d.problem;
      j["differences"].push_back(item);
    }
    return j.dump(2) + "\n";
  }
  const bool md = format == apply::Format::markdown;
  std::string out = md ? "### Drift of `" + url + "` (" + dialect + ")\n\nCompared with " + e.against + ".\n\n"
                       : "drift of " + url + " (" + dialect + ")\ncompared with " + e.against + "\n";
  for (const auto& n : e.notes) out += (md ? "- note: " : "  note: ") + n + "\n";
  for (const auto& u : r.unchecked) out += (md ? "- not checked: " : "  not checked: ") + u + "\n";
  if (md && (!e.notes.empty() || !r.unchecked.empty())) out += "\n";
  if (r.clean()) return out + (md ? "No drift: the database matches.\n" : "no drift: the database matches\n");
  out += std::to_string(r.differences.size()) + (r.differences.size() == 1 ? " difference" : " differences") +
         ", each as the change that repairs it (`--sql FILE` writes the repair script; diff never runs it):\n";
  if (md) out += "\n";
  for (const auto& d : r.differences) {
    std::string flag = d.destructive() ? " [destructive]" : "";
    if (md) {
      out += "- **" + d.what + "**" + flag + "\n";
      if (!d.problem.empty()) out += "  - cannot be planned: " + d.problem + "\n";
      auto sql = statements_of(d);
      if (!sql.empty()) {
        out += "\n  ```sql\n";
        for (const auto& s : sql) out += indent(s, "  ") + "\n";
        out += "  ```\n";
      }
    } else {
      out += "  " + d.what + flag + "\n";
      if (!d.problem.empty()) out += "      cannot be planned: " + d.problem + "\n";
      for (const auto& s : statements_of(d)) out += indent(s, "      ") + "\n";
    }
  }
  return out;
}

std::string render_repair(const DriftReport& r, const Expectation& e, const std::string& url) {
  const Dialect& d = dialect_for(r.dialect);
  std::string out = sql_comment_line("schemactl diff: repair of " + url + " (" + d.name() + ")") +
                    sql_comment_line("Brings the database to " + e.against + ".") +
                    sql_comment_line(
                        "Written by `schemactl diff --sql`; review it, then run it with the dialect's "
                        "own client. schemactl never runs it.");
  const std::size_t unplanned = unplanned_count(r);
  if (unplanned > 0)
    out += sql_comment_line("INCOMPLETE: this script does not repair " + std::to_string(unplanned) +
                            (unplanned == 1 ? " difference" : " differences") +
                            " (NOT PLANNED below): after it runs, `diff` still reports " +
                            (unplanned == 1 ? "it" : "them") + "; make " + (unplanned == 1 ? "that" : "those") +
                            " change by hand.");
  for (const auto& diff : r.differences)
    if (!diff.problem.empty()) out += sql_comment_line("NOT PLANNED: " + diff.what + ": " + diff.problem);
  std::vector<std::string> destructive;
  for (const auto& diff : r.differences)
    if (diff.destructive()) destructive.push_back(diff.what);
  if (!destructive.empty()) {
    out += sql_comment_line("DESTRUCTIVE: data can be lost:");
    for (const auto& w : destructive) out += sql_comment_line("  " + w);
  }
  plan::SessionSettings settings = plan::session_settings(e.schema);
  settings.pin_search_path = true;  // the database's own default may put another schema first
  out += d.migration_preamble(true, settings);
  auto steps = r.repair_steps();
  if (steps.empty())
    out += "\n" + sql_comment_line(unplanned > 0 ? "no statement: nothing here repairs what is NOT PLANNED above"
                                                 : "no drift: nothing to repair");
  for (const auto& s : steps) {
    if (s.up.empty()) continue;
    out += "\n" + sql_comment_line(s.what);
    for (const auto& statement : s.up) out += statement + "\n";
  }
  return out;
}

}  // namespace schemactl::drift
