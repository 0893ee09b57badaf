#include "apply/report.hpp"

#include <nlohmann/json.hpp>

#include "util/text.hpp"

namespace schemactl::apply {

std::string render_status(const std::vector<MigrationStatus>& states, Format format, const std::string& url) {
  if (format == Format::json) {
    nlohmann::json j;
    j["database"] = url;
    j["migrations"] = nlohmann::json::array();
    for (const auto& s : states) {
      nlohmann::json m{{"version", s.version}, {"name", s.name}, {"status", status_name(s.status)}};
      if (s.row) {
        m["applied_at"] = s.row->applied_at;
        m["duration_ms"] = s.row->duration_ms;
        m["statements_applied"] = s.row->statements_applied;
        m["statements_total"] = s.row->statements_total;
        if (!s.row->error.empty()) m["error"] = s.row->error;
        if (!s.row->failed_statement.empty()) m["failed_statement"] = s.row->failed_statement;
      }
      j["migrations"].push_back(m);
    }
    return j.dump(2) + "\n";
  }
  std::string out;
  bool md = format == Format::markdown;
  out += md ? "### Migrations on `" + url + "`\n\n| version | name | status | detail |\n|---|---|---|---|\n"
            : "migrations on " + url + ":\n";
  for (const auto& s : states) {
    std::string detail;
    if (s.status == Status::partial)
      detail = std::to_string(s.row->statements_applied) + " of " + std::to_string(s.row->statements_total) +
               " statements applied" + (s.row->error.empty() ? "" : "; failed: " + s.row->error);
    else if (s.status == Status::applied)
      detail = s.row->applied_at + " (" + std::to_string(s.row->duration_ms) + " ms)";
    else if (s.status == Status::modified)
      detail = "the up file changed after it was applied";
    else if (s.status == Status::missing)
      detail = "applied, but its files are gone";
    if (md)
      out += "| " + s.version + " | " + s.name + " | " + status_name(s.status) + " | " + detail + " |\n";
    else
      out += "  " + s.version + "  " + s.name + "  " + status_name(s.status) + (detail.empty() ? "" : "  " + detail) +
             "\n";
  }
  if (states.empty()) out += md ? "| | | none | |\n" : "  (no migrations)\n";
  return out;
}

std::string render_run(const std::vector<Planned>& migrations, Format format, const std::string& url,
                       const std::string& what) {
  if (format == Format::json) {
    nlohmann::json j;
    j["database"] = url;
    j["action"] = what;
    j["migrations"] = nlohmann::json::array();
    for (const auto& p : migrations) {
      nlohmann::json m{{"version", p.version}, {"name", p.name}, {"direction", p.direction}, {"warnings", p.warnings}};
      if (p.resume_from) m["resume_from_statement"] = p.resume_from + 1;
      if (what != "plan") m["duration_ms"] = p.duration_ms;
      m["statements"] = nlohmann::json::array();
      for (std::size_t i = 0; i < p.statements.size(); ++i)
        if (static_cast<int>(i) >= p.resume_from)
          m["statements"].push_back({{"line", p.statements[i].line},
                                     {"sql", p.statements[i].sql},
                                     {"outside_transaction", p.statements[i].outside_transaction}});
      j["migrations"].push_back(m);
    }
    return j.dump(2) + "\n";
  }
  bool md = format == Format::markdown;
  std::string out;
  std::string verb = what == "plan" ? "would run" : "ran";
  if (migrations.empty()) return md ? "Nothing to do on `" + url + "`.\n" : "nothing to do on " + url + "\n";
  out += md ? "### Migration " + what + " for `" + url + "`\n\n" : what + " on " + url + ":\n";
  for (const auto& p : migrations) {
    std::string title = p.version + "_" + p.name + " (" + p.direction + ")";
    if (md) {
      out += "#### " + title + "\n\n";
      for (const auto& w : p.warnings)
        out += "> **" + w.substr(0, w.find(':')) + "**" + w.substr(w.find(':')) + "\n>\n";
      if (p.resume_from) out += "Resumes at statement " + std::to_string(p.resume_from + 1) + ".\n\n";
      out += "```sql\n";
      for (std::size_t i = static_cast<std::size_t>(p.resume_from); i < p.statements.size(); ++i)
        out += p.statements[i].sql + ";\n";
      out += "```\n\n";
    } else {
      out += "  " + title + ": " + verb + " " +
             std::to_string(p.statements.size() - static_cast<std::size_t>(p.resume_from)) + " statement(s)" +
             (p.resume_from ? ", resuming at statement " + std::to_string(p.resume_from + 1) : "") +
             (what != "plan" ? " in " + std::to_string(p.duration_ms) + " ms" : "") + "\n";
      for (const auto& w : p.warnings) out += "    ! " + w + "\n";
      if (what == "plan")
        for (std::size_t i = static_cast<std::size_t>(p.resume_from); i < p.statements.size(); ++i) {
          std::string sql = p.statements[i].sql;
          for (auto& c : sql)
            if (c == '\n') c = ' ';
          out += "    " + std::to_string(i + 1) + ". " + (sql.size() > 160 ? sql.substr(0, 157) + "..." : sql) + "\n";
        }
    }
  }
  return out;
}

}  // namespace schemactl::apply
