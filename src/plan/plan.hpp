// Changes -> ordered steps for one dialect, each with its reverse: up and down come from one pass.
#pragma once

#include <string>
#include <vector>

#include "diff/change.hpp"
#include "plan/step.hpp"
#include "schema/schema.hpp"
#include "util/diagnostic.hpp"

namespace schemactl {
class Dialect;
}

namespace schemactl::plan {

struct Options {
  bool allow_destructive = false;
  bool allow_rewrite = false;  // plan steps that rewrite or scan a table under ACCESS EXCLUSIVE
};

// What a migration file sets for its session before its statements (Postgres: from the registry's
// `postgres.lock_timeout` / `postgres.statement_timeout`; a command-line option of the applier
// overrides them).
struct SessionSettings {
  std::string lock_timeout = "5s";
  std::string statement_timeout;     // empty: not set by the file
  std::string pg_schema = "public";  // outside public: the file sets search_path to it (view bodies)
  // Set search_path for public too: a script for a live database whose default is not known.
  bool pin_search_path = false;
};
SessionSettings session_settings(const schema::Schema& schema);

struct Plan {
  DialectId dialect = DialectId::postgres;
  std::vector<Step> steps;  // in up order
  SessionSettings settings;
  bool destructive() const;
  bool reversible() const;
  // The up / down statements in the order they run.
  std::vector<std::string> up_statements() const;
  std::vector<std::string> down_statements() const;
};

// The Error make_plan throws: its message lists every refusal; `reasons` has each one alone, with
// the change it refuses ("alter column t.n: TiDB cannot ..."), `why` each without that change.
class PlanRefused : public Error {
 public:
  PlanRefused(const std::string& message, std::vector<std::string> reasons, std::vector<std::string> why)
      : Error(message), reasons(std::move(reasons)), why(std::move(why)) {}
  std::vector<std::string> reasons, why;
};

// Plans `changes` (from diff(from, to)). Throws PlanRefused listing every destructive step when
// `options.allow_destructive` is false and any step could lose data, every step that rewrites a
// table under an exclusive lock when `options.allow_rewrite` is false, and every change the dialect
// refuses (e.g. a type change TiDB cannot make in place), with what to do instead.
Plan make_plan(const std::vector<diff::Change>& changes, const schema::Schema& from, const schema::Schema& to,
               const Dialect& dialect, const Options& options);

}  // namespace schemactl::plan
