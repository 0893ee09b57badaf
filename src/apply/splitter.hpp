// Splits a SQL script into statements, the way the database's own client would. Postgres scripts
// are read by PostgreSQL's own scanner (libpg_query), and a ';' ends a statement where psql ends it:
// outside parentheses and outside a function's BEGIN ... END body. MySQL/TiDB scripts are read by
// hand after the server's lexer: backslash escapes, backquotes, '#' and `-- ` comments (a `--` not
// followed by a blank is an operator), non-nesting block comments and executable /*! */ comments.
// Statements that hold only comments or blanks are dropped.
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
  std::size_t offset = 0;            // byte offset in the script of the statement's first character
  // Preceded by `-- schemactl:repeat-until-zero [max-batches=N]`: a batched data change, run again
  // and again (each run its own transaction with its progress) until it changes no row.
  bool repeat_until_zero = false;
  long max_batches = 0;  // 0: the applier's default bound
};

// The bound on the batches of a repeat-until-zero statement without `max-batches=N`.
inline constexpr long kDefaultMaxBatches = 100000;

// A `-- schemactl:` marker comment that is malformed (e.g. `repeat-until-zero` with an unknown
// option): the script is valid SQL, but not a valid migration file.
class MarkerError : public Error {
 public:
  using Error::Error;
};

// Throws Error naming the line where an unterminated quote, identifier, dollar-quote or comment
// began, and MarkerError for a malformed marker.
std::vector<Statement> split_statements(const std::string& script, DialectId dialect);

}  // namespace schemactl::apply
