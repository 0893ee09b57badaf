#include "random_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace schemactl::test::rr {

std::string TableMatch::b_column(const std::string& a_column) const {
  for (const auto& [x, y] : columns)
    if (x == a_column) return y;
  return "";
}

std::vector<TableMatch> match_tables(const Model& a, const Model& b) {
  std::vector<TableMatch> out;
  std::map<std::string, const Table*> b_of_a;  // A table name -> B table
  for (const auto& tb : b.tables)
    for (const auto& old : tb.renamed_from)
      if (a.table(old) && !b_of_a.count(old)) {
        b_of_a[old] = &tb;
        break;
      }
  for (const auto& tb : b.tables) {
    bool renamed = std::any_of(b_of_a.begin(), b_of_a.end(), [&](const auto& p) { return p.second == &tb; });
    if (!renamed && a.table(tb.name) && !b_of_a.count(tb.name)) b_of_a[tb.name] = &tb;
  }
  for (const auto& ta : a.tables) {
    TableMatch m;
    m.a = ta.name;
    auto it = b_of_a.find(ta.name);
    const Table* tb = it == b_of_a.end() ? nullptr : it->second;
    if (tb) m.b = tb->name;
    std::map<std::string, std::string> col;  // A column -> B column
    std::set<std::string> claimed;           // B columns
    if (tb) {
      for (const auto& cb : tb->columns)
        for (const auto& old : cb.renamed_from)
          if (ta.column(old) && !col.count(old)) {
            col[old] = cb.name;
            claimed.insert(cb.name);
            break;
          }
      for (const auto& cb : tb->columns)
        if (!claimed.count(cb.name) && ta.column(cb.name) && !col.count(cb.name)) col[cb.name] = cb.name;
    }
    for (const auto& ca : ta.columns) m.columns.emplace_back(ca.name, col.count(ca.name) ? col[ca.name] : "");
    out.push_back(std::move(m));
  }
  return out;
}

namespace {

// ---------------------------------------------------------------- kinds and values

bool integer_kind(Kind k) {
  return k == Kind::smallint || k == Kind::int_ || k == Kind::bigint || k == Kind::serial || k == Kind::bigserial;
}
bool number_kind(Kind k) {
  return integer_kind(k) || k == Kind::decimal || k == Kind::float_ || k == Kind::double_;
}
bool string_kind(Kind k) {
  return k == Kind::string || k == Kind::text;
}
bool moment_kind(Kind k) {
  return k == Kind::date || k == Kind::timestamp || k == Kind::timestamptz;
}

// Whether a value of kind `a` can move to kind `b` and read the same (the canonical texts agree).
bool same_family(Kind a, Kind b) {
  if (a == b) return true;
  if (number_kind(a) && number_kind(b)) return true;
  if (integer_kind(a) && string_kind(b)) return true;
  if (string_kind(a) && integer_kind(b)) return true;
  if ((string_kind(a) || a == Kind::uuid || a == Kind::enum_) &&
      (string_kind(b) || b == Kind::uuid || b == Kind::enum_))
    return true;
  if (moment_kind(a) && moment_kind(b)) return true;
  if ((a == Kind::json && string_kind(b)) || (string_kind(a) && b == Kind::json)) return true;
  return false;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}
// The first `n` code points of `s`.
std::string first_code_points(const std::string& s, std::size_t n) {
  std::size_t count = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (count == n) break;
      ++count;
    }
  }
  return s.substr(0, i);
}

struct Range {
  long double lo, hi;
};
Range integer_range(Kind k) {
  switch (k) {
    case Kind::smallint:
      return {-32768.0L, 32767.0L};
    case Kind::int_:
    case Kind::serial:
      return {-2147483648.0L, 2147483647.0L};
    default:
      return {-9223372036854775808.0L, 9223372036854775807.0L};
  }
}

std::string nines(int n) {
  return n > 0 ? std::string(static_cast<std::size_t>(n), '9') : "0";
}

