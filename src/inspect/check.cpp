#include "inspect/check.hpp"

#include <regex>

#include "util/text.hpp"

namespace schemactl::inspect {
namespace {

// Splits "a, b, c" at top-level commas (not inside quotes or parentheses).
std::vector<std::string> split_items(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  int depth = 0;
  for (char c : s) {
    if (c == '\'') quoted = !quoted;
    if (!quoted && c == '(') ++depth;
    if (!quoted && c == ')') --depth;
    if (!quoted && depth == 0 && c == ',') {
      out.push_back(trim(cur));
      cur.clear();
      continue;
    }
    cur += c;
  }
  out.push_back(trim(cur));
  return out;
}

bool numeric_column(const std::string& type) {
  std::string t = to_lower(type);
  for (const char* p : {"smallint", "integer", "bigint", "real", "double", "numeric", "int", "decimal", "float"})
    if (starts_with(t, p)) return true;
  return false;
}

// One IN-list item as a YAML value: 'text'::cast -> "text"; 12 -> number.
bool item(const std::string& raw, bool numeric, Tree& out) {
  static const std::regex quoted("^'((?:[^']|'')*)'(::[a-z ]+)?$");
  static const std::regex parenthesized("^\\('((?:[^']|'')*)'::[a-z ]+\\)::[a-z ]+$");
  static const std::regex number("^-?[0-9]+(\\.[0-9]+)?$");
  std::smatch m;
  if (!numeric && (std::regex_match(raw, m, quoted) || std::regex_match(raw, m, parenthesized))) {
    std::string v = m[1].str();
    for (auto pos = v.find("''"); pos != std::string::npos; pos = v.find("''", pos + 1)) v.erase(pos, 1);
    if (v.find('\\') != std::string::npos) return false;  // escapes: keep the catalog's text
    out = v;
    return true;
  }
  if (numeric && std::regex_match(raw, number)) {
    out = inspect::number(raw);
    return true;
  }
  return false;
}

}  // namespace

CheckReading read_check(DialectId d, const std::string& expr, const schema::Table& table) {
  CheckReading out;
  std::string e = trim(expr);
  std::smatch m;
  auto column_of = [&](const std::string& name) -> const schema::Column* {
    std::string n = name;
    if (n.size() > 1 && (n.front() == '"' || n.front() == '`')) n = n.substr(1, n.size() - 2);
    return table.column(n);
  };
  auto in_list = [&](const std::string& col, const std::string& items) {
    const schema::Column* c = column_of(col);
    if (!c) return false;
    Tree values = Tree::array();
    for (const auto& raw : split_items(items)) {
      Tree v;
      if (!item(raw, numeric_column(c->type), v)) return false;
      values.push_back(v);
    }
    out.column = c->name;
    out.body = Tree{{"in", values}};
    return true;
  };
  auto range = [&](const std::string& col, const std::string& lo, const std::string& col2, const std::string& hi) {
    const schema::Column* c = column_of(col);
    if (!c || (!col2.empty() && col2 != col) || !numeric_column(c->type)) return false;
    out.column = c->name;
    out.body = Tree{
        {"range", Tree::array({lo.empty() ? Tree() : inspect::number(lo), hi.empty() ? Tree() : inspect::number(hi)})}};
    return true;
  };
  if (d == DialectId::postgres) {
    // col IN ('a', 'b') on a varchar / text / numeric column, as PostgreSQL 15 prints it.
    static const std::regex any(
        "^\\(\\(?([a-z_][a-z0-9_]*|\"[^\"]+\")\\)?(?:::[a-z ]+)? = ANY \\(\\(?ARRAY\\[(.*?)\\]\\)?(?:::[a-z "
        "]+\\[\\])?\\)\\)$");
    if (std::regex_match(e, m, any) && in_list(m[1].str(), m[2].str())) return out;
    // col >= lo AND col <= hi, either alone.
    static const std::regex bound(
        "(?:\\(([a-z_][a-z0-9_]*|\"[^\"]+\") (>=|<=) \\(?([0-9]+(?:\\.[0-9]+)?)\\)?(?:::[a-z ]+)?\\))");
    static const std::regex both("^\\((\\(.*\\)) AND (\\(.*\\))\\)$");
    std::smatch a, b;
    std::string left, right;
    if (std::regex_match(e, m, both)) {
      left = m[1].str();
      right = m[2].str();
      if (std::regex_match(left, a, bound) && std::regex_match(right, b, bound) && a[2] == ">=" && b[2] == "<=" &&
          range(a[1].str(), a[3].str(), b[1].str(), b[3].str()))
        return out;
    } else if (std::regex_match(e, a, bound)) {
      if (a[2] == ">=" && range(a[1].str(), a[3].str(), "", "")) return out;
      if (a[2] == "<=" && range(a[1].str(), "", "", a[3].str())) return out;
    }
  } else {
    static const std::regex in("^(`[^`]+`) in \\((.*)\\)$");
    if (std::regex_match(e, m, in) && in_list(m[1].str(), m[2].str())) return out;
  }
  out.column.clear();
  out.body = Tree{{"expr", Tree{{dialect_name(d), e}}}, {"dialects", Tree::array({dialect_name(d)})}};
  return out;
}

}  // namespace schemactl::inspect
