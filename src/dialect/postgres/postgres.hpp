// PostgreSQL 15: types, defaults, quoting and install rendering.
#pragma once

#include "dialect/dialect.hpp"

namespace schemactl {

class PostgresDialect final : public Dialect {
 public:
  DialectId id() const override { return DialectId::postgres; }
  std::size_t max_identifier_bytes() const override { return 63; }

  std::string sql_type(const registry::LogicalType& type, const registry::Registry& reg) const override;
  bool auto_increment(const registry::LogicalType&) const override { return false; }
  std::string named_on_update(const std::string& expr, const schema::Column& column,
                              std::string& problem) const override;
  std::string named_default(const std::string& expr, const registry::LogicalType& type,
                            const std::string& sql_type) const override;
  std::string string_literal(std::string_view value) const override;
  std::string quote(std::string_view identifier) const override;

  std::string adapt_index(schema::Index& index, const schema::Table& table) const override;
  std::string key_problem(const std::vector<std::string>&, const schema::Table&) const override { return {}; }
  std::string exclusion_problem(const schema::Exclusion&) const override { return {}; }
  std::string auto_increment_problem(const std::string&, const schema::Table&) const override { return {}; }
  std::string function_problem() const override { return {}; }
  std::string materialized_view_problem() const override { return {}; }
  std::string extension_problem() const override { return {}; }
  std::string default_problem(const schema::Column&, const registry::DefaultSpec&) const override { return {}; }
  std::string type_problem(const registry::LogicalType& type, const registry::Registry& reg) const override;
  std::optional<int> fraction_digits(const std::string& sql_type) const override;
  UniqueForm unique_form(const registry::LogicalType& type, const std::string& value, const schema::Column& column,
                         const registry::Registry& reg) const override;

  std::string render_install(const schema::Schema& schema) const override;
  std::vector<plan::Step> plan_change(const diff::Change& change, const plan::PlanContext& context) const override;
  std::string migration_preamble(bool up, const plan::SessionSettings& settings) const override;
};

}  // namespace schemactl
