// Changes -> ordered steps for one dialect, each with its reverse: up and down come from one pass.
#pragma once

#include <string>
#include <vector>

#include "diff/change.hpp"
#include "plan/step.hpp"
#include "schema/schema.hpp"

namespace schemactl {
class Dialect;
}

namespace schemactl::plan {

struct Options {
  bool allow_destructive = false;
};

struct Plan {
  DialectId dialect = DialectId::postgres;
  std::vector<Step> steps;  // in up order
  bool destructive() const;
  bool reversible() const;
  // The up / down statements in the order they run.
  std::vector<std::string> up_statements() const;
  std::vector<std::string> down_statements() const;
};

// Plans `changes` (from diff(from, to)). Throws Error listing every destructive step when
// `options.allow_destructive` is false and any step could lose data, and every change the dialect
// refuses (e.g. a type change TiDB cannot make in place), with what to do instead.
Plan make_plan(const std::vector<diff::Change>& changes, const schema::Schema& from, const schema::Schema& to,
               const Dialect& dialect, const Options& options);

}  // namespace schemactl::plan