const std::regex& number_re() {
  static const std::regex re("-?[0-9]+(\\.[0-9]+)?");
  return re;
}
const std::regex& uuid_re() {
  static const std::regex re("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return re;
}
const std::regex& moment_re() {  // a date, or a date and a time
  static const std::regex re("([0-9]{4})-[0-9]{2}-[0-9]{2}( ([0-9]{2}:[0-9]{2}:[0-9]{2})(\\.[0-9]+)?)?");
  return re;
}

// Floating-point values that REAL, DOUBLE PRECISION and NUMERIC hold exactly (binary fractions, few digits).
const std::set<std::string>& exact_floats() {
  static const std::set<std::string> s = {"1.5", "-0.25", "1024.75", "-2.25", "0", "998", "999", "1000"};
  return s;
}
const char* kJsonDocument = "{\"a\": [1, 2.5, null, true], \"k\": \"it's \\\"q\\\" \\\\ \xF0\x9F\x98\x80\"}";

// Candidate values of a column of kind `c.kind` (edge values first), as raw text for `dialect`.
std::vector<std::string> candidates(const Model& m, const Column& c, DialectId dialect) {
  const bool pg = dialect == DialectId::postgres;
  std::vector<std::string> out;
  switch (c.kind) {
    case Kind::smallint:
    case Kind::int_:
    case Kind::bigint:
    case Kind::serial:
    case Kind::bigserial: {
      static const char* ends[][2] = {
          {"32767", "-32768"}, {"2147483647", "-2147483648"}, {"9223372036854775807", "-9223372036854775808"}};
      int i = c.kind == Kind::smallint ? 0 : (c.kind == Kind::int_ || c.kind == Kind::serial) ? 1 : 2;
      out = {ends[i][0], ends[i][1], "0", "1000", "999", "998"};
      // AUTO_INCREMENT takes 0 as "the next value".
      if (!pg && (c.kind == Kind::serial || c.kind == Kind::bigserial)) out.erase(out.begin() + 2);
      break;
    }
    case Kind::decimal: {
      std::string max = nines(c.precision - c.scale) + (c.scale ? "." + nines(c.scale) : "");
      out = {max, "-" + max, "0", "1000", "999", "998"};
      if (c.scale >= 2) out.push_back("0.01");
      break;
    }
    case Kind::float_:
    case Kind::double_:
      out = {"1.5", "-0.25", "1024.75", "-2.25", "0", "1000", "999", "998"};
      if (c.kind == Kind::double_) out.insert(out.begin(), "123456789.125");
      break;
    case Kind::bool_:
      out = {pg ? "true" : "1", pg ? "false" : "0"};
      break;
    case Kind::uuid:
      out = {"ffffffff-ffff-4fff-bfff-ffffffffffff", "dddddddd-0000-4000-8000-000000000001",
             "dddddddd-0000-4000-8000-000000000002", "dddddddd-0000-4000-8000-000000000003"};
      break;
    case Kind::string:
    case Kind::text: {
      std::size_t n = c.kind == Kind::string ? static_cast<std::size_t>(c.length) : 3000;
      const std::string unicode =
          "\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80 na\xC3\xAFve caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 ";
      std::string longest = "d";
      while (code_points(longest) < n) longest += "x";
      std::string multi;
      while (code_points(multi) < n) multi += unicode;
      out = {first_code_points(longest, n),
             first_code_points(multi, n),
             "it's \"q\"",
             "back\\slash \\n \\\\",
             "*/ $$ $x$ -- ; %",
             "line 1\nline 2\r\n\ttab",
             "",
             "31337",
             "dddddddd-0000-4000-8000-00000000000a",
             kJsonDocument};
      // A value the whole width of the column, ending in a quote and a backslash.
      if (n >= 4) out.push_back(first_code_points(longest, n - 2) + "'\\");
      break;
    }
    case Kind::date:
      out = {"1000-01-01", "9999-12-31", "2024-02-29"};
      break;
    case Kind::time:
      out = {"00:00:00", "23:59:59", pg ? "12:34:56.789012" : "12:34:56"};
      break;
    case Kind::timestamp:
      out = {"1000-01-01 00:00:00", "9999-12-31 23:59:59", pg ? "2024-02-29 12:34:56.789012" : "2024-02-29 12:34:56",
             "2001-01-01 00:00:00"};
      break;
    case Kind::timestamptz:
      if (pg)
        out = {"1000-01-01 00:00:00", "9999-12-31 23:59:59", "2024-02-29 12:34:56.789012", "2001-01-01 00:00:00"};
      else  // TIMESTAMP: 1970-01-01 00:00:01 to 2038-01-19 03:14:07 (UTC)
        out = {"1970-01-02 00:00:00", "2038-01-18 23:59:59", "2024-02-29 12:34:56", "2001-01-01 00:00:00"};
      break;
    case Kind::json:
      out = {kJsonDocument, "[]", "null", "\"a string\"", "{}"};
      break;
    case Kind::list_text:
      if (pg)
        out = {"{plain,\"it's\",\"q\\\"uote\",\"back\\\\slash\",NULL,\"\xF0\x9F\x98\x80\"}", "{}", "{\"\"}"};
      else
        out = {"[\"plain\", \"it's\", \"q\\\"uote\", \"back\\\\slash\", null, \"\xF0\x9F\x98\x80\"]", "[]"};
      break;
    case Kind::list_int:
      if (pg)
        out = {"{-2147483648,2147483647,NULL,0}", "{}"};
      else
        out = {"[-2147483648, 2147483647, null, 0]", "[]"};
      break;
    case Kind::enum_:
      if (const Enum* e = m.enum_type(c.enum_name)) out = e->values;
      break;
    case Kind::bytes:
      out = {"00ff5c27223000", "", "deadbeef"};
      break;
  }
  return out;
}

bool check_holds(const Table& t, const Column& c, const std::string& v) {
  long double x = std::strtold(v.c_str(), nullptr);
  if (c.check == Column::CheckKind::range) {
    if (!std::regex_match(v, number_re())) return false;
    if (x < c.range_min || (c.range_max && x > *c.range_max)) return false;
  }
  if (c.check == Column::CheckKind::in_list &&
      std::find(c.in_values.begin(), c.in_values.end(), v) == c.in_values.end())
    return false;
  for (const auto& k : t.checks)
    if (k.column == c.name && (!std::regex_match(v, number_re()) || x < k.min)) return false;
  return true;
}

// Whether column `c` (of table `t` in model `m`) holds `v`, a value made for a column of kind `from`.
bool holds(const Model& m, const Table& t, const Column& c, Kind from, const std::string& v, DialectId dialect) {
  if (!same_family(from, c.kind)) return false;
  if (!check_holds(t, c, v)) return false;
  const bool pg = dialect == DialectId::postgres;
  switch (c.kind) {
    case Kind::smallint:
    case Kind::int_:
    case Kind::bigint:
    case Kind::serial:
    case Kind::bigserial: {
      if (!std::regex_match(v, std::regex("-?[0-9]+"))) return false;
      if (v.size() > 20) return false;
      Range r = integer_range(c.kind);
      long double x = std::strtold(v.c_str(), nullptr);
      return x >= r.lo && x <= r.hi;
    }
    case Kind::decimal: {
      if (!std::regex_match(v, number_re())) return false;
      std::string digits = v[0] == '-' ? v.substr(1) : v;
      auto dot = digits.find('.');
      std::size_t whole = dot == std::string::npos ? digits.size() : dot;
      std::size_t frac = dot == std::string::npos ? 0 : digits.size() - dot - 1;
      std::string w = digits.substr(0, whole);
      while (w.size() > 1 && w[0] == '0') w.erase(0, 1);
      if (w == "0") w.clear();
      return static_cast<int>(frac) <= c.scale && static_cast<int>(w.size()) <= c.precision - c.scale;
    }
    case Kind::float_:
    case Kind::double_:
      return exact_floats().count(v) || (c.kind == Kind::double_ && v == "123456789.125") ||
             (integer_kind(from) && v.size() <= 6 && std::regex_match(v, std::regex("-?[0-9]+")));
    case Kind::string:
      return code_points(v) <= static_cast<std::size_t>(c.length);
    case Kind::text:
      return true;
    case Kind::uuid:
      return std::regex_match(v, uuid_re());
    case Kind::enum_: {
      const Enum* e = m.enum_type(c.enum_name);
      return e && std::find(e->values.begin(), e->values.end(), v) != e->values.end();
    }
    case Kind::date:
    case Kind::timestamp:
    case Kind::timestamptz: {
      std::smatch mt;
      if (!std::regex_match(v, mt, moment_re())) return false;
      if (c.kind == Kind::date && mt[2].matched && (mt[3].str() != "00:00:00" || mt[4].matched)) return false;
      if (!pg && mt[4].matched) return false;
      if (!pg && c.kind == Kind::timestamptz) {
        int year = std::atoi(mt[1].str().c_str());
        return year >= 1971 && year <= 2037;
      }
      return true;
    }
    case Kind::json:
      return from == Kind::json || v == kJsonDocument;
    case Kind::time:
    case Kind::bool_:
    case Kind::list_text:
    case Kind::list_int:
    case Kind::bytes:
      return from == c.kind;
  }
  return false;
}

// ---------------------------------------------------------------- SQL text

std::string quote_name(const std::string& name, DialectId d) {
  if (d == DialectId::postgres) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  }
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

std::string qualified(const Model& m, const std::string& table, DialectId d) {
  if (d != DialectId::postgres) return quote_name(table, d);
  return quote_name(m.pg_schema.empty() ? "public" : m.pg_schema, d) + "." + quote_name(table, d);
}

// A string literal (Postgres: standard_conforming_strings, on by default; MySQL: backslash escapes).
std::string literal(const std::string& v, DialectId d) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'')
      out += "''";
    else if (c == '\\' && d != DialectId::postgres)
      out += "\\\\";
    else
      out += c;
  }
  return out + "'";
}

