#include "apply/splitter.hpp"

#include <cctype>

#include "migrate/writer.hpp"
#include "util/text.hpp"

namespace schemactl::apply {

namespace {

bool only_comments_and_space(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (s.compare(i, 2, "--") == 0 || s[i] == '#') {
      auto nl = s.find('\n', i);
      i = nl == std::string::npos ? s.size() : nl + 1;
    } else if (s.compare(i, 2, "/*") == 0) {
      auto end = s.find("*/", i + 2);
      i = end == std::string::npos ? s.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<Statement> split_statements(const std::string& text, DialectId dialect) {
  const bool pg = dialect == DialectId::postgres;
  std::vector<Statement> out;
  std::string current;
  int line = 1;
  int start_line = 0;  // line of the first significant character of `current`
  bool outside_marker = false;
  auto flush = [&] {
    std::string sql = trim(current);
    if (!sql.empty() && !only_comments_and_space(sql)) out.push_back(Statement{sql, start_line, outside_marker});
    current.clear();
    start_line = 0;
    outside_marker = false;
  };
  auto unterminated = [&](const char* what, int at) {
    throw Error("SQL script: " + std::string(what) + " starting on line " + std::to_string(at) + " is never closed");
  };
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    char c = text[i];
    auto begin_statement = [&] {
      if (start_line == 0) start_line = line;
    };
    // Line comments are dropped (a marker line tags the statement after it); block comments are
    // kept, as MySQL and TiDB read /*! ... */ and /*T! ... */ as SQL.
    if ((c == '-' && i + 1 < n && text[i + 1] == '-') || (!pg && c == '#')) {
      auto nl = text.find('\n', i);
      std::string comment = text.substr(i, nl == std::string::npos ? std::string::npos : nl - i);
      if (trim(comment) == migrate::kOutsideTransaction) outside_marker = true;
      i = nl == std::string::npos ? n : nl;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      int at = line;
      int depth = 0;
      std::size_t j = i;
      while (j < n) {
        if (text.compare(j, 2, "/*") == 0) {
          depth = pg ? depth + 1 : 1;  // Postgres nests block comments, MySQL does not
          j += 2;
        } else if (text.compare(j, 2, "*/") == 0) {
          --depth;
          j += 2;
          if (depth == 0) break;
        } else {
          if (text[j] == '\n') ++line;
          ++j;
        }
      }
      if (depth != 0) unterminated("a /* comment", at);
      current.append(text, i, j - i);
      i = j;
      continue;
    }
    if (c == '\'' || c == '"' || (!pg && c == '`')) {
      begin_statement();
      int at = line;
      // Backslash escapes: every MySQL string, and Postgres E'...' strings.
      bool backslash = !pg ? c != '`'
                           : (c == '\'' && i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e') &&
                              (i < 2 || !std::isalnum(static_cast<unsigned char>(text[i - 2]))));
      std::size_t j = i + 1;
      bool closed = false;
      while (j < n) {
        char d = text[j];
        if (d == '\n') ++line;
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
      current.append(text, i, j - i);
      i = j;
      continue;
    }
    if (pg && c == '$') {
      // A dollar-quote tag: $$ or $tag$ (tag: letters, digits, underscores; not starting with a digit).
      std::size_t j = i + 1;
      while (j < n && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
      bool tag_ok = j < n && text[j] == '$' && (j == i + 1 || !std::isdigit(static_cast<unsigned char>(text[i + 1])));
      if (tag_ok) {
        begin_statement();
        int at = line;
        std::string tag = text.substr(i, j - i + 1);
        auto end = text.find(tag, j + 1);
        if (end == std::string::npos) unterminated(("a " + tag + " quoted body").c_str(), at);
        for (std::size_t k = i; k < end + tag.size(); ++k)
          if (text[k] == '\n') ++line;
        current.append(text, i, end + tag.size() - i);
        i = end + tag.size();
        continue;
      }
    }
    if (c == ';') {
      flush();
      ++i;
      continue;
    }
    if (c == '\n') ++line;
    if (!std::isspace(static_cast<unsigned char>(c))) begin_statement();
    current += c;
    ++i;
  }
  flush();
  return out;
}

}  // namespace schemactl::apply
