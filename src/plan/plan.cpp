#include "plan/plan.hpp"

#include <algorithm>

#include "dialect/dialect.hpp"
#include "util/diagnostic.hpp"
#include "util/text.hpp"

namespace schemactl::plan {

bool Plan::destructive() const {
  return std::any_of(steps.begin(), steps.end(), [](const Step& s) { return s.destructive; });
}

bool Plan::reversible() const {
  return std::none_of(steps.begin(), steps.end(), [](const Step& s) { return s.irreversible; });
}

std::vector<std::string> Plan::up_statements() const {
  std::vector<std::string> out;
  for (const auto& s : steps) out.insert(out.end(), s.up.begin(), s.up.end());
  return out;
}

std::vector<std::string> Plan::down_statements() const {
  std::vector<std::string> out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) out.insert(out.end(), it->down.begin(), it->down.end());
  return out;
}

SessionSettings session_settings(const schema::Schema& schema) {
  SessionSettings s;
  s.lock_timeout = schema.pg_lock_timeout;
  s.statement_timeout = schema.pg_statement_timeout;
  s.pg_schema = schema.pg_schema;
  return s;
}

Plan make_plan(const std::vector<diff::Change>& changes, const schema::Schema& from, const schema::Schema& to,
               const Dialect& dialect, const Options& options) {
  Plan plan;
  plan.dialect = dialect.id();
  plan.settings = session_settings(to);
  std::vector<std::string> refused, why;
  PlanContext context{from, to, {}, {}};
  for (const auto& change : changes) {
    if (const auto* r = std::get_if<diff::RenameTable>(&change)) context.renamed_tables.insert(r->from);
    if (const auto* r = std::get_if<diff::RenameColumn>(&change)) context.renamed_columns[r->table][r->from] = r->to;
  }
  for (const auto& change : changes) {
    try {
      for (auto& step : dialect.plan_change(change, context)) plan.steps.push_back(std::move(step));
    } catch (const Refusal& r) {
      refused.push_back(diff::describe(change) + ": " + r.what());
      why.push_back(r.what());
    }
  }
  std::stable_sort(plan.steps.begin(), plan.steps.end(),
                   [](const Step& a, const Step& b) { return a.phase < b.phase; });
  if (!options.allow_destructive)
    for (const auto& s : plan.steps)
      if (s.destructive) {
        refused.push_back(s.what + ": " + s.up_note + " (pass --allow-destructive to plan it anyway)");
        why.push_back(s.up_note + " (pass --allow-destructive to plan it anyway)");
      }
  if (!options.allow_rewrite)
    for (const auto& s : plan.steps)
      if (s.rewrites) {
        why.push_back(s.up_note +
                      "; readers and writers of the table wait until it is done. On a large table change it "
                      "by expand/contract instead: add a new column, backfill it in batches, switch the "
                      "application to it, then drop the old column in a later migration (pass "
                      "--allow-rewrite to plan it anyway)");
        refused.push_back(s.what + ": " + why.back());
      }
  if (!refused.empty())
    throw PlanRefused("refusing to plan the " + dialect.name() + " migration:\n  " + join(refused, "\n  "), refused,
                      why);
  return plan;
}

}  // namespace schemactl::plan
