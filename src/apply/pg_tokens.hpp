// PostgreSQL's own scanner (libpg_query's pg_query_scan) as a list of tokens with their byte
// ranges: what the server will read as a string, a dollar-quoted body, a comment or a ';'.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace schemactl::apply {

struct PgToken {
  enum class Kind { other, semicolon, open_paren, close_paren, identifier, keyword, comment };
  Kind kind = Kind::other;
  std::size_t start = 0;  // byte offsets into the scanned text: [start, end)
  std::size_t end = 0;
};

// An unterminated quote, body or comment: the scanner's message and the byte offset it names.
struct PgScanError {
  std::string message;
  std::size_t offset = 0;
};

// The tokens of `text` in order, or false with `error` set when the scanner rejects it.
bool scan_postgres(const std::string& text, std::vector<PgToken>& tokens, PgScanError& error);

}  // namespace schemactl::apply
