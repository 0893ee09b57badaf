// TiDB DDL for single objects: the pieces install.sql (and migrations) are made of.
#pragma once

#include <string>

#include "dialect/tidb/tidb.hpp"

namespace schemactl::tidb {

class Ddl {
 public:
  explicit Ddl(const TidbDialect& dialect) : d_(dialect) {}

  std::string column_definition(const schema::Column& c) const;
  // With its keys and indexes inline (a migration passes the table without its indexes).
  std::string create_table(const schema::Table& t, const std::string& charset, const std::string& collation) const;
  std::string foreign_key_clause(const schema::ForeignKey& fk) const;
  std::string create_index(const schema::Index& ix) const;
  std::string key_parts(const schema::Index& ix) const;  // "a, b(255) DESC"
  std::string create_view(const schema::View& v) const;
  std::string insert_rows(const schema::Table& t) const;

 private:
  std::string columns(const std::vector<std::string>& names) const;
  const TidbDialect& d_;
};

}  // namespace schemactl::tidb
