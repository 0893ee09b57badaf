#include "migrate/writer.hpp"

#include "migrate/lineage.hpp"
#include "output/banner.hpp"

namespace schemactl::migrate {

namespace {

std::string header(const Dialect& d, const std::string& id, const char* direction) {
  return sql_comment_line("schemactl migration " + id + ": " + direction + " (" + d.name() + ")");
}

void add_statements(std::string& out, const plan::Step& step, const std::vector<std::string>& statements,
                    const std::string& label) {
  if (statements.empty()) return;
  out += "\n" + sql_comment_line(label);
  for (const auto& statement : statements) {
    if (step.outside_transaction) out += std::string(kOutsideTransaction) + "\n";
    out += statement + "\n";
  }
}

}  // namespace

MigrationText render_migration(const plan::Plan& plan, const Dialect& d, const std::string& id,
                               const Lineage& lineage) {
  MigrationText out;
  out.up = header(d, id, "up") + lineage_lines(lineage) + sql_comment_line("Planned by `schemactl migrate new`.");
  out.down = header(d, id, "down") + sql_comment_line("Undoes the up file, step by step in reverse.");
  std::vector<std::string> destructive, rewrites, loses, irreversible;
  for (const auto& s : plan.steps) {
    if (s.destructive) destructive.push_back(s.what + ": " + s.up_note);
    if (s.rewrites && !s.destructive) rewrites.push_back(s.what + ": " + s.up_note);
    if (s.irreversible)
      irreversible.push_back(s.what + ": " + s.down_note);
    else if (!s.down_note.empty())
      loses.push_back(s.what + ": " + s.down_note);
  }
  if (!destructive.empty()) {
    out.up += sql_comment_line("DESTRUCTIVE (planned with --allow-destructive): data can be lost:");
    for (const auto& line : destructive) out.up += sql_comment_line("  " + line);
  }
  if (!rewrites.empty()) {
    out.up += sql_comment_line("REWRITES (planned with --allow-rewrite): readers and writers wait while:");
    for (const auto& line : rewrites) out.up += sql_comment_line("  " + line);
  }
  if (!irreversible.empty())
    for (const auto& line : irreversible) out.down += std::string(kIrreversible) + " " + line + "\n";
  if (!loses.empty()) {
    out.down += std::string(kCannotBringBack) + "\n";
    for (const auto& line : loses) out.down += sql_comment_line("  " + line);
  }
  out.up += d.migration_preamble(true, plan.settings);
  out.down += d.migration_preamble(false, plan.settings);
  if (plan.steps.empty()) {
    out.up += "\n" + sql_comment_line("no changes for " + d.name());
    out.down += "\n" + sql_comment_line("no changes for " + d.name());
  }
  for (const auto& s : plan.steps) add_statements(out.up, s, s.up, s.what);
  for (auto it = plan.steps.rbegin(); it != plan.steps.rend(); ++it)
    add_statements(out.down, *it, it->down, "undo: " + it->what);
  return out;
}

MigrationText render_empty_migration(const Dialect& d, const std::string& id, const Lineage& lineage,
                                     const plan::SessionSettings& settings) {
  MigrationText out;
  out.up = header(d, id, "up") + lineage_lines(lineage) +
           sql_comment_line("A hand-written migration: write the statements below.") +
           d.migration_preamble(true, settings) + "\n";
  out.down = header(d, id, "down") + sql_comment_line("Write the statements that undo the up file below.") +
             d.migration_preamble(false, settings) + "\n";
  return out;
}

}  // namespace schemactl::migrate
