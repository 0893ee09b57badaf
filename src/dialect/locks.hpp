// What a statement locks on a live database and what work it does under that lock, so that a plan
// can say which steps stop writers (or readers) and for how long they might (with the table's size).
// Postgres statements are read with PostgreSQL's own parser (libpg_query), including the DDL inside
// the guarded DO blocks that migrations use; TiDB runs DDL online, so nothing is reported there.
#pragma once

#include <string>
#include <vector>

#include "schema/dialect_id.hpp"

namespace schemactl {

enum class Work { catalog, scan, rewrite, index_build };

struct LockImpact {
  std::string table;  // as the statement names it ([schema.]name)
  std::string lock;   // Postgres lock mode, e.g. "ACCESS EXCLUSIVE"
  Work work = Work::catalog;
  std::string what;  // the clause, e.g. "SET NOT NULL"
  // ALTER COLUMN ... TYPE: the column and its new type as the parser reads it ("varchar(40)", "text",
  // "numeric(12,2)"), so that a caller that knows the old type can tell a widening (no rewrite).
  std::string column, new_type;
  bool blocks_writes() const;  // SHARE or stronger
  bool blocks_reads() const;   // ACCESS EXCLUSIVE
  bool long_running() const { return work != Work::catalog; }
  std::string describe() const;  // "ACCESS EXCLUSIVE on public.t (SET NOT NULL): scans the table"
};

std::vector<LockImpact> lock_impact(DialectId dialect, const std::string& sql);

// Postgres: whether changing a column from `old_type` (as format_type() spells it, e.g.
// "character varying(20)") to `new_type` (as LockImpact::new_type spells it) keeps the stored bytes,
// so that the table is neither rewritten nor scanned (varchar widening, varchar to text, numeric
// precision raised at the same scale).
bool binary_compatible(const std::string& old_type, const std::string& new_type);

}  // namespace schemactl