std::string value_sql(const Column& c, const std::string& v, DialectId d) {
  if (c.kind == Kind::bytes) return d == DialectId::postgres ? "'\\x" + v + "'" : "X'" + v + "'";
  return literal(v, d);
}

// The canonical text of column `q` (quoted) of kind `k`, computed by the server.
std::string canonical(Kind k, const std::string& q, DialectId d) {
  if (d == DialectId::postgres) {
    if (number_kind(k)) return "trim_scale(" + q + "::numeric)::text";
    if (k == Kind::timestamptz) return "to_char(" + q + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";
    if (moment_kind(k)) return "to_char(" + q + "::timestamp, 'YYYY-MM-DD HH24:MI:SS.US')";
    if (k == Kind::bytes) return "encode(" + q + ", 'hex')";
    return q + "::text";
  }
  if (number_kind(k) || k == Kind::bool_)
    return "TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(CAST(" + q + " AS DECIMAL(65,10)) AS CHAR)))";
  if (moment_kind(k)) return "DATE_FORMAT(" + q + ", '%Y-%m-%d %H:%i:%s.%f')";
  if (k == Kind::bytes) return "LOWER(HEX(" + q + "))";
  return "CAST(" + q + " AS CHAR)";
}

bool fk_source(const Table& t, const std::string& column) {
  return std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const ForeignKey& f) { return f.uses(column); });
}

