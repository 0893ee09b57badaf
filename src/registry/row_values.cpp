#include "registry/row_values.hpp"

#include <algorithm>
#include <cctype>
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
  if (value == 0) value = 0;  // -0 is 0 to a comparison
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", static_cast<double>(value));
  return buf;
}

// A date, time or timestamp literal in one spelling: "2024-1-1" and "2024-01-01", "T" or a space,
// ":00" seconds, trailing zeros of a fraction; a timestamptz with an offset in UTC. Anything it
// does not read is left as written.
std::string time_form(const std::string& text, TypeKind kind) {
  std::size_t i = 0;
  auto number = [&](std::size_t max_digits, int& out) {
    std::size_t start = i;
    out = 0;
    while (i < text.size() && i - start < max_digits && std::isdigit(static_cast<unsigned char>(text[i])))
      out = out * 10 + (text[i++] - '0');
    return i > start;
  };
  auto expect = [&](char c) {
    if (i < text.size() && text[i] == c) return ++i, true;
    return false;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::string fraction;
  bool has_date = kind != TypeKind::time, has_time = kind != TypeKind::date;
  if (has_date && !(number(4, y) && expect('-') && number(2, mo) && expect('-') && number(2, d))) return text;
  if (has_time) {
    if (has_date && !(expect(' ') || expect('T') || expect('t'))) {
      if (i != text.size()) return text;
    } else if (!(number(2, h) && expect(':') && number(2, mi))) {
      return text;
    } else if (expect(':')) {
      if (!number(2, sec)) return text;
      if (expect('.'))
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) fraction += text[i++];
    }
  }
  fraction.erase(fraction.find_last_not_of('0') + 1);
  long offset_minutes = 0;
  bool offset = false;
  if (kind == TypeKind::timestamptz && i < text.size()) {
    if (text[i] == 'Z' || text[i] == 'z') {
      offset = true;
      ++i;
    } else if (text[i] == '+' || text[i] == '-') {
      int sign = text[i++] == '-' ? -1 : 1, oh = 0, om = 0;
      if (!number(2, oh)) return text;
      if (expect(':') || (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))))
        if (!number(2, om)) return text;
      offset = true;
      offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (i != text.size()) return text;
  if (offset && has_date) {
    // Days since 1970-01-01 (Howard Hinnant's civil calendar), to move the time by the offset.
    auto days_from_civil = [](long yy, long mm, long dd) {
      yy -= mm <= 2;
      long era = (yy >= 0 ? yy : yy - 399) / 400, yoe = yy - era * 400;
      long doy = (153 * (mm + (mm > 2 ? -3 : 9)) + 2) / 5 + dd - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
      return era * 146097 + doe - 719468;
    };
    long minutes = days_from_civil(y, mo, d) * 1440 + h * 60 + mi - offset_minutes;
    long days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
    long rest = minutes - days * 1440;
    h = static_cast<int>(rest / 60);
    mi = static_cast<int>(rest % 60);
    long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    mo = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (mo <= 2));
  }
  char buf[64];
  std::string out;
  if (has_date) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
    out = buf;
  }
  if (has_time) {
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, mi, sec);
    out += (out.empty() ? "" : " ") + std::string(buf) + (fraction.empty() ? "" : "." + fraction);
  }
  return out + (offset ? " UTC" : "");
}

}  // namespace

std::string value_form(const LogicalType& type, const Literal& lit) {
  if (lit.kind == Literal::Kind::string && (type.kind == TypeKind::date || type.kind == TypeKind::time ||
                                            type.kind == TypeKind::timestamp || type.kind == TypeKind::timestamptz))
    return time_form(lit.text, type.kind);
  if (lit.kind != Literal::Kind::number) return lit.text;
  if (is_integer(type.kind)) return canonical_decimal(lit.text, 0);
  if (type.kind == TypeKind::decimal) return canonical_decimal(lit.text, type.scale);
  if (type.kind == TypeKind::float_) return bits_of(std::strtof(lit.text.c_str(), nullptr));
  if (type.kind == TypeKind::double_) return bits_of(std::strtod(lit.text.c_str(), nullptr));
  return lit.text;
}

std::string value_form(const TableSpec& t, const std::string& column, const Literal& lit) {
  const FieldSpec* f = t.field(column);
  return f && f->type_ok ? value_form(f->type, lit) : lit.text;
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
