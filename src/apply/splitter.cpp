#include "apply/splitter.hpp"

#include <algorithm>
#include <cctype>

#include "apply/pg_tokens.hpp"
#include "migrate/writer.hpp"
#include "util/text.hpp"

namespace schemactl::apply {

namespace {

[[noreturn]] void unterminated(const std::string& what, int line) {
  throw Error("SQL script: " + what + " starting on line " + std::to_string(line) + " is never closed", ExitCode::error,
              ErrorContext{{}, line, 0, {}, {}});
}

// 1-based line numbers of byte offsets, for offsets asked in increasing order.
class LineCounter {
 public:
  explicit LineCounter(const std::string& text) : text_(text) {}
  int at(std::size_t offset) {
    if (offset < pos_) pos_ = 0, line_ = 1;
    for (; pos_ < offset && pos_ < text_.size(); ++pos_)
      if (text_[pos_] == '\n') ++line_;
    return line_;
  }

 private:
  const std::string& text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

// The structured markers a comment line may be; anything else is an ordinary comment.
struct Marks {
  bool outside_transaction = false;
  bool repeat = false;
  long max_batches = 0;
  int line = 0;  // of the repeat marker
  void reset() { *this = Marks{}; }
};

// Reads `comment` (a whole `-- ...` comment) into `marks`; throws for a malformed repeat marker.
void read_marker(const std::string& comment, int line, Marks& marks) {
  std::string c = trim(comment);
  if (c == migrate::kOutsideTransaction) {
    marks.outside_transaction = true;
    return;
  }
  const std::string repeat = migrate::kRepeatUntilZero;
  if (!starts_with(c, repeat) || (c.size() > repeat.size() && c[repeat.size()] != ' ')) return;
  marks.repeat = true;
  marks.line = line;
  std::string rest = trim(c.substr(repeat.size()));
  if (rest.empty()) return;
  const std::string key = "max-batches=";
  std::string digits = starts_with(rest, key) ? rest.substr(key.size()) : std::string();
  bool ok = !digits.empty() && digits.size() <= 9 && digits.find_first_not_of("0123456789") == std::string::npos &&
            std::stol(digits) > 0;
  if (!ok)
    throw MarkerError("SQL script: line " + std::to_string(line) + ": `" + c + "`: the marker takes only `" + key +
                          "N` (N a whole number from 1 to 999999999)",
                      ExitCode::error, ErrorContext{{}, line, 0, {}, {}});
  marks.max_batches = std::stol(digits);
}

Statement make_statement(std::string sql, int line, const Marks& marks, std::size_t offset) {
  Statement s{std::move(sql), line, marks.outside_transaction, offset};
  s.repeat_until_zero = marks.repeat;
  s.max_batches = marks.max_batches;
  return s;
}

// ---- Postgres: the server's own scanner finds the tokens; statements end where psql ends them.

[[noreturn]] void scan_failed(const std::string& text, const PgScanError& e) {
  LineCounter lines(text);
  int line = lines.at(e.offset);
  const std::string& m = e.message;
  if (starts_with(m, "unterminated quoted string")) unterminated("a string", line);
  if (starts_with(m, "unterminated quoted identifier")) unterminated("a quoted name", line);
  if (starts_with(m, "unterminated /* comment")) unterminated("a /* comment", line);
  if (starts_with(m, "unterminated dollar-quoted string")) {
    std::size_t end = text.find('$', e.offset + 1);
    std::string tag = end == std::string::npos ? "$" : text.substr(e.offset, end - e.offset + 1);
    unterminated("a " + tag + " quoted body", line);
  }
  throw Error("SQL script: " + m + " (line " + std::to_string(line) + ")", ExitCode::error,
              ErrorContext{{}, line, 0, {}, {}});
}

std::vector<Statement> split_postgres(const std::string& text) {
  if (text.find('\0') != std::string::npos) throw Error("SQL script: contains a NUL byte");
  std::vector<PgToken> tokens;
  PgScanError error;
  if (!scan_postgres(text, tokens, error)) scan_failed(text, error);

  std::vector<Statement> out;
  LineCounter lines(text);
  // psql's rules (psqlscan.l): a ';' ends a statement outside parentheses and outside the
  // BEGIN ... END of a CREATE [OR REPLACE] FUNCTION|PROCEDURE (a SQL-standard body).
  std::size_t first = 0, last = 0;  // byte range of the statement's significant tokens
  bool any = false;
  Marks marks;
  int paren_depth = 0, begin_depth = 0;
  std::string head;  // first letters of the statement's leading words: "cf", "cp", "corf", "corp"
  std::size_t words = 0;
  auto flush = [&] {
    if (any) out.push_back(make_statement(text.substr(first, last - first), lines.at(first), marks, first));
    any = false;
    marks.reset();
    paren_depth = begin_depth = 0;
    head.clear();
    words = 0;
  };
  for (const auto& t : tokens) {
    std::string word = t.kind == PgToken::Kind::identifier || t.kind == PgToken::Kind::keyword
                           ? to_lower(text.substr(t.start, t.end - t.start))
                           : std::string();
    switch (t.kind) {
      case PgToken::Kind::comment:
        read_marker(text.substr(t.start, t.end - t.start), lines.at(t.start), marks);
        continue;
      case PgToken::Kind::semicolon:
        if (paren_depth == 0 && begin_depth == 0) {
          flush();
          continue;
        }
        break;
      case PgToken::Kind::open_paren:
        ++paren_depth;
        break;
      case PgToken::Kind::close_paren:
        if (paren_depth > 0) --paren_depth;
        break;
      default:
        break;
    }
    if (!word.empty()) {
      if (words < 4) {
        bool lead = word == "create" || word == "or" || word == "replace" || word == "function" || word == "procedure";
        head += lead ? word[0] : ' ';
      }
      ++words;
      bool routine = head.size() >= 2 && head[0] == 'c' &&
                     (head[1] == 'f' || head[1] == 'p' ||
                      (head.size() >= 4 && head[1] == 'o' && head[2] == 'r' && (head[3] == 'f' || head[3] == 'p')));
      if (routine && paren_depth == 0) {
        if (word == "begin")
          ++begin_depth;
        else if (word == "case" && begin_depth > 0)
          ++begin_depth;
        else if (word == "end" && begin_depth > 0)
          --begin_depth;
      }
    }
    if (!any) first = t.start;
    any = true;
    last = t.end;
  }
  flush();
  return out;
}

// ---- MySQL / TiDB: by hand, after the server's lexer (sql_lex.cc).

// `--` starts a comment only when followed by a blank or a control character (or the end).
bool mysql_dash_comment(const std::string& text, std::size_t i) {
  if (text.compare(i, 2, "--") != 0) return false;
  if (i + 2 >= text.size()) return true;
  unsigned char c = static_cast<unsigned char>(text[i + 2]);
  return c == ' ' || c < 0x20 || c == 0x7f;
}

std::vector<Statement> split_mysql(const std::string& text) {
  std::vector<Statement> out;
  std::string current;  // the statement up to its last significant character
  std::string tail;     // blanks and comments after it: kept only when more SQL follows
  int line = 1;
  int start_line = 0;  // line of the first significant character of `current`; 0: none yet
  std::size_t start_offset = 0;
  Marks marks;
  auto flush = [&] {
    if (start_line != 0) out.push_back(make_statement(current, start_line, marks, start_offset));
    current.clear();
    tail.clear();
    start_line = 0;
    marks.reset();
  };
  std::size_t i = 0;
  // Comments and blanks inside a statement stay as written (dropping one could turn a `--` before it
  // into a comment); those before and after it are left out.
  auto keep = [&](std::size_t from, std::size_t to, bool significant) {
    if (!significant) {
      if (start_line != 0) tail.append(text, from, to - from);
      return;
    }
    if (start_line == 0) start_line = line, start_offset = from;
    current += tail;
    tail.clear();
    current.append(text, from, to - from);
  };
  const std::size_t n = text.size();
  while (i < n) {
    char c = text[i];
    // A line comment; a marker line tags the statement it is in or that follows it.
    if (mysql_dash_comment(text, i) || c == '#') {
      auto nl = text.find('\n', i);
      std::size_t end = nl == std::string::npos ? n : nl;
      read_marker(text.substr(i, end - i), line, marks);
      keep(i, end, false);
      i = end;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      // Block comments do not nest; /*! ... */ (and TiDB's /*T! ... */, MariaDB's /*M! ... */) are
      // SQL to the server.
      int at = line;
      auto end = text.find("*/", i + 2);
      if (end == std::string::npos) unterminated("a /* comment", at);
      bool executable = i + 2 < n && (text[i + 2] == '!' ||
                                      ((text[i + 2] == 'T' || text[i + 2] == 'M') && i + 3 < n && text[i + 3] == '!'));
      keep(i, end + 2, executable);
      line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(i),
                                          text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
      i = end + 2;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      int at = line;
      bool backslash = c != '`';  // backslash escapes in strings (the session pins them on)
      std::size_t j = i + 1;
      bool closed = false;
      while (j < n) {
        char d = text[j];
        if (backslash && d == '\\') {
          j += 2;
          continue;
        }
        if (d == c) {
          if (j + 1 < n && text[j + 1] == c) {  // doubled quote
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        ++j;
      }
      if (!closed) unterminated(c == '\'' ? "a string" : c == '"' ? "a quoted name" : "a backquoted name", at);
      keep(i, j, true);
      line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(i),
                                          text.begin() + static_cast<std::ptrdiff_t>(j), '\n'));
      i = j;
      continue;
    }
    if (c == ';') {
      flush();
      ++i;
      continue;
    }
    keep(i, i + 1, !std::isspace(static_cast<unsigned char>(c)));
    if (c == '\n') ++line;
    ++i;
  }
  flush();
  return out;
}

}  // namespace

std::vector<Statement> split_statements(const std::string& text, DialectId dialect) {
  return dialect == DialectId::postgres ? split_postgres(text) : split_mysql(text);
}

}  // namespace schemactl::apply