// The column sets whose values must be distinct: the primary key, uniques and unique indexes.
std::vector<std::vector<std::string>> unique_sets(const Table& t) {
  std::vector<std::vector<std::string>> out{t.primary_key};
  for (const auto& u : t.uniques) out.push_back(u.columns);
  for (const auto& ix : t.indexes)
    if (ix.unique) {
      std::vector<std::string> cols;
      for (const auto& k : ix.keys) cols.push_back(k.column);
      out.push_back(cols);
    }
  for (const auto& x : t.exclusions) out.push_back(x.columns);  // every element `WITH =`
  return out;
}

}  // namespace

// The raw value of a YAML scalar as random_registry writes them (a double-quoted string, a number,
// true / false), as this dialect's candidates spell it; nullopt for null or an expression.
std::optional<std::string> raw_value(const std::string& yaml, DialectId d) {
  if (yaml.empty() || yaml == "null" || yaml[0] == '{') return std::nullopt;
  if (yaml == "true") return std::string(d == DialectId::postgres ? "true" : "1");
  if (yaml == "false") return std::string(d == DialectId::postgres ? "false" : "0");
  if (yaml[0] != '"') return yaml;
  std::string out;
  for (std::size_t i = 1; i + 1 < yaml.size(); ++i) {
    if (yaml[i] == '\\' && i + 2 < yaml.size()) {
      char n = yaml[++i];
      out += n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n;
    } else {
      out += yaml[i];
    }
  }
  return out;
}

// The values of a reference row of `t` per column of `ta` (`names`: ta's column -> t's column).
std::vector<std::optional<std::string>> reference_row(const Table& ta, const Table& t, const Row& r,
                                                      const std::map<std::string, std::string>& names, DialectId d) {
  std::vector<std::optional<std::string>> out;
  for (const auto& ca : ta.columns) {
    auto it = names.find(ca.name);
    const Column* c = it == names.end() ? nullptr : t.column(it->second);
    std::optional<std::string> v;
    if (c) {
      const std::string* cell = nullptr;
      for (const auto& [col, value] : r.values)
        if (col == c->name) cell = &value;
      v = raw_value(cell ? *cell : c->default_yaml, d);
    }
    out.push_back(v);
  }
  return out;
}

