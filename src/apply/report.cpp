#include "apply/report.hpp"

#include <nlohmann/json.hpp>

#include "migrate/writer.hpp"
#include "util/text.hpp"

namespace schemactl::apply {

namespace {

// What a row's detail column says: how far a stopped migration got and what is in doubt.
std::string detail_of(const MigrationStatus& s) {
  const auto& r = s.row;
  switch (s.status) {
    case Status::partial:
      return std::to_string(r->statements_applied) + " of " + std::to_string(r->statements_total) +
             " statements applied" +
             (r->in_flight ? "; statement " + std::to_string(r->statements_applied + 1) +
                                 " was running when the run stopped (the next `up` checks whether it took effect)"
                           : "") +
             (r->batches_done ? "; statement " + std::to_string(r->statements_applied + 1) + " (repeat-until-zero) " +
                                    "has committed " + std::to_string(r->batches_done) + " batch(es), " +
                                    std::to_string(r->rows_done) + " row(s); `up` goes on from there"
                              : "") +
             (r->error.empty() ? "" : "; failed: " + r->error);
    case Status::unknown:
      return "statement " + std::to_string((r->rolling_back() ? r->down_applied : r->statements_applied) + 1) +
             " of its " + (r->rolling_back() ? "down" : "up") +
             " file may or may not have committed: `migrate resolve " + s.version +
             " --statement-applied` or `--statement-not-applied`";
    case Status::rolling_back:
      return std::to_string(r->down_applied) + " down statements done" +
             (r->in_flight ? " (the next was running when the run stopped)" : "") +
             (r->error.empty() ? "" : "; failed: " + r->error) + "; `migrate down` resumes";
    case Status::applied:
      return r->applied_at + " (" + std::to_string(r->duration_ms) + " ms)";
    case Status::modified:
      return "the up file changed after it was recorded";
    case Status::missing:
      return "recorded, but its files are gone";
    case Status::pending:
      return "";
  }
  return "";
}

}  // namespace

std::string render_status(const StatusReport& report, Format format, const std::string& url) {
  const auto& states = report.migrations;
  std::vector<std::string> problems = report.directory_problems;
  problems.insert(problems.end(), report.catalog_problems.begin(), report.catalog_problems.end());
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
        m["in_flight"] = s.row->in_flight;
        if (s.row->down_applied) m["down_applied"] = s.row->down_applied;
        if (!s.row->error.empty()) m["error"] = s.row->error;
        if (!s.row->failed_statement.empty()) m["failed_statement"] = s.row->failed_statement;
      }
      j["migrations"].push_back(m);
    }
    j["problems"] = problems;
    return j.dump(2) + "\n";
  }
  std::string out;
  bool md = format == Format::markdown;
  out += md ? "### Migrations on `" + url + "`\n\n| version | name | status | detail |\n|---|---|---|---|\n"
            : "migrations on " + url + ":\n";
  for (const auto& s : states) {
    std::string detail = detail_of(s);
    if (md)
      out += "| " + s.version + " | " + s.name + " | " + status_name(s.status) + " | " + detail + " |\n";
    else
      out += "  " + s.version + "  " + s.name + "  " + status_name(s.status) + (detail.empty() ? "" : "  " + detail) +
             "\n";
  }
  if (states.empty()) out += md ? "| | | none | |\n" : "  (no migrations)\n";
  if (!problems.empty()) {
    out += md ? "\n**Problems**\n\n" : "problems:\n";
    for (const auto& p : problems) out += (md ? "- " : "  ! ") + p + "\n";
  }
  return out;
}

// What a plan says about a repeat-until-zero statement (its marker, and what the applier does).
static std::string repeat_note(const Statement& s, const std::string& indent) {
  return indent + migrate::kRepeatUntilZero + (s.max_batches ? " max-batches=" + std::to_string(s.max_batches) : "") +
         " (repeated until it changes 0 rows, each batch its own transaction, at most " +
         std::to_string(s.max_batches ? s.max_batches : kDefaultMaxBatches) + " batches)";
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
      m["notes"] = p.notes;
      m["statements"] = nlohmann::json::array();
      for (std::size_t i = 0; i < p.statements.size(); ++i)
        if (static_cast<int>(i) >= p.resume_from)
          m["statements"].push_back({{"line", p.statements[i].line},
                                     {"sql", p.statements[i].sql},
                                     {"comments", i < p.comments.size() ? p.comments[i] : std::vector<std::string>{}},
                                     {"outside_transaction", p.statements[i].outside_transaction},
                                     {"repeat_until_zero", p.statements[i].repeat_until_zero},
                                     {"locks", i < p.locks.size() ? p.locks[i] : std::vector<std::string>{}}});
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
      for (std::size_t i = static_cast<std::size_t>(p.resume_from); i < p.statements.size(); ++i) {
        if (i < p.comments.size() && !p.comments[i].empty()) {
          if (i > static_cast<std::size_t>(p.resume_from)) out += "\n";
          for (const auto& c : p.comments[i]) out += c + "\n";
        }
        if (i < p.locks.size())
          for (const auto& l : p.locks[i]) out += "-- locks " + l + "\n";
        if (p.statements[i].repeat_until_zero) out += repeat_note(p.statements[i], "-- ") + "\n";
        out += p.statements[i].sql + ";\n";
      }
      out += "```\n\n";
    } else {
      out += "  " + title + ": " + verb + " " +
             std::to_string(p.statements.size() - static_cast<std::size_t>(p.resume_from)) + " statement(s)" +
             (p.resume_from ? ", resuming at statement " + std::to_string(p.resume_from + 1) : "") +
             (what != "plan" ? " in " + std::to_string(p.duration_ms) + " ms" : "") + "\n";
      for (const auto& w : p.warnings) out += "    ! " + w + "\n";
      for (const auto& n : p.notes) out += "    - " + n + "\n";
      if (what == "plan")
        for (std::size_t i = static_cast<std::size_t>(p.resume_from); i < p.statements.size(); ++i) {
          // Whole, as written: the statement's own lines, each further one indented under the first.
          std::string number = "    " + std::to_string(i + 1) + ". ";
          std::string sql = p.statements[i].sql, indent(number.size(), ' ');
          std::string shown;
          for (char c : sql) {
            if (c == '\r') continue;
            shown += c;
            if (c == '\n') shown += indent;
          }
          out += number + shown + "\n";
          if (i < p.locks.size())
            for (const auto& l : p.locks[i]) out += "         locks " + l + "\n";
          if (p.statements[i].repeat_until_zero) out += repeat_note(p.statements[i], "         ") + "\n";
        }
    }
  }
  return out;
}

}  // namespace schemactl::apply
