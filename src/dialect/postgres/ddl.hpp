// Postgres DDL for single objects: the pieces install.sql (and migrations) are made of.
#pragma once

#include <string>

#include "dialect/postgres/postgres.hpp"
#include "schema/order.hpp"

namespace schemactl::postgres {

class Ddl {
 public:
  Ddl(const PostgresDialect& dialect, std::string pg_schema) : d_(dialect), schema_(std::move(pg_schema)) {}

  std::string qualified(const std::string& name) const;
  std::string column_definition(const schema::Column& c) const;
  // CREATE TABLE IF NOT EXISTS with every constraint inline except the deferred foreign keys.
  std::string create_table(const schema::Table& t, const schema::TableOrder& order) const;
  std::string foreign_key_clause(const schema::ForeignKey& fk) const;
  std::string exclusion_clause(const schema::Exclusion& x) const;
  std::string create_index(const schema::Index& ix, const std::string& relation) const;
  // Adds a constraint unless one of that name exists (for install scripts).
  std::string add_constraint_once(const std::string& table, const std::string& name, const std::string& clause) const;
  std::string create_enum_once(const schema::EnumType& e) const;
  std::string create_extension(const schema::Extension& e) const;
  std::string create_view(const schema::View& v) const;
  // Outside `public`, with `SET search_path = <schema>, public`, so that a body written unqualified
  // finds the registry's objects whatever the caller's search_path.
  std::string create_function(const schema::Function& f) const;
  // "SET search_path = <schema>, public" for a schema other than public (else "").
  std::string search_path_clause() const;
  std::string table_comments(const schema::Table& t) const;
  std::string comment_on(const std::string& kind, const std::string& object, const std::string& text) const;
  std::string insert_rows(const schema::Table& t) const;
  // `DO <tag>\n<body><tag>;` (no final line break), with a dollar tag that `body` cannot close.
  static std::string do_block(const std::string& body);

 private:
  std::string columns(const std::vector<std::string>& names) const;
  const PostgresDialect& d_;
  std::string schema_;
};

}  // namespace schemactl::postgres