std::vector<std::string> data_sql(const Model& a, const Model& b, DialectId dialect, int rows) {
  std::vector<std::string> out{dialect == DialectId::postgres ? "SET TIME ZONE 'UTC'" : "SET time_zone = '+00:00'"};
  auto matches = match_tables(a, b);
  for (const auto& ta : a.tables) {
    const TableMatch& match =
        *std::find_if(matches.begin(), matches.end(), [&](const auto& x) { return x.a == ta.name; });
    const Table* tb = match.b.empty() ? nullptr : b.table(match.b);
    // Column sets (as A names them) that must stay distinct in A and in B.
    auto sets = unique_sets(ta);
    if (tb) {
      std::map<std::string, std::string> a_of_b;
      for (const auto& [x, y] : match.columns)
        if (!y.empty()) a_of_b[y] = x;
      for (auto set : unique_sets(*tb)) {
        bool mapped = true;
        for (auto& c : set) {
          if (!a_of_b.count(c))
            mapped = false;
          else
            c = a_of_b[c];
        }
        if (mapped) sets.push_back(set);  // (a set with a new column: the generator keeps it NULL or volatile)
      }
    }
    // Per column: the values it may take (fitting A and B), or none (NULL only).
    std::vector<std::vector<std::string>> fitting;
    std::vector<const Column*> in_b;
    for (const auto& ca : ta.columns) {
      std::string bn = match.b_column(ca.name);
      const Column* cb = tb && !bn.empty() ? tb->column(bn) : nullptr;
      in_b.push_back(cb);
      std::vector<std::string> values;
      // Foreign-key columns stay NULL (always nullable here): a value would have to be in the parent.
      if (!fk_source(ta, ca.name) && !(cb && fk_source(*tb, cb->name)))
        for (const auto& v : candidates(a, ca, dialect))
          if (holds(a, ta, ca, ca.kind, v, dialect) && (!cb || holds(b, *tb, *cb, ca.kind, v, dialect)))
            values.push_back(v);
      fitting.push_back(values);
    }
    // The reference rows of A and B, which the data rows must not collide with either.
    std::vector<std::vector<std::optional<std::string>>> made;
    {
      std::map<std::string, std::string> same, to_b;
      for (const auto& [x, y] : match.columns) {
        same[x] = x;
        if (!y.empty()) to_b[x] = y;
      }
      for (const auto& r : ta.rows) made.push_back(reference_row(ta, ta, r, same, dialect));
      if (tb)
        for (const auto& r : tb->rows) made.push_back(reference_row(ta, *tb, r, to_b, dialect));
    }
    const std::size_t references = made.size();
    for (int r = 0; r < rows; ++r) {
      const bool null_row = r == rows - 1;  // the last row: NULL wherever A and B allow it
      for (int attempt = 0; attempt < 4; ++attempt) {
        std::vector<std::optional<std::string>> row;
        bool ok = true;
        for (std::size_t i = 0; i < ta.columns.size() && ok; ++i) {
          const Column& ca = ta.columns[i];
          bool nullable = ca.nullable && !ta.in_primary_key(ca.name) && (!in_b[i] || in_b[i]->nullable);
          if ((null_row && nullable) || fitting[i].empty()) {
            if (!nullable) ok = false;
            row.emplace_back();
            continue;
          }
          row.push_back(fitting[i][static_cast<std::size_t>(r + attempt * rows) % fitting[i].size()]);
        }
        // Distinct from the rows before on every unique set (NULL never collides).
        for (const auto& set : sets) {
          if (!ok) break;
          for (const auto& other : made) {
            bool same = true;
            for (const auto& c : set) {
              auto at = static_cast<std::size_t>(
                  std::find_if(ta.columns.begin(), ta.columns.end(), [&](const Column& x) { return x.name == c; }) -
                  ta.columns.begin());
              if (at >= row.size() || !row[at] || !other[at] || *row[at] != *other[at]) same = false;
            }
            if (same) ok = false;
          }
        }
        if (!ok) continue;
        made.push_back(row);
        break;
      }
    }
    // One INSERT per table, every data row in it (a statement per row costs a round trip each).
    std::string c, rows_sql;
    for (std::size_t i = 0; i < ta.columns.size(); ++i) c += (i ? ", " : "") + quote_name(ta.columns[i].name, dialect);
    for (std::size_t m = references; m < made.size(); ++m) {
      const auto& row = made[m];
      std::string v;
      for (std::size_t i = 0; i < row.size(); ++i)
        v += (i ? ", " : "") + (row[i] ? value_sql(ta.columns[i], *row[i], dialect) : std::string("NULL"));
      rows_sql += (rows_sql.empty() ? "(" : ", (") + v + ")";
    }
    if (!rows_sql.empty())
      out.push_back("INSERT INTO " + qualified(a, ta.name, dialect) + " (" + c + ") VALUES " + rows_sql);
  }
  return out;
}

std::string hash_query(const Model& m, const std::string& table, const std::vector<std::string>& key,
                       const std::vector<std::string>& columns, DialectId dialect) {
  const Table* t = m.table(table);
  auto kind = [&](const std::string& c) { return t->column(c)->kind; };
  std::vector<std::string> keys;
  for (const auto& k : key) keys.push_back(canonical(kind(k), quote_name(k, dialect), dialect));
  std::string sql = "SELECT CONCAT_WS('|'";
  for (const auto& k : keys) sql += ", " + k;
  sql += ")";
  for (const auto& c : columns) {
    std::string e = canonical(kind(c), quote_name(c, dialect), dialect);
    sql += dialect == DialectId::postgres ? ", COALESCE(md5(" + e + "), 'NULL')" : ", COALESCE(MD5(" + e + "), 'NULL')";
  }
  return sql + " FROM " + qualified(m, table, dialect) + " ORDER BY 1";
}

