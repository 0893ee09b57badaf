#include "schema/order.hpp"

#include <map>

namespace schemactl::schema {

TableOrder order_tables(const Schema& schema) {
  TableOrder out;
  std::map<std::string, const Table*> by_name;
  for (const auto& t : schema.tables)
    if (!t.external) by_name[t.name] = &t;
  enum class Mark { none, visiting, done };
  std::map<std::string, Mark> mark;
  // Depth-first in registry order: deterministic, and a back edge is exactly a cycle-closing key.
  auto visit = [&](auto&& self, const Table& t) -> void {
    mark[t.name] = Mark::visiting;
    for (const auto& fk : t.foreign_keys) {
      if (fk.ref_table == t.name) continue;  // self-references are fine inline
      auto it = by_name.find(fk.ref_table);
      if (it == by_name.end()) continue;  // external
      Mark m = mark[fk.ref_table];
      if (m == Mark::visiting)
        out.deferred_foreign_keys.insert({t.name, fk.name});
      else if (m == Mark::none)
        self(self, *it->second);
    }
    mark[t.name] = Mark::done;
    out.tables.push_back(&t);
  };
  for (const auto& t : schema.tables)
    if (!t.external && mark[t.name] == Mark::none) visit(visit, t);
  return out;
}

std::vector<const View*> order_views(const Schema& schema) {
  std::vector<const View*> out;
  std::map<std::string, const View*> by_name;
  for (const auto& v : schema.views) by_name[v.name] = &v;
  std::map<std::string, int> mark;
  auto visit = [&](auto&& self, const View& v) -> void {
    mark[v.name] = 1;
    for (const auto& dep : v.depends_on) {
      auto it = by_name.find(dep);
      if (it != by_name.end() && mark[dep] == 0) self(self, *it->second);
    }
    mark[v.name] = 2;
    out.push_back(&v);
  };
  for (const auto& v : schema.views)
    if (mark[v.name] == 0) visit(visit, v);
  return out;
}

}  // namespace schemactl::schema
