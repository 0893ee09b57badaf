// TiDB (MySQL protocol): types, defaults, quoting, what TiDB cannot hold, and install rendering.
#pragma once

#include "dialect/dialect.hpp"

namespace schemactl {

class TidbDialect final : public Dialect {
 public:
  DialectId id() const override { return DialectId::tidb; }
  std::size_t max_identifier_bytes() const override { return 64; }

  std::string sql_type(const registry::LogicalType& type, const registry::Registry& reg) const override;
  bool auto_increment(const registry::LogicalType& type) const override;
  std::string named_on_update(const std::string& expr, const schema::Column& column,
                              std::string& problem) const override;
  std::string named_default(const std::string& expr, const registry::LogicalType& type,
                            const std::string& sql_type) const override;
  std::string string_literal(std::string_view value) const override;
  std::string quote(std::string_view identifier) const override;

  std::string adapt_index(schema::Index& index, const schema::Table& table) const override;
  std::string key_problem(const std::vector<std::string>& columns, const schema::Table& table) const override;
  std::string auto_increment_problem(const std::string& column, const schema::Table& table) const override;
  std::string exclusion_problem(const schema::Exclusion&) const override { return "TiDB has no exclusion constraints"; }
  std::string function_problem() const override { return "TiDB has no stored functions"; }
  std::string materialized_view_problem() const override { return "TiDB has no materialized views"; }
  std::string extension_problem() const override { return "TiDB has no extensions"; }
  std::string default_problem(const schema::Column& column, const registry::DefaultSpec& spec) const override;
  std::string type_problem(const registry::LogicalType&, const registry::Registry&) const override { return {}; }
  std::optional<int> fraction_digits(const std::string& sql_type) const override;
  UniqueForm unique_form(const registry::LogicalType& type, const std::string& value, const schema::Column& column,
                         const registry::Registry& reg) const override;

  std::string render_install(const schema::Schema& schema) const override;
  std::vector<plan::Step> plan_change(const diff::Change& change, const plan::PlanContext& context) const override;
  std::string migration_preamble(bool up, const plan::SessionSettings& settings) const override;

  // TEXT, BLOB and JSON columns: TiDB keys need a prefix length on them (JSON none at all).
  static bool is_long_type(const std::string& sql_type);
  static bool is_json_type(const std::string& sql_type);
};

}  // namespace schemactl