std::string hash_session_sql(DialectId dialect) {
  return dialect == DialectId::postgres ? "SET TIME ZONE 'UTC'" : "SET time_zone = '+00:00'";
}

// ---------------------------------------------------------------- misfits

namespace {

// The most characters a string-like column holds in dialect `d`; 0: more than any test value.
std::size_t max_chars(const Column& c, DialectId d) {
  if (c.kind == Kind::string) return static_cast<std::size_t>(c.length);
  if (c.kind == Kind::text && d == DialectId::postgres && c.pg_type == "VARCHAR(4000)") return 4000;
  if (c.kind == Kind::uuid && d != DialectId::postgres) return 36;  // VARCHAR(36) or CHAR(36)
  return 0;
}

// `n` characters that no data value starts with ('m'), in one of three widths (1, 2 or 3 bytes).
std::string misfit_text(std::size_t n, std::mt19937& rng) {
  static const char* fill[] = {"x", "\xC3\xA9", "\xE4\xB8\xAD"};
  const char* f = fill[std::uniform_int_distribution<int>(0, 2)(rng)];
  std::string out = "m";
  for (std::size_t i = 1; i < n; ++i) out += f;
  return out;
}

// What is just past an integer type's range, above and below.
std::pair<std::string, std::string> beyond(Kind k) {
  switch (k) {
    case Kind::smallint:
      return {"32768", "-32769"};
    case Kind::int_:
    case Kind::serial:
      return {"2147483648", "-2147483649"};
    default:
      return {"9223372036854775808", "-9223372036854775809"};
  }
}
std::pair<std::string, std::string> ends(Kind k) {
  switch (k) {
    case Kind::smallint:
      return {"32767", "-32768"};
    case Kind::int_:
    case Kind::serial:
      return {"2147483647", "-2147483648"};
    default:
      return {"9223372036854775807", "-9223372036854775808"};
  }
}
std::size_t digits(const std::string& v) {
  return v.size() - (v[0] == '-' ? 1 : 0);
}

// Whether a plain number (an integer, or 0.5-like) or a string goes into column `c` as it is
// (type and length only; the checks are check_holds').
bool plain_fit(const Column& c, const std::string& v, DialectId d) {
  const bool integer = std::regex_match(v, std::regex("-?[0-9]+"));
  if (integer_kind(c.kind)) {
    if (!integer || v.size() > 20) return false;
    Range r = integer_range(c.kind);
    long double x = std::strtold(v.c_str(), nullptr);
    return x >= r.lo && x <= r.hi;
  }
  if (c.kind == Kind::decimal) return integer && static_cast<int>(digits(v)) <= c.precision - c.scale;
  if (c.kind == Kind::float_ || c.kind == Kind::double_)
    return integer && std::abs(std::strtold(v.c_str(), nullptr)) <= 16777216.0L;
  if (string_kind(c.kind)) return max_chars(c, d) == 0 || code_points(v) <= max_chars(c, d);
  return false;
}

// Every misfit value of A's column `ca` for B's column `cb`, with its kind.
std::vector<std::pair<std::string, std::string>> misfit_values(const Model& a, const Table& ta, const Column& ca,
                                                               const Model& b, const Table& tb, const Column& cb,
                                                               DialectId d, std::mt19937& rng) {
  const bool pg = d == DialectId::postgres;
  const Kind ka = ca.kind, kb = cb.kind;
  const bool text_a = string_kind(ka);
  const std::size_t la = text_a ? max_chars(ca, d) : 0;
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& kind, const std::string& v) {
    if (text_a && la && code_points(v) > la) return;
    if (check_holds(ta, ca, v)) out.emplace_back(kind, v);
  };
  // As much of `v` as A's column holds.
  auto cut = [&](const std::string& v) { return la ? first_code_points(v, la) : v; };

