// libFuzzer target for the statement splitter (src/apply/splitter.cpp), with libpg_query's own
// statement split as the oracle for Postgres.
//
// For every input that PostgreSQL's scanner accepts, the splitter's statements must cover the same
// tokens as pg_query_split_with_scanner's: the same statements, in order, each holding the same
// non-comment tokens. Two documented differences are left out of the comparison: pg_query's
// split drops a statement without any keyword (the splitter keeps it, so the server reports it),
// and it follows neither psql's handling of unbalanced ')' nor the BEGIN ... END body of a
// CREATE FUNCTION (psqlscan.l), which the splitter follows; inputs where those apply are only
// checked for crashes. MySQL input is checked for crashes, and for statements that the
// splitter itself reads back as one statement.
//
// By hand (the sanitizer runtimes of a gcc-built schemactl_core and clang's libFuzzer do not mix,
// so the few sources it needs are compiled with it):
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc fuzz/splitter_fuzz.cpp \
//       src/apply/splitter.cpp src/apply/pg_tokens.cpp src/util/text.cpp src/util/diagnostic.cpp \
//       -lpg_query -lcrypto -o splitter_fuzz && ./splitter_fuzz -max_total_time=300 -max_len=1024 CORPUS_DIR
#include <pg_query.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "apply/pg_tokens.hpp"
#include "apply/splitter.hpp"
#include "util/diagnostic.hpp"

namespace {

using schemactl::apply::PgToken;

// What the run covered, printed at exit.
struct Counts {
  unsigned long compared = 0, outside = 0, rejected = 0, mysql = 0;
} counts;

void print_counts() {
  std::fprintf(stderr,
               "splitter_fuzz: postgres inputs compared with pg_query: %lu, outside the oracle: %lu, rejected by "
               "both scanners: %lu; mysql inputs: %lu\n",
               counts.compared, counts.outside, counts.rejected, counts.mysql);
}

// The starts of the significant (non-comment, non-';') tokens in [begin, end).
std::vector<std::size_t> token_starts(const std::vector<PgToken>& tokens, std::size_t begin, std::size_t end) {
  std::vector<std::size_t> out;
  for (const auto& t : tokens)
    if (t.start >= begin && t.end <= end && t.kind != PgToken::Kind::comment && t.kind != PgToken::Kind::semicolon)
      out.push_back(t.start);
  return out;
}

bool has_keyword(const std::vector<PgToken>& tokens, std::size_t begin, std::size_t end) {
  for (const auto& t : tokens)
    if (t.start >= begin && t.end <= end && t.kind == PgToken::Kind::keyword) return true;
  return false;
}

// Inputs where pg_query's split is known to differ from psql's rules (see the header).
bool outside_the_oracle(const std::string& text, const std::vector<PgToken>& tokens) {
  long depth = 0;
  bool begin = false, routine = false;
  for (const auto& t : tokens) {
    if (t.kind == PgToken::Kind::open_paren) ++depth;
    if (t.kind == PgToken::Kind::close_paren && --depth < 0) return true;
    if (t.kind == PgToken::Kind::keyword || t.kind == PgToken::Kind::identifier) {
      std::string w = text.substr(t.start, t.end - t.start);
      for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      begin = begin || w == "begin";
      routine = routine || w == "function" || w == "procedure";
    }
  }
  return depth != 0 || (begin && routine);
}

[[noreturn]] void disagree(const std::string& text, const char* what) {
  std::fprintf(stderr, "splitter disagrees with pg_query (%s) on:\n---\n%s\n---\n", what, text.c_str());
  std::abort();
}

void check_postgres(const std::string& text) {
  std::vector<schemactl::apply::Statement> statements;
  bool split_ok = true;
  try {
    statements = schemactl::apply::split_statements(text, schemactl::DialectId::postgres);
  } catch (const schemactl::apply::MarkerError&) {
    return;  // our own marker comments: pg_query knows nothing of them (splitter_test covers them)
  } catch (const schemactl::Error&) {
    split_ok = false;
  }
  PgQuerySplitResult oracle = pg_query_split_with_scanner(text.c_str());
  bool oracle_ok = oracle.error == nullptr;
  if (split_ok != oracle_ok) {
    pg_query_free_split_result(oracle);
    disagree(text,
             split_ok ? "pg_query rejects it, the splitter does not" : "the splitter rejects it, pg_query does not");
  }
  if (!oracle_ok) {
    ++counts.rejected;
    pg_query_free_split_result(oracle);
    return;
  }
  std::vector<PgToken> tokens;
  schemactl::apply::PgScanError error;
  if (!schemactl::apply::scan_postgres(text, tokens, error)) disagree(text, "pg_query_scan rejects what split accepts");
  // Every statement is a verbatim slice of the script starting at its offset.
  for (const auto& s : statements)
    if (text.compare(s.offset, s.sql.size(), s.sql) != 0) disagree(text, "a statement is not a slice at its offset");
  if (outside_the_oracle(text, tokens)) {
    ++counts.outside;
  } else {
    ++counts.compared;
    std::vector<std::vector<std::size_t>> ours, theirs;
    for (const auto& s : statements)
      if (has_keyword(tokens, s.offset, s.offset + s.sql.size()))
        ours.push_back(token_starts(tokens, s.offset, s.offset + s.sql.size()));
    for (int i = 0; i < oracle.n_stmts; ++i) {
      auto begin = static_cast<std::size_t>(oracle.stmts[i]->stmt_location);
      theirs.push_back(token_starts(tokens, begin, begin + static_cast<std::size_t>(oracle.stmts[i]->stmt_len)));
    }
    if (ours != theirs) {
      pg_query_free_split_result(oracle);
      disagree(text, "different statements");
    }
  }
  pg_query_free_split_result(oracle);
}

void check_mysql(const std::string& text) {
  ++counts.mysql;
  std::vector<schemactl::apply::Statement> statements;
  try {
    statements = schemactl::apply::split_statements(text, schemactl::DialectId::tidb);
  } catch (const schemactl::Error&) {
    return;
  }
  for (const auto& s : statements) {
    // Split again on its own, a statement is one statement; one that ends in `--` (a `--;` in the
    // script, not a comment there) may become none, as `--` at the end of a query is a comment.
    bool one = false;
    try {
      std::size_t count = schemactl::apply::split_statements(s.sql, schemactl::DialectId::tidb).size();
      bool dashes = s.sql.size() >= 2 && s.sql.compare(s.sql.size() - 2, 2, "--") == 0;
      one = count == 1 || (count == 0 && dashes);
    } catch (const schemactl::Error&) {
    }
    if (s.sql.empty() || s.line < 1 || !one) {
      std::fprintf(stderr, "MySQL statement that is empty, badly placed or not one statement on:\n---\n");
      std::fwrite(text.data(), 1, text.size(), stderr);
      std::fprintf(stderr, "\n---\n");
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::atexit(print_counts);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  if (text.find('\0') == std::string::npos) check_postgres(text);
  check_mysql(text);
  return 0;
}
