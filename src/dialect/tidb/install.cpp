// The TiDB install script. Foreign-key checks are off while it runs, so every key can be declared
// inline even across a reference cycle, and each statement is idempotent on its own.
#include "dialect/tidb/ddl.hpp"
#include "dialect/tidb/tidb.hpp"
#include "output/banner.hpp"
#include "schema/order.hpp"

namespace schemactl {

std::string TidbDialect::render_install(const schema::Schema& s) const {
  tidb::Ddl ddl(*this);
  auto order = schema::order_tables(s);
  std::string out = install_banner(s);
  // Literals escape backslashes (string_literal): a session with NO_BACKSLASH_ESCAPES would store
  // them doubled, and no literal form reads the same under both modes, so pin the mode.
  out += "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');\n";
  out += "SET FOREIGN_KEY_CHECKS = 0;\n\n";
  for (const auto* t : order.tables) {
    out += "-- Table " + t->name + "\n";
    out += ddl.create_table(*t, s.tidb_charset, s.tidb_collation);
    out += "\n";
  }
  for (const auto* v : schema::order_views(s)) {
    out += "-- View " + v->name + "\n" + ddl.create_view(*v) + "\n";
  }
  bool rows_header = false;
  for (const auto* t : order.tables) {
    std::string rows = ddl.insert_rows(*t);
    if (rows.empty()) continue;
    if (!rows_header) out += "-- Reference rows\n";
    rows_header = true;
    out += rows;
  }
  if (rows_header) out += "\n";
  out += "SET FOREIGN_KEY_CHECKS = 1;\n";
  std::string skipped = skipped_section(s);
  if (!skipped.empty()) out += "\n" + skipped;
  return out;
}

}  // namespace schemactl