  // Longer than B's length.
  const std::size_t lb = string_kind(kb) || (kb == Kind::uuid && !pg) ? max_chars(cb, d) : 0;
  if (lb > 0) {
    if (text_a && (la == 0 || la > lb)) add("length", misfit_text(lb + 1, rng));
    if (integer_kind(ka))
      for (const auto& v : {ends(ka).first, ends(ka).second})
        if (v.size() > lb) add("length", v);
    if (ka == Kind::uuid && pg && lb < 36) add("length", "ffffffff-ffff-4fff-bfff-ffffffffffff");
    if (ka == Kind::enum_)
      if (const Enum* e = a.enum_type(ca.enum_name))
        for (const auto& v : e->values)
          if (code_points(v) > lb) add("length", v);
  }
  // Outside B's integer range, or with a fraction.
  if (integer_kind(kb)) {
    auto [over, under] = beyond(kb);
    if (integer_kind(ka) && integer_range(ka).hi > integer_range(kb).hi)
      add("range", std::uniform_int_distribution<int>(0, 1)(rng) ? over : under);
    if (ka == Kind::decimal) {
      if (ca.scale > 0) add("scale", "0.5");
      if (static_cast<int>(digits(over)) <= ca.precision - ca.scale) add("range", over);
    }
    if (ka == Kind::float_ || ka == Kind::double_) add("scale", "1.5");
    if (text_a) {
      add("number", cut("not a number"));
      add("range", over);
    }
  }
  // More digits or places than B's decimal.
  if (kb == Kind::decimal) {
    const int wb = cb.precision - cb.scale;
    if (integer_kind(ka))
      for (const auto& v : {ends(ka).first, ends(ka).second})
        if (static_cast<int>(digits(v)) > wb) add("range", v);
    if (ka == Kind::decimal) {
      if (ca.scale > cb.scale) add("scale", "0." + std::string(static_cast<std::size_t>(ca.scale - 1), '0') + "1");
      if (ca.precision - ca.scale > wb) add("range", "1" + std::string(static_cast<std::size_t>(wb), '0'));
    }
    if (ka == Kind::float_ || ka == Kind::double_) {
      if (cb.scale < 5) add("scale", "0.03125");                             // 1/32: exact in binary
      if (ka == Kind::double_ && wb < 16) add("range", "1000000000000000");  // 10^15: exact in DOUBLE
    }
    if (text_a) add("number", cut("not a number"));
  }
  // Numbers REAL / DOUBLE PRECISION cannot hold exactly.
  if (kb == Kind::float_ || kb == Kind::double_) {
    if (kb == Kind::float_ && ka == Kind::double_) add("precision", "123456789.125");
    if (kb == Kind::float_ && (ka == Kind::int_ || ka == Kind::serial)) add("precision", "16777217");  // 2^24 + 1
    if (ka == Kind::bigint || ka == Kind::bigserial) add("precision", "9007199254740993");             // 2^53 + 1
    if (ka == Kind::decimal && ca.precision >= 17) {
      const std::string whole = "123456789012345678901234567890123456789", frac = "98765432109876543210987654321";
      const auto w = static_cast<std::size_t>(ca.precision - ca.scale), f = static_cast<std::size_t>(ca.scale);
      add("precision", (w ? whole.substr(0, w) : "0") + (f ? "." + frac.substr(0, f) : ""));
    }
    if (text_a) add("number", cut("not a number"));
  }
  // Text that is no uuid (Postgres: on TiDB a uuid is VARCHAR(36), its length above), no JSON, no
  // value of B's enum.
  if (kb == Kind::uuid && pg && text_a) add("uuid", cut("not-a-uuid"));
  if (kb == Kind::json && text_a) add("json", cut("{not json"));
  if (kb == Kind::enum_) {
    const Enum* e = b.enum_type(cb.enum_name);
    auto in_b = [&](const std::string& v) {
      return e && std::find(e->values.begin(), e->values.end(), v) != e->values.end();
    };
    if (text_a && !in_b("zz-nope")) add("enum", cut("zz-nope"));
    if (ka == Kind::enum_)
      if (const Enum* ea = a.enum_type(ca.enum_name))
        for (const auto& v : ea->values)
          if (!in_b(v)) add("enum", v);
  }
  // A time of day going to a date; a moment outside TIMESTAMP's range (TiDB: 1970 to 2038).
  if (kb == Kind::date && (ka == Kind::timestamp || ka == Kind::timestamptz))
    add("date", pg ? "2024-02-29 12:34:56.789012" : "2024-02-29 12:34:56");
  if (!pg && kb == Kind::timestamptz && (ka == Kind::date || ka == Kind::timestamp))
    add("timestamp range", ka == Kind::date ? "1000-01-01" : "1000-01-01 00:00:00");
  // A value of B's type that B's checks refuse.
  std::vector<std::string> refused;
  if (cb.check == Column::CheckKind::range) {
    refused.push_back(std::to_string(cb.range_min - 1));
    if (cb.range_max) refused.push_back(std::to_string(*cb.range_max + 1));
  }
  if (cb.check == Column::CheckKind::in_list) refused.push_back("zz-nope");
  for (const auto& k : tb.checks)
    if (k.column == cb.name) refused.push_back(std::to_string(k.min - 1));
  for (const auto& v : refused)
    if (!check_holds(tb, cb, v) && plain_fit(ca, v, d) && plain_fit(cb, v, d)) add("check", v);
  return out;
}

}  // namespace

