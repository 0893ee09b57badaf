// Creation order: tables before the tables that reference them; foreign keys that close a cycle
// are split off to be added after every table exists.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "schema/schema.hpp"

namespace schemactl::schema {

struct TableOrder {
  std::vector<const Table*> tables;  // created tables only (no external ones), dependencies first
  // (table, foreign key name) pairs to add after all tables: they close a reference cycle.
  std::set<std::pair<std::string, std::string>> deferred_foreign_keys;
  bool deferred(const Table& t, const ForeignKey& fk) const {
    return deferred_foreign_keys.count({t.name, fk.name}) > 0;
  }
};

TableOrder order_tables(const Schema& schema);

// Views (plain and materialized) ordered so that a view comes after the views it depends on.
std::vector<const View*> order_views(const Schema& schema);

}  // namespace schemactl::schema
