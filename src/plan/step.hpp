// A planned step: the SQL that makes one change, the SQL that undoes it, and what a reviewer
// must know about it (data loss, locking, transaction needs).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "schema/dialect_id.hpp"

namespace schemactl::plan {

struct Step {
  std::string what;                  // e.g. "add column moments.speakers"
  int phase = 0;                     // ordering: drops before creates, tables before their keys ...
  std::vector<std::string> up;       // statements, each complete (ending in ';')
  std::vector<std::string> down;     // the reverse statements, in order; empty when irreversible
  bool irreversible = false;         // down cannot undo it (the reason is in `down_note`)
  bool destructive = false;          // up can lose data
  bool rewrites = false;             // up rewrites or scans a table under a lock that stops readers and writers
  std::string up_note;               // for destructive / locking steps: what to know before running up
  std::string down_note;             // what running down cannot bring back
  bool outside_transaction = false;  // Postgres: must run outside a transaction (CONCURRENTLY)
};

// `s` run backwards: what undid it now does it, and the reverse is what did it (a drop planned as
// the reverse of its create), at `phase`.
inline Step reversed(Step s, int phase) {
  std::swap(s.up, s.down);
  s.phase = phase;
  return s;
}

// Phases, in the order steps run (up). Down runs the reverse of each step in the reverse order.
namespace phase {
inline constexpr int move_schema = 5, drop_view = 10, drop_function = 15, drop_foreign_key = 20, drop_index = 25,
                     drop_constraint = 30, drop_column = 40, drop_table = 45, drop_enum = 47, drop_extension = 48,
                     create_extension = 50, create_enum = 55, rename_table = 60, rename_column = 62,
                     rename_constraint = 63, create_table = 65, add_column = 70, alter_column = 72, table_comment = 74,
                     add_constraint = 78, add_foreign_key = 80, add_index = 85, function = 90, create_view = 92,
                     delete_rows = 94, insert_rows = 95;
}

}  // namespace schemactl::plan
