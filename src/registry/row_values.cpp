#include "registry/row_values.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "util/text.hpp"

namespace schemactl::registry {
namespace {

bool is_integer(TypeKind k) {
  return k == TypeKind::smallint || k == TypeKind::int_ || k == TypeKind::bigint || k == TypeKind::serial ||
         k == TypeKind::bigserial;
}

// "[+-]digits[.digits]" (what the loader calls a number) rounded to `scale` fraction digits, half
// away from zero, then without leading or trailing zeros: "-001.50" -> "-1.5", "-0.0" -> "0".
std::string canonical_decimal(const std::string& text, int scale) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string whole, fraction;
  for (; i < text.size() && text[i] != '.'; ++i) whole += text[i];
  if (i < text.size()) fraction = text.substr(i + 1);
  if (static_cast<int>(fraction.size()) > scale) {
    bool up = fraction[static_cast<std::size_t>(scale)] >= '5';
    fraction.resize(static_cast<std::size_t>(scale));
    std::string digits = whole + fraction;
    if (up) {
      std::size_t k = digits.size();
      while (k > 0 && digits[k - 1] == '9') digits[--k] = '0';
      if (k == 0)
        digits.insert(digits.begin(), '1');
      else
        ++digits[k - 1];
    }
    whole = digits.substr(0, digits.size() - fraction.size());
    fraction = digits.substr(digits.size() - fraction.size());
  }
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
  fraction.erase(fraction.find_last_not_of('0') + 1);
  if (whole.empty()) whole = "0";
  std::string out = whole + (fraction.empty() ? "" : "." + fraction);
  return negative && out != "0" ? "-" + out : out;
}

template <typename F>
std::string bits_of(F value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", static_cast<double>(value));
  return buf;
}

}  // namespace

std::string value_form(const LogicalType& type, const Literal& lit) {
  if (lit.kind != Literal::Kind::number) return lit.text;
  if (is_integer(type.kind)) return canonical_decimal(lit.text, 0);
  if (type.kind == TypeKind::decimal) return canonical_decimal(lit.text, type.scale);
  if (type.kind == TypeKind::float_) return bits_of(std::strtof(lit.text.c_str(), nullptr));
  if (type.kind == TypeKind::double_) return bits_of(std::strtod(lit.text.c_str(), nullptr));
  return lit.text;
}

std::vector<UniqueSet> unique_sets(const TableSpec& t, const std::vector<std::string>& rows_key) {
  std::vector<UniqueSet> sets;
  if (!t.key_columns().empty()) sets.push_back({"the primary key", t.key_columns(), false});
  for (const auto& u : t.uniques)
    sets.push_back({"unique " + (u.name.empty() ? "(" + join(u.columns, ", ") + ")" : u.name), u.columns, false});
  for (const auto& f : t.fields)
    if (f.unique) sets.push_back({"unique column " + f.name, {f.name}, false});
  for (const auto& ix : t.indexes) {
    if (!ix.unique || !ix.where.empty()) continue;
    std::vector<std::string> cols;
    for (const auto& k : ix.keys)
      if (k.expression.empty() && k.prefix == 0) cols.push_back(k.column);
    if (cols.size() == ix.keys.size())
      sets.push_back({"unique index " + (ix.name.empty() ? "(" + join(cols, ", ") + ")" : ix.name), cols, false});
  }
  for (auto& s : sets)
    s.is_rows_key = std::is_permutation(s.columns.begin(), s.columns.end(), rows_key.begin(), rows_key.end());
  return sets;
}

std::vector<RowClash> clashes(const RowsSpec& rows, const std::vector<std::string>& columns, const FormOf& form) {
  std::vector<RowClash> out;
  std::map<std::vector<std::string>, const RowSpec*> seen;
  for (const auto& row : rows.rows) {
    std::vector<std::string> v;
    for (const auto& c : columns)
      for (const auto& [col, lit] : row.values)
        if (col == c && lit.kind != Literal::Kind::null) v.push_back(form(col, lit));
    if (v.size() != columns.size()) continue;
    auto [it, fresh] = seen.emplace(v, &row);
    if (!fresh) out.push_back({it->second, &row});
  }
  return out;
}

std::vector<std::string> written(const RowSpec& row, const std::vector<std::string>& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns) {
    std::string text;
    for (const auto& [col, lit] : row.values)
      if (col == c) text = lit.kind == Literal::Kind::null ? "NULL" : lit.text;
    out.push_back(text);
  }
  return out;
}

}  // namespace schemactl::registry
