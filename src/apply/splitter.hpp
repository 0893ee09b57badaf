// Splits a SQL script into statements, the way the database's own client would: it understands
// quotes and each dialect's escapes, Postgres dollar-quoted bodies and nested block comments,
// MySQL backquotes and '#' comments. Hand-written migrations hold plpgsql and data, so a ';' inside
// any of those never ends a statement.
#pragma once

#include <string>
#include <vector>

#include "schema/dialect_id.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::apply {

struct Statement {
  std::string sql;                   // without the terminating ';' and surrounding blank space
  int line = 0;                      // 1-based line where the statement starts
  bool outside_transaction = false;  // preceded by the `-- schemactl:outside-transaction` marker
};

// Throws Error naming the line where an unterminated quote, identifier, dollar-quote or comment began.
std::vector<Statement> split_statements(const std::string& script, DialectId dialect);

}  // namespace schemactl::apply