std::vector<Misfit> misfits(const Model& a, const Model& b, DialectId dialect, std::mt19937& rng) {
  std::vector<Misfit> out;
  for (const auto& match : match_tables(a, b)) {
    const Table* ta = a.table(match.a);
    const Table* tb = match.b.empty() ? nullptr : b.table(match.b);
    if (!tb) continue;
    for (const auto& [an, bn] : match.columns) {
      const Column* ca = ta->column(an);
      const Column* cb = bn.empty() ? nullptr : tb->column(bn);
      // Key columns identify the row; foreign-key columns stay NULL (as in data_sql).
      if (!cb || ta->in_primary_key(an) || tb->in_primary_key(bn) || fk_source(*ta, an) || fk_source(*tb, bn)) continue;
      auto values = misfit_values(a, *ta, *ca, b, *tb, *cb, dialect, rng);
      if (values.empty()) continue;
      const auto& [kind, value] = values[static_cast<std::size_t>(
          std::uniform_int_distribution<int>(0, static_cast<int>(values.size()) - 1)(rng))];
      out.push_back(Misfit{ta->name, tb->name, {an}, {bn}, value, kind});
    }
    // Two rows alike on the columns of a key B has and A does not (A's own keys must allow it).
    std::map<std::string, std::string> a_of_b;
    for (const auto& [x, y] : match.columns)
      if (!y.empty()) a_of_b[y] = x;
    std::vector<std::vector<std::string>> b_sets, choices;
    for (const auto& u : tb->uniques) b_sets.push_back(u.columns);
    for (const auto& ix : tb->indexes) {
      if (!ix.unique || ix.keys.empty() || !ix.expression_column.empty()) continue;
      if (dialect != DialectId::postgres && ix.postgres_only()) continue;
      std::vector<std::string> cols;
      for (const auto& k : ix.keys) cols.push_back(k.column);
      if (!ix.where_column.empty()) cols.push_back(ix.where_column);  // (both rows must be indexed)
      b_sets.push_back(cols);
    }
    if (dialect == DialectId::postgres)
      for (const auto& x : tb->exclusions) b_sets.push_back(x.columns);
    for (const auto& set : b_sets) {
      std::vector<std::string> cols;
      bool ok = true;
      for (const auto& c : set) {
        auto it = a_of_b.find(c);
        if (it == a_of_b.end() || ta->in_primary_key(it->second) || fk_source(*ta, it->second) || fk_source(*tb, c)) {
          ok = false;
          break;
        }
        if (std::find(cols.begin(), cols.end(), it->second) == cols.end()) cols.push_back(it->second);
      }
      for (const auto& own : unique_sets(*ta))  // a key of A on some of these columns refuses the copy
        if (ok && !own.empty() && std::all_of(own.begin(), own.end(), [&](const std::string& c) {
              return std::find(cols.begin(), cols.end(), c) != cols.end();
            }))
          ok = false;
      if (ok) choices.push_back(cols);
    }
    if (!choices.empty()) {
      const auto& cols = choices[static_cast<std::size_t>(
          std::uniform_int_distribution<int>(0, static_cast<int>(choices.size()) - 1)(rng))];
      std::vector<std::string> b_cols;
      for (const auto& c : cols) b_cols.push_back(match.b_column(c));
      out.push_back(Misfit{ta->name, tb->name, cols, b_cols, "", "unique"});
    }
  }
  return out;
}

std::string misfit_update_sql(const Model& a, const Misfit& m, const std::vector<std::string>& key,
                              const std::string& key_text, const std::string& source_key_text, DialectId dialect) {
  const Table* t = a.table(m.table);
  auto where = [&](const std::string& text) {
    std::string w = "CONCAT_WS('|'";
    for (const auto& k : key) w += ", " + canonical(t->column(k)->kind, quote_name(k, dialect), dialect);
    return " WHERE " + w + ") = " + literal(text, dialect);
  };
  std::string set;
  for (const auto& c : m.columns) {
    std::string q = quote_name(c, dialect);
    set += (set.empty() ? "" : ", ") + q + " = " +
           (m.kind == "unique"
                // (a derived table: the MySQL family cannot read the table an UPDATE changes, error 1093)
                ? "(SELECT " + q + " FROM (SELECT * FROM " + qualified(a, m.table, dialect) + where(source_key_text) +
                      ") AS source)"
                : value_sql(*t->column(c), m.value, dialect));
  }
  return "UPDATE " + qualified(a, m.table, dialect) + " SET " + set + where(key_text);
}

}  // namespace schemactl::test::rr
