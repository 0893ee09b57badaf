#include "schema/dump.hpp"

#include "util/text.hpp"

namespace schemactl::schema {

std::string dump(const Schema& s) {
  std::string out;
  for (const auto& t : s.tables) {
    out += "table " + t.name + " comment=" + t.comment + "\n";
    for (const auto& c : t.columns)
      out += "  column " + c.name + " " + c.type + (c.nullable ? " null" : " not null") + " default=" + c.default_sql +
             (c.on_update.empty() ? "" : " on_update=" + c.on_update) + " comment=" + c.comment + "\n";
    if (t.primary_key) out += "  pk " + t.primary_key->name + " " + join(t.primary_key->columns, ",") + "\n";
    for (const auto& u : t.uniques) out += "  unique " + u.name + " " + join(u.columns, ",") + "\n";
    for (const auto& c : t.checks) out += "  check " + c.name + " " + c.expr + "\n";
    for (const auto& f : t.foreign_keys)
      out += "  fk " + f.name + " " + join(f.columns, ",") + " -> " + f.ref_table + "(" + join(f.ref_columns, ",") +
             ") " + f.on_delete + "/" + f.on_update + "\n";
    for (const auto& x : t.exclusions) out += "  exclusion " + x.name + "\n";
    for (const auto& ix : t.indexes) {
      out += "  index " + ix.name + (ix.unique ? " unique " : " ") + ix.method;
      for (const auto& k : ix.keys) out += " " + k.text + ":" + k.order + ":" + std::to_string(k.prefix);
      out += "\n";
    }
  }
  for (const auto& v : s.views)
    out += std::string(v.materialized ? "matview " : "view ") + v.name + "\n" + v.sql + "\n";
  for (const auto& f : s.functions) out += "function " + f.name + "(" + f.arguments + ") " + f.returns + "\n";
  for (const auto& e : s.enums) out += "enum " + e.name + " " + join(e.values, ",") + "\n";
  for (const auto& e : s.extensions) out += "extension " + e.name + "\n";
  return out;
}

}  // namespace schemactl::schema
