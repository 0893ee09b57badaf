// The per-dialect hooks: type lowering, literals and quoting, what the dialect cannot hold, and
// rendering. Everything dialect-specific lives behind this interface (postgres/, tidb/).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "diff/change.hpp"
#include "plan/plan.hpp"
#include "plan/step.hpp"
#include "registry/model.hpp"
#include "schema/schema.hpp"

namespace schemactl {

namespace plan {
// What a dialect planner may look at besides the change itself.
struct PlanContext {
  const schema::Schema& from;
  const schema::Schema& to;
  std::set<std::string> renamed_tables;  // old names of the tables the changes rename
  // The columns the changes rename: table (as `to` names it) -> old column name -> new.
  std::map<std::string, std::map<std::string, std::string>> renamed_columns;
  // `column` of `table` (as `to` names the table) under its name in `to` (`to_new`) or in `from`.
  std::string column_in(const std::string& table, const std::string& column, bool to_new) const;
};
// A change this dialect will not make, with the reason and what to do instead.
class Refusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
}  // namespace plan

class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual DialectId id() const = 0;
  std::string name() const { return dialect_name(id()); }
  virtual std::size_t max_identifier_bytes() const = 0;

  // --- lowering
  // The SQL type of a logical type, before registry or column overrides.
  virtual std::string sql_type(const registry::LogicalType& type, const registry::Registry& reg) const = 0;
  virtual bool auto_increment(const registry::LogicalType& type) const = 0;
  // A named default (`now`, `uuid`, `empty_object`, ...) for a column of `type` lowered to `sql_type`.
  virtual std::string named_default(const std::string& expr, const registry::LogicalType& type,
                                    const std::string& sql_type) const = 0;
  // The ON UPDATE expression of a named one (`now`) for `column` as lowered so far (type set), or
  // "" with `problem` saying why this dialect or this column cannot have it.
  virtual std::string named_on_update(const std::string& expr, const schema::Column& column,
                                      std::string& problem) const = 0;
  virtual std::string string_literal(std::string_view value) const = 0;
  virtual std::string quote(std::string_view identifier) const = 0;

  // Each returns why this dialect cannot hold the object ("" when it can). The index hook may also
  // rewrite the index into an equivalent form the dialect can hold.
  virtual std::string adapt_index(schema::Index& index, const schema::Table& table) const = 0;
  virtual std::string key_problem(const std::vector<std::string>& columns, const schema::Table& table) const = 0;
  virtual std::string exclusion_problem(const schema::Exclusion& exclusion) const = 0;
  // Why this dialect cannot hold the AUTO_INCREMENT column `column` of `table` (lowered, with its
  // keys and indexes), or "": the MySQL family wants it to lead a key.
  virtual std::string auto_increment_problem(const std::string& column, const schema::Table& table) const = 0;
  virtual std::string function_problem() const = 0;
  virtual std::string materialized_view_problem() const = 0;
  virtual std::string extension_problem() const = 0;
  virtual std::string default_problem(const schema::Column& column, const registry::DefaultSpec& spec) const = 0;
  virtual std::string type_problem(const registry::LogicalType& type, const registry::Registry& reg) const = 0;
  // How this dialect's unique indexes compare a reference-row value of `column` (lowered, type
  // set), given its form as the logical type holds it (registry::value_form). `why` says what the
  // dialect's comparison adds ("" when nothing): a collation that ignores case, uuid's spelling.
  // How many digits after the point a column of this SQL type keeps (0 for the integer types);
  // nullopt for a type that is not an exact number or keeps any number of them.
  virtual std::optional<int> fraction_digits(const std::string& sql_type) const = 0;
  // The same for the SQL spellings both dialects share (integer names, DECIMAL / NUMERIC (p[,s])),
  // with `bare` for a DECIMAL or NUMERIC without a precision.
  static std::optional<int> exact_number_digits(const std::string& sql_type, std::optional<int> bare);
  struct UniqueForm {
    std::string form;
    std::string why;
  };
  virtual UniqueForm unique_form(const registry::LogicalType& type, const std::string& value,
                                 const schema::Column& column, const registry::Registry& reg) const = 0;

  // --- rendering
  // The full, idempotent install script.
  virtual std::string render_install(const schema::Schema& schema) const = 0;

  // --- planning
  // The steps (each with its reverse) that make one change; throws plan::Refusal for a change this
  // dialect will not make.
  virtual std::vector<plan::Step> plan_change(const diff::Change& change, const plan::PlanContext& context) const = 0;
  // The comment block that opens a migration file (lock settings for Postgres, notes for TiDB).
  virtual std::string migration_preamble(bool up, const plan::SessionSettings& settings) const = 0;
};

const Dialect& dialect_for(DialectId id);

}  // namespace schemactl
