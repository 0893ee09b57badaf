#include "random_registry.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>

namespace schemactl::test::rr {

Column* Table::column(const std::string& n) {
  for (auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}
const Column* Table::column(const std::string& n) const {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}
std::vector<std::string> Index::columns() const {
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(k.column);
  if (!where_column.empty()) out.push_back(where_column);
  if (!expression_column.empty()) out.push_back(expression_column);
  out.insert(out.end(), include.begin(), include.end());
  return out;
}
bool ForeignKey::uses(const std::string& column) const {
  return std::find(columns.begin(), columns.end(), column) != columns.end();
}
bool Table::in_primary_key(const std::string& c) const {
  return std::find(primary_key.begin(), primary_key.end(), c) != primary_key.end();
}
Table* Model::table(const std::string& n) {
  for (auto& t : tables)
    if (t.name == n) return &t;
  return nullptr;
}
const Table* Model::table(const std::string& n) const {
  for (const auto& t : tables)
    if (t.name == n) return &t;
  return nullptr;
}
const Enum* Model::enum_type(const std::string& n) const {
  for (const auto& e : enums)
    if (e.name == n) return &e;
  return nullptr;
}

namespace {

// ---------------------------------------------------------------- randomness helpers

int uniform(std::mt19937& rng, int lo, int hi) {  // inclusive
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}
bool chance(std::mt19937& rng, int percent) {
  return uniform(rng, 1, 100) <= percent;
}
template <typename T>
T& pick(std::mt19937& rng, std::vector<T>& items) {
  return items[static_cast<std::size_t>(uniform(rng, 0, static_cast<int>(items.size()) - 1))];
}
template <typename T>
const T& pick(std::mt19937& rng, const std::vector<T>& items) {
  return items[static_cast<std::size_t>(uniform(rng, 0, static_cast<int>(items.size()) - 1))];
}

const std::vector<std::string> kTableWords = {"alpha", "bravo", "charlie", "delta", "echo",   "foxtrot", "golf",
                                              "hotel", "india", "juliet",  "kilo",  "lima",   "mike",    "oscar",
                                              "papa",  "romeo", "sierra",  "tango", "victor", "whiskey", "zulu"};
const std::vector<std::string> kColumnWords = {"amount", "label",   "note",   "score", "flag",  "size",
                                               "title",  "rank_no", "weight", "city",  "email", "phone",
                                               "color",  "level",   "stamp",  "memo"};
const std::vector<std::string> kComments = {
    "Plain description.",
    "It's got a quote.",
    "Two 'single' quotes and a \"double\" one.",
    "Backslash \\ and a comment closer */ here.",
    "Percent % and dollar $1 and semicolon; done",
    // (No 4-byte characters such as emoji: MariaDB keeps comments in utf8mb3 and fails with error
    // 1300, and the validation that would say so is the h/planner branch's comment work; the data
    // rows carry emoji instead.)
    "Ünïcödé text: naïve café ☕",
    "Dollar quotes $$ and $x$ and $function$ inside.",
    "A comment closer */ then /* an opener and -- a dash comment",
    "Line one\nline two\r\n\ttabbed",
    "Ends in a backslash \\",
    "Quote at the end '",
};

// Words reserved in PostgreSQL 15 or MySQL 8 / TiDB (or both), used as names once per table or model.
const std::vector<std::string> kReserved = {"order",  "user",   "group",     "select", "check", "key",
                                            "return", "signal", "condition", "loop",   "each",  "reads",
                                            "undo",   "before", "rank",      "window", "limit", "table"};

std::string fresh(Model& m, const std::string& base, const char* sep = "") {
  return base + sep + std::to_string(m.next_id++);
}

// `base` + a fresh number, padded with 'x' to exactly `bytes` bytes.
std::string fresh_long(Model& m, const std::string& base, std::size_t bytes) {
  std::string n = "_" + std::to_string(m.next_id++);
  std::string out = base;
  while (out.size() + n.size() < bytes) out += 'x';
  return out + n;
}

bool name_taken(const Model& m, const std::string& name) {
  auto lower = [](std::string x) {
    for (auto& c : x) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return x;
  };
  for (const auto& t : m.tables)
    if (lower(t.name) == lower(name)) return true;
  for (const auto& v : m.views)
    if (lower(v.name) == lower(name)) return true;
  return lower(name) == kExternalTable;
}

// ---------------------------------------------------------------- YAML

std::string yq(const std::string& s) {  // a double-quoted YAML scalar (always a string)
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') {
      out += "\\r";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string kind_type(const Column& c) {
  switch (c.kind) {
    case Kind::uuid:
      return "uuid";
    case Kind::string:
      return "string(" + std::to_string(c.length) + ")";
    case Kind::text:
      return "text";
    case Kind::smallint:
      return "smallint";
    case Kind::int_:
      return "int";
    case Kind::bigint:
      return "bigint";
    case Kind::serial:
      return "serial";
    case Kind::bigserial:
      return "bigserial";
    case Kind::float_:
      return "float";
    case Kind::double_:
      return "double";
    case Kind::decimal:
      return "\"decimal(" + std::to_string(c.precision) + "," + std::to_string(c.scale) + ")\"";
    case Kind::bool_:
      return "bool";
    case Kind::date:
      return "date";
    case Kind::time:
      return "time";
    case Kind::timestamp:
      return "timestamp";
    case Kind::timestamptz:
      return "timestamptz";
    case Kind::json:
      return "json";
    case Kind::list_text:
      return "\"list<text>\"";
    case Kind::list_int:
      return "\"list<int>\"";
    case Kind::enum_:
      return "enum(" + c.enum_name + ")";
    case Kind::bytes:
      return "bytes";
  }
  return "text";
}

bool numeric(Kind k) {
  return k == Kind::smallint || k == Kind::int_ || k == Kind::bigint || k == Kind::double_ || k == Kind::float_ ||
         k == Kind::decimal;
}
bool document(Kind k) {  // JSON on TiDB
  return k == Kind::json || k == Kind::list_text || k == Kind::list_int;
}
// Kinds a key (primary, unique, FK target) can be on, in both dialects.
bool keyable(Kind k) {
  return k != Kind::text && !document(k) && k != Kind::bytes && k != Kind::float_ && k != Kind::double_;
}
// Kinds a plain btree index can be on (TEXT with a prefix).
bool indexable(Kind k) {
  return !document(k) && k != Kind::bytes;
}

// ---------------------------------------------------------------- values

// A default for a column of this kind (a YAML value), satisfying the column's check.
std::string random_default(std::mt19937& rng, const Model& m, const Column& c) {
  switch (c.kind) {
    case Kind::uuid:
      return "{ expr: uuid }";
    case Kind::string: {
      if (c.check == Column::CheckKind::in_list) return yq(pick(rng, c.in_values));
      static const std::vector<std::string> values = {"o'clock", "plain", "x", "a \"b\"", "back\\slash"};
      std::vector<std::string> fitting;
      for (const auto& v : values)
        if (static_cast<int>(v.size()) <= c.length) fitting.push_back(v);
      return yq(fitting.empty() ? std::string("x") : pick(rng, fitting));
    }
    case Kind::text:
      return "{ expr: uuid }";
    case Kind::smallint:
    case Kind::int_:
    case Kind::bigint:
      return std::to_string(uniform(rng, 1, 99));
    case Kind::serial:
    case Kind::bigserial:
      return "";
    case Kind::float_:
    case Kind::double_:
      return std::to_string(uniform(rng, 1, 99)) + ".5";
    case Kind::decimal: {
      int whole = c.precision - c.scale;
      int top = whole >= 2 ? 99 : whole == 1 ? 9 : 0;
      return std::to_string(uniform(rng, 0, top)) + (c.scale >= 2 ? ".25" : c.scale == 1 ? ".5" : "");
    }
    case Kind::bool_:
      return chance(rng, 50) ? "true" : "false";
    case Kind::timestamp:
    case Kind::timestamptz:
      return "{ expr: now }";
    case Kind::date:
      return "{ expr: current_date }";
    case Kind::time:
      return yq("12:00:00");
    case Kind::json:
      return chance(rng, 50) ? "{ expr: empty_object }" : "{ expr: empty_array }";
    case Kind::list_text:
    case Kind::list_int:
      return "{ expr: empty_array }";
    case Kind::enum_:
      return yq(pick(rng, m.enum_type(c.enum_name)->values));
    case Kind::bytes:
      return "";
  }
  return "";
}

// Whether the kind can hold a literal value in a reference row.
bool row_literal_ok(Kind k) {
  return !document(k) && k != Kind::bytes;
}

// A literal for a reference row; `seq` makes it distinct from the other rows' values.
std::string row_value(const Model& m, const Column& c, int seq) {
  char buf[64];
  switch (c.kind) {
    case Kind::uuid:
      std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", seq);
      return yq(buf);
    case Kind::string:
      if (c.check == Column::CheckKind::in_list)
        return yq(c.in_values[static_cast<std::size_t>(seq) % c.in_values.size()]);
      {
        std::string v = "r" + std::to_string(seq);
        if (static_cast<int>(v.size()) > c.length) v = v.substr(v.size() - static_cast<std::size_t>(c.length));
        return yq(v);
      }
    case Kind::text:
      return yq("row " + std::to_string(seq) + ": it's");
    case Kind::smallint:
    case Kind::int_:
    case Kind::bigint:
    case Kind::serial:
    case Kind::bigserial:
      return std::to_string(seq % 997 + 1);
    case Kind::float_:
    case Kind::double_:
      return std::to_string(seq % 997 + 1) + ".5";
    case Kind::decimal: {
      int whole = c.precision - c.scale, top = 1;
      for (int i = 0; i < whole && top < 1000; ++i) top *= 10;
      return std::to_string(seq % top) + (c.scale >= 2 ? ".25" : c.scale == 1 ? ".5" : "");
    }
    case Kind::bool_:
      return seq % 2 ? "true" : "false";
    case Kind::timestamp:
    case Kind::timestamptz:
      std::snprintf(buf, sizeof buf, "2025-01-01 00:%02d:%02d", seq / 60 % 60, seq % 60);
      return yq(buf);
    case Kind::date:
      std::snprintf(buf, sizeof buf, "2025-%02d-%02d", seq / 28 % 12 + 1, seq % 28 + 1);
      return yq(buf);
    case Kind::enum_: {
      const auto& values = m.enum_type(c.enum_name)->values;
      return yq(values[static_cast<std::size_t>(seq) % values.size()]);
    }
    case Kind::time:
      std::snprintf(buf, sizeof buf, "10:%02d:%02d", seq / 60 % 60, seq % 60);
      return yq(buf);
    case Kind::json:
    case Kind::list_text:
    case Kind::list_int:
    case Kind::bytes:
      break;
  }
  return "null";
}

const std::string* row_cell(const Row& r, const std::string& column) {
  for (const auto& [c, v] : r.values)
    if (c == column) return &v;
  return nullptr;
}

// Whether any reference row gives this column a value.
bool rows_set(const Table& t, const std::string& column) {
  return std::any_of(t.rows.begin(), t.rows.end(), [&](const Row& r) { return row_cell(r, column) != nullptr; });
}

// Whether the rows are (conservatively) distinct on `columns`: a value a row leaves to the
// column's default may equal any value (the default, or what another row gives explicitly);
// NULL never collides.
bool rows_distinct(const Table& t, const std::vector<std::string>& columns) {
  std::vector<std::vector<const std::string*>> seen;  // nullptr: the column's default
  for (const auto& r : t.rows) {
    std::vector<const std::string*> key;
    bool has_null = false;
    for (const auto& c : columns) {
      const Column* col = t.column(c);
      if (const std::string* v = row_cell(r, c))
        key.push_back(v);
      else if (col && col->nullable && col->default_yaml.empty())
        has_null = true;
      else
        key.push_back(nullptr);
    }
    if (has_null) continue;
    for (const auto& other : seen) {
      bool same = true;
      for (std::size_t i = 0; i < key.size() && same; ++i) same = !key[i] || !other[i] || *key[i] == *other[i];
      if (same) return false;
    }
    seen.push_back(key);
  }
  return true;
}

// Whether a column takes part in a foreign key (either end).
bool in_foreign_key(const Model& m, const Table& t, const std::string& column) {
  for (const auto& fk : t.foreign_keys)
    if (fk.uses(column)) return true;
  for (const auto& other : m.tables)
    for (const auto& fk : other.foreign_keys)
      if (fk.ref_table == t.name &&
          std::find(fk.ref_columns.begin(), fk.ref_columns.end(), column) != fk.ref_columns.end())
        return true;
  return false;
}

// Whether a column is the referencing side of one of its table's foreign keys.
bool fk_source(const Table& t, const std::string& column) {
  return std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const ForeignKey& f) { return f.uses(column); });
}

// Whether a column leads an index, a unique or the primary key of its table.
bool leads_a_key(const Table& t, const std::string& column) {
  if (!t.primary_key.empty() && t.primary_key.front() == column) return true;
  for (const auto& u : t.uniques)
    if (u.columns.front() == column) return true;
  for (const auto& ix : t.indexes)
    if (!ix.postgres_only() && ix.keys.front().column == column) return true;
  return false;
}

// Whether a column is in a unique constraint or a unique index of its table.
bool in_unique(const Table& t, const std::string& column) {
  for (const auto& u : t.uniques)
    if (std::find(u.columns.begin(), u.columns.end(), column) != u.columns.end()) return true;
  for (const auto& ix : t.indexes)
    if (ix.unique)
      for (const auto& k : ix.keys)
        if (k.column == column) return true;
  return false;
}

bool checked(const Table& t, const Column& c) {
  return c.check != Column::CheckKind::none ||
         std::any_of(t.checks.begin(), t.checks.end(), [&](const Check& k) { return k.column == c.name; });
}

// ---------------------------------------------------------------- building blocks

// Every logical type but serial / bigserial (primary keys only here) and vector(n) (see Kind).
Kind random_kind(std::mt19937& rng) {
  static const std::vector<Kind> kinds = {
      Kind::uuid,        Kind::string,  Kind::string,    Kind::text,     Kind::smallint, Kind::int_, Kind::bigint,
      Kind::float_,      Kind::double_, Kind::decimal,   Kind::bool_,    Kind::date,     Kind::time, Kind::timestamp,
      Kind::timestamptz, Kind::json,    Kind::list_text, Kind::list_int, Kind::enum_,    Kind::bytes};
  return pick(rng, kinds);
}

// A per-column type override that holds the same values (so the data checks still apply).
void random_override(std::mt19937& rng, Column& c) {
  switch (c.kind) {
    case Kind::uuid:
      if (chance(rng, 50)) c.tidb_type = "CHAR(36)";
      break;
    case Kind::text:
      c.pg_type = "VARCHAR(4000)";
      break;
    case Kind::int_:
      if (chance(rng, 50))
        c.pg_type = "INT4";
      else
        c.tidb_type = "INT(11)";
      break;
    case Kind::json:
      c.pg_type = "JSON";
      break;
    default:
      break;
  }
}

std::string new_enum(Model& m, std::mt19937& rng) {
  Enum e;
  e.name = chance(rng, 25) ? fresh(m, "moodType") : fresh(m, "mood", "_");  // mixed case: quoted on Postgres
  if (chance(rng, 40)) e.comment = pick(rng, kComments);
  int n = uniform(rng, 2, 4);
  for (int i = 0; i < n; ++i)
    e.values.push_back(i == 1 && chance(rng, 30) ? "it's " + std::to_string(i) : "v" + std::to_string(i));
  m.enums.push_back(e);
  return e.name;
}

void random_check(std::mt19937& rng, Model& m, Column& c) {
  if (numeric(c.kind)) {
    c.check = Column::CheckKind::range;
    c.range_min = uniform(rng, 0, 1);
    if (chance(rng, 60))
      c.range_max = 1000 + uniform(rng, 0, 1000);
    else
      c.range_max.reset();
  } else if (c.kind == Kind::string) {
    c.check = Column::CheckKind::in_list;
    c.in_values = {"alpha", "it's", "gamma"};
    if (c.length < 10) c.length = 10;
  } else {
    return;
  }
  c.check_name = chance(rng, 40) ? fresh(m, "ck", "_") : "";
}

Column random_column(std::mt19937& rng, Model& m, const std::string& name, bool table_has_rows) {
  Column c;
  c.name = name;
  c.kind = random_kind(rng);
  if (c.kind == Kind::string) c.length = pick(rng, std::vector<int>{1, 10, 20, 40, 64, 255});
  if (c.kind == Kind::decimal) {
    c.precision = pick(rng, std::vector<int>{5, 10, 18, 38});
    c.scale = std::min(c.precision, pick(rng, std::vector<int>{0, 2, 4}));
  }
  if (c.kind == Kind::enum_)
    c.enum_name = m.enums.empty() || chance(rng, 20) ? new_enum(m, rng) : pick(rng, m.enums).name;
  c.nullable = chance(rng, 65);
  if (chance(rng, 25)) c.comment = pick(rng, kComments);
  // Strings with an IN check stay nullable: reference rows must not have to pick a value.
  if (c.nullable && chance(rng, 20)) random_check(rng, m, c);
  if (numeric(c.kind) && chance(rng, 20)) random_check(rng, m, c);
  bool needs_default =
      !c.nullable && (!row_literal_ok(c.kind) || table_has_rows || c.kind == Kind::timestamptz || c.kind == Kind::date);
  if (needs_default || chance(rng, 35)) c.default_yaml = random_default(rng, m, c);
  // No default to fill existing rows with (bytes): nullable.
  if (c.default_yaml.empty() && (c.kind == Kind::bytes || (!c.nullable && table_has_rows))) c.nullable = true;
  if (chance(rng, 15)) random_override(rng, c);
  return c;
}

// A fresh column name: mostly word_N; sometimes mixed case, a reserved word (once per table) or
// 63 bytes long (the limit of both dialects' identifiers that a registry can use).
std::string column_name(Model& m, std::mt19937& rng, const Table* t = nullptr) {
  int shape = uniform(rng, 1, 100);
  if (shape <= 8) return fresh(m, "dataId");
  if (shape <= 16 && t) {
    const std::string& word = pick(rng, kReserved);
    bool used = std::any_of(t->columns.begin(), t->columns.end(), [&](const Column& c) { return c.name == word; });
    if (!used) return word;
  }
  if (shape <= 21) return fresh_long(m, "long_column_name", 63);
  return fresh(m, pick(rng, kColumnWords), "_");
}

// A fresh table name: mostly word+N; sometimes mixed case, a reserved word or 58 bytes (so that
// `<table>_pkey`, a name the format derives and cannot override, fits in 63).
std::string table_name(Model& m, std::mt19937& rng) {
  int shape = uniform(rng, 1, 100);
  if (shape <= 8) return fresh(m, "MixedTable");
  if (shape <= 16) {
    const std::string& word = pick(rng, kReserved);
    if (!name_taken(m, word)) return word;
  }
  if (shape <= 21) return fresh_long(m, "long_table_name", 58);
  return fresh(m, pick(rng, kTableWords));
}

// Tables whose primary key is one column (what foreign keys here point at), and the external table.
struct Target {
  std::string table, column;
  Column type;  // kind and length
};
std::vector<Target> fk_targets(const Model& m) {
  std::vector<Target> out;
  Column ext;
  ext.kind = Kind::uuid;
  out.push_back({kExternalTable, "id", ext});
  for (const auto& t : m.tables)
    if (t.primary_key.size() == 1) out.push_back({t.name, t.primary_key[0], *t.column(t.primary_key[0])});
  return out;
}

// Every action but `set default`: TiDB treats it as RESTRICT and MariaDB refuses it; the validation
// that says so is the h/planner branch's work (re-enable `set default` once it is merged).
std::string random_action(std::mt19937& rng) {
  static const std::vector<std::string> actions = {"", "", "cascade", "set null", "restrict", "no action"};
  return pick(rng, actions);
}

// Adds a nullable column referencing `target` (with its foreign key) to `t`.
void add_fk_column(std::mt19937& rng, Model& m, Table& t, const Target& target) {
  Column c;
  c.name = fresh(m, "ref", "_");
  c.kind = target.type.kind == Kind::serial      ? Kind::int_
           : target.type.kind == Kind::bigserial ? Kind::bigint
                                                 : target.type.kind;
  c.length = target.type.length;
  c.nullable = true;
  t.columns.push_back(c);
  ForeignKey fk;
  fk.name = chance(rng, 30) ? fresh(m, "fk", "_") : "";
  fk.columns = {c.name};
  fk.ref_table = target.table;
  fk.ref_columns = {target.column};
  fk.on_delete = random_action(rng);
  fk.on_update = random_action(rng);
  t.foreign_keys.push_back(fk);
}

std::vector<std::vector<std::string>> key_sets(const Table& t) {
  std::vector<std::vector<std::string>> out;
  out.push_back(t.primary_key);
  for (const auto& u : t.uniques) out.push_back(u.columns);
  for (const auto& ix : t.indexes) {
    std::vector<std::string> cols;
    for (const auto& k : ix.keys) cols.push_back(k.column);
    out.push_back(cols);
  }
  return out;
}

void ensure_extension(std::mt19937& rng, Model& m, const std::string& name) {
  for (const auto& e : m.extensions)
    if (e.first == name) return;
  m.extensions.emplace_back(name, chance(rng, 50) ? pick(rng, kComments) : "");
}

bool integer_kind(Kind k) {
  return k == Kind::smallint || k == Kind::int_ || k == Kind::bigint || k == Kind::serial || k == Kind::bigserial;
}

// A postgres-only index (dialects: [postgres]): GIN (on a document, or trigram on text), BRIN,
// hash, partial, expression, covering (INCLUDE), or a key with NULLS FIRST / LAST.
bool postgres_index(std::mt19937& rng, Model& m, Table& t, Index& ix) {
  auto columns_where = [&](const std::function<bool(const Column&)>& ok) {
    std::vector<const Column*> out;
    for (const auto& c : t.columns)
      if (ok(c)) out.push_back(&c);
    return out;
  };
  auto texty = [](const Column& c) { return c.kind == Kind::string || c.kind == Kind::text; };
  switch (uniform(rng, 0, 7)) {
    case 0: {
      auto cols = columns_where([](const Column& c) { return document(c.kind) && c.pg_type.empty(); });
      if (cols.empty()) return false;
      ix.method = "gin";
      ix.keys.push_back({pick(rng, cols)->name, 0, false, "", ""});
      return true;
    }
    case 1: {
      auto cols = columns_where(texty);
      if (cols.empty()) return false;
      ensure_extension(rng, m, "pg_trgm");
      ix.method = "gin";
      ix.keys.push_back({pick(rng, cols)->name, 0, false, "", "gin_trgm_ops"});
      return true;
    }
    case 2: {
      auto cols = columns_where([](const Column& c) {
        return integer_kind(c.kind) || c.kind == Kind::date || c.kind == Kind::timestamp || c.kind == Kind::timestamptz;
      });
      if (cols.empty()) return false;
      ix.method = "brin";
      ix.keys.push_back({pick(rng, cols)->name, 0, false, "", ""});
      return true;
    }
    case 3: {
      auto cols = columns_where([](const Column& c) { return keyable(c.kind); });
      if (cols.empty()) return false;
      ix.method = "hash";
      ix.keys.push_back({pick(rng, cols)->name, 0, false, "", ""});
      return true;
    }
    case 4: {
      auto cols = columns_where([](const Column& c) { return keyable(c.kind); });
      if (cols.empty()) return false;
      const Column* c = pick(rng, cols);
      ix.keys.push_back({c->name, 0, false, "", ""});
      ix.where_column = c->name;
      ix.unique = chance(rng, 40) && rows_distinct(t, {c->name});
      return true;
    }
    case 5: {
      auto cols = columns_where(texty);
      if (cols.empty()) return false;
      ix.expression_column = pick(rng, cols)->name;
      return true;
    }
    case 6: {
      auto keys = columns_where([](const Column& c) { return keyable(c.kind); });
      if (keys.empty()) return false;
      const Column* k = pick(rng, keys);
      ix.keys.push_back({k->name, 0, false, "", ""});
      for (const auto& c : t.columns)
        if (c.name != k->name && chance(rng, 40)) ix.include.push_back(c.name);
      if (ix.include.empty()) return false;
      return true;
    }
    default: {
      auto keys = columns_where([](const Column& c) { return keyable(c.kind); });
      if (keys.empty()) return false;
      KeyPart k{pick(rng, keys)->name, 0, chance(rng, 50), "", ""};
      k.nulls = k.desc ? "first" : "last";  // the orders TiDB cannot give
      ix.keys.push_back(k);
      return true;
    }
  }
}

bool add_random_index(std::mt19937& rng, Model& m, Table& t, const Options& options) {
  std::vector<const Column*> candidates;
  for (const auto& c : t.columns)
    if (indexable(c.kind)) candidates.push_back(&c);
  Index ix;
  if (chance(rng, 40)) {
    if (!postgres_index(rng, m, t, ix)) return false;
    ix.name = fresh(m, "ix", "_");  // a derived name could match a plain index on the same columns
  } else if (!candidates.empty()) {
    int n = std::min<int>(uniform(rng, 1, 2), static_cast<int>(candidates.size()));
    std::vector<const Column*> cols = candidates;
    std::shuffle(cols.begin(), cols.end(), rng);
    for (int i = 0; i < n; ++i) {
      KeyPart k{cols[static_cast<std::size_t>(i)]->name, 0, chance(rng, 20), "", ""};
      if (cols[static_cast<std::size_t>(i)]->kind == Kind::text) k.prefix = 20;
      // NULLS LAST on a descending key: both dialects (MySQL sorts NULLs last there anyway).
      if (k.desc && chance(rng, 30)) k.nulls = "last";
      ix.keys.push_back(k);
    }
    bool all_keyable = std::all_of(ix.keys.begin(), ix.keys.end(),
                                   [&](const KeyPart& k) { return keyable(t.column(k.column)->kind); });
    std::vector<std::string> names;
    for (const auto& k : ix.keys) names.push_back(k.column);
    ix.unique = all_keyable && chance(rng, 30) && rows_distinct(t, names);
  }
  if (ix.keys.empty() && ix.expression_column.empty()) return false;
  if (!options.keys_on_fk_columns && !ix.postgres_only() && fk_source(t, ix.keys.front().column)) return false;
  std::vector<std::string> cols;
  for (const auto& k : ix.keys) cols.push_back(k.column);
  auto sets = key_sets(t);
  bool taken = std::find(sets.begin(), sets.end(), cols) != sets.end();
  if (ix.name.empty() && (taken || chance(rng, 30))) ix.name = fresh(m, "ix", "_");
  t.indexes.push_back(ix);
  return true;
}

// An exclusion constraint `EXCLUDE USING gist (<col> WITH =, ...)` (needs btree_gist).
bool add_random_exclusion(std::mt19937& rng, Model& m, Table& t) {
  std::vector<std::string> cols;
  for (const auto& c : t.columns)
    if ((integer_kind(c.kind) || c.kind == Kind::string || c.kind == Kind::date) && !t.in_primary_key(c.name))
      cols.push_back(c.name);
  if (cols.empty()) return false;
  std::shuffle(cols.begin(), cols.end(), rng);
  cols.resize(std::min<std::size_t>(cols.size(), static_cast<std::size_t>(uniform(rng, 1, 2))));
  if (!rows_distinct(t, cols)) return false;
  // (one like it already there is a registry error: Postgres keeps only one of two)
  for (const auto& x : t.exclusions)
    if (x.columns == cols) return false;
  ensure_extension(rng, m, "btree_gist");
  Exclusion x;
  x.columns = cols;
  if (chance(rng, 50)) x.name = fresh(m, "ex", "_");
  t.exclusions.push_back(x);
  return true;
}

// A composite foreign key from new columns of `t` to a table with a two-column primary key.
bool add_composite_fk(std::mt19937& rng, Model& m, Table& t) {
  std::vector<const Table*> parents;
  for (const auto& p : m.tables)
    if (p.primary_key.size() == 2) parents.push_back(&p);
  if (parents.empty()) return false;
  const Table& p = *pick(rng, parents);
  ForeignKey fk;
  fk.ref_table = p.name;
  for (const auto& k : p.primary_key) {
    Column c = *p.column(k);
    c.name = fresh(m, "cref", "_");
    c.nullable = true;
    c.default_yaml.clear();
    c.comment.clear();
    c.renamed_from.clear();
    c.check = Column::CheckKind::none;
    t.columns.push_back(c);
    fk.columns.push_back(c.name);
    fk.ref_columns.push_back(k);
  }
  fk.name = chance(rng, 30) ? fresh(m, "fk", "_") : "";
  fk.on_delete = random_action(rng);
  fk.on_update = random_action(rng);
  t.foreign_keys.push_back(fk);
  return true;
}

bool add_random_unique(std::mt19937& rng, Model& m, Table& t, const Options& options) {
  std::vector<std::string> candidates;
  for (const auto& c : t.columns)
    if (keyable(c.kind) && !t.in_primary_key(c.name)) candidates.push_back(c.name);
  if (candidates.empty()) return false;
  std::shuffle(candidates.begin(), candidates.end(), rng);
  Unique u;
  u.columns.assign(candidates.begin(), candidates.begin() + std::min<int>(uniform(rng, 1, 2), candidates.size()));
  if (!rows_distinct(t, u.columns)) return false;
  if (!options.keys_on_fk_columns && fk_source(t, u.columns.front())) return false;
  // Postgres folds a unique constraint into an identical one (or the primary key) in CREATE TABLE.
  if (u.columns == t.primary_key) return false;
  // The format takes a unique key on the same columns in another order for the same key.
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  for (const auto& other : t.uniques)
    if (sorted(other.columns) == sorted(u.columns)) return false;
  if (chance(rng, 30)) u.name = fresh(m, "uq", "_");
  t.uniques.push_back(u);
  return true;
}

bool add_random_table_check(std::mt19937& rng, Model& m, Table& t) {
  std::vector<std::string> candidates;
  for (const auto& c : t.columns)
    if (numeric(c.kind) && !fk_source(t, c.name)) candidates.push_back(c.name);
  if (candidates.empty()) return false;
  Check k;
  k.column = pick(rng, candidates);
  k.min = uniform(rng, 0, 1);
  k.name = fresh(m, "ck", "_");
  t.checks.push_back(k);
  return true;
}

// Required columns (NOT NULL without a default) and key columns get values; so do unique columns,
// so that the rows stay distinct.
bool add_rows(std::mt19937& rng, Model& m, Table& t, int count) {
  if (t.primary_key.empty()) return false;
  std::set<std::string> wanted(t.primary_key.begin(), t.primary_key.end());
  for (const auto& c : t.columns) {
    if (!c.nullable && c.default_yaml.empty()) {
      if (!row_literal_ok(c.kind)) return false;
      wanted.insert(c.name);
    }
  }
  // Foreign-key columns stay NULL (a value would have to exist in the referenced table): NULL
  // never collides in a unique key either.
  for (const auto& u : t.uniques)
    for (const auto& c : u.columns)
      if (!in_foreign_key(m, t, c) || t.in_primary_key(c)) wanted.insert(c);
  for (const auto& ix : t.indexes)
    if (ix.unique)
      for (const auto& k : ix.keys)
        if (!in_foreign_key(m, t, k.column) || t.in_primary_key(k.column)) wanted.insert(k.column);
  Table trial = t;
  for (int i = 0; i < count; ++i) {
    Row r;
    int seq = m.next_id++;
    for (const auto& c : t.columns)
      if (wanted.count(c.name) || (row_literal_ok(c.kind) && !in_foreign_key(m, t, c.name) && chance(rng, 20)))
        r.values.emplace_back(c.name, row_value(m, c, seq));
    trial.rows.push_back(r);
  }
  std::vector<std::vector<std::string>> keys = {t.primary_key};
  for (const auto& u : t.uniques) keys.push_back(u.columns);
  for (const auto& x : t.exclusions) keys.push_back(x.columns);  // every element `WITH =`
  for (const auto& ix : t.indexes)
    if (ix.unique) {
      std::vector<std::string> cols;
      for (const auto& k : ix.keys) cols.push_back(k.column);
      keys.push_back(cols);
    }
  for (const auto& k : keys)
    if (!rows_distinct(trial, k)) return false;
  t = trial;
  return true;
}

Table random_table(std::mt19937& rng, Model& m, const Options& options) {
  Table t;
  t.name = table_name(m, rng);
  if (chance(rng, 50)) t.comment = pick(rng, kComments);
  int pk_shape = uniform(rng, 0, 9);
  if (pk_shape < 5) {
    Column id;
    id.name = "id";
    id.kind = Kind::uuid;
    id.nullable = false;
    if (chance(rng, 50)) id.default_yaml = "{ expr: uuid }";
    t.columns.push_back(id);
    t.primary_key = {"id"};
  } else if (pk_shape < 8) {
    Column id;
    id.name = "id";
    static const std::vector<Kind> int_keys = {Kind::int_, Kind::int_, Kind::smallint, Kind::serial};
    static const std::vector<Kind> bigint_keys = {Kind::bigint, Kind::bigint, Kind::bigserial};
    id.kind = pick(rng, pk_shape == 5 ? int_keys : bigint_keys);
    id.nullable = false;
    t.columns.push_back(id);
    t.primary_key = {"id"};
  } else if (pk_shape == 8) {
    Column code;
    code.name = "code";
    code.kind = Kind::string;
    code.length = 16;
    code.nullable = false;
    t.columns.push_back(code);
    t.primary_key = {"code"};
  } else {
    Column a, b;
    a.name = "part_a";
    a.kind = Kind::int_;
    a.nullable = false;
    b.name = "part_b";
    b.kind = Kind::string;
    b.length = 20;
    b.nullable = false;
    t.columns.push_back(a);
    t.columns.push_back(b);
    t.primary_key = {"part_a", "part_b"};
  }
  int n = uniform(rng, 2, 6);
  for (int i = 0; i < n; ++i) t.columns.push_back(random_column(rng, m, column_name(m, rng, &t), false));
  auto targets = fk_targets(m);
  int fks = uniform(rng, 0, 2);
  for (int i = 0; i < fks; ++i) {
    if (chance(rng, 15) && t.primary_key.size() == 1) {  // self reference
      add_fk_column(rng, m, t, Target{t.name, t.primary_key[0], *t.column(t.primary_key[0])});
    } else {
      add_fk_column(rng, m, t, pick(rng, targets));
    }
  }
  if (chance(rng, 25)) add_composite_fk(rng, m, t);
  int indexes = uniform(rng, 0, 2);
  for (int i = 0; i < indexes; ++i) add_random_index(rng, m, t, options);
  if (chance(rng, 30)) add_random_unique(rng, m, t, options);
  if (chance(rng, 25)) add_random_table_check(rng, m, t);
  if (chance(rng, 15)) add_random_exclusion(rng, m, t);
  if (chance(rng, 30)) add_rows(rng, m, t, uniform(rng, 1, 2));
  return t;
}

// ---------------------------------------------------------------- edits

void remove_column_uses(Model& m, Table& t, const std::string& column) {
  auto uses = [&](const std::vector<std::string>& cols) {
    return std::find(cols.begin(), cols.end(), column) != cols.end();
  };
  t.uniques.erase(std::remove_if(t.uniques.begin(), t.uniques.end(), [&](const Unique& u) { return uses(u.columns); }),
                  t.uniques.end());
  t.checks.erase(std::remove_if(t.checks.begin(), t.checks.end(), [&](const Check& k) { return k.column == column; }),
                 t.checks.end());
  t.foreign_keys.erase(
      std::remove_if(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const ForeignKey& f) { return f.uses(column); }),
      t.foreign_keys.end());
  t.indexes.erase(
      std::remove_if(t.indexes.begin(), t.indexes.end(), [&](const Index& ix) { return uses(ix.columns()); }),
      t.indexes.end());
  t.exclusions.erase(
      std::remove_if(t.exclusions.begin(), t.exclusions.end(), [&](const Exclusion& x) { return uses(x.columns); }),
      t.exclusions.end());
  for (auto& r : t.rows)
    r.values.erase(std::remove_if(r.values.begin(), r.values.end(), [&](const auto& p) { return p.first == column; }),
                   r.values.end());
  for (auto& v : m.views)
    if (v.table == t.name) {
      v.columns.erase(std::remove(v.columns.begin(), v.columns.end(), column), v.columns.end());
      if (v.index_column == column) v.index_column.clear();
    }
  m.views.erase(std::remove_if(m.views.begin(), m.views.end(), [](const View& v) { return v.columns.empty(); }),
                m.views.end());
}

// Every use of column `from` of `t` (keys, checks, indexes, rows, foreign keys pointing at it,
// views) now names `to`.
void rename_column_uses(Model& m, Table& t, const std::string& from, const std::string& to) {
  auto swap_in = [&](std::vector<std::string>& cols) {
    for (auto& x : cols)
      if (x == from) x = to;
  };
  swap_in(t.primary_key);
  for (auto& u : t.uniques) swap_in(u.columns);
  for (auto& k : t.checks)
    if (k.column == from) k.column = to;
  for (auto& f : t.foreign_keys) swap_in(f.columns);
  for (auto& ix : t.indexes) {
    if (ix.where_column == from) ix.where_column = to;
    if (ix.expression_column == from) ix.expression_column = to;
    swap_in(ix.include);
    for (auto& k : ix.keys)
      if (k.column == from) k.column = to;
  }
  for (auto& x : t.exclusions) swap_in(x.columns);
  for (auto& r : t.rows)
    for (auto& [col, v] : r.values)
      if (col == from) col = to;
  for (auto& other : m.tables)
    if (other.name != t.name || &other == &t)
      for (auto& f : other.foreign_keys)
        if (f.ref_table == t.name) swap_in(f.ref_columns);
  for (auto& v : m.views)
    if (v.table == t.name) {
      swap_in(v.columns);
      if (v.index_column == from) v.index_column = to;
    }
}

std::string edit_add_table(std::mt19937& rng, Model& m, const Options& options) {
  Table t = random_table(rng, m, options);
  std::string name = t.name;
  m.tables.push_back(std::move(t));
  return "add table " + name;
}

std::string edit_drop_table(std::mt19937& rng, Model& m, const Options&) {
  if (m.tables.size() < 2) return "";
  std::string name = pick(rng, m.tables).name;
  m.tables.erase(std::remove_if(m.tables.begin(), m.tables.end(), [&](const Table& t) { return t.name == name; }),
                 m.tables.end());
  for (auto& t : m.tables)
    t.foreign_keys.erase(std::remove_if(t.foreign_keys.begin(), t.foreign_keys.end(),
                                        [&](const ForeignKey& f) { return f.ref_table == name; }),
                         t.foreign_keys.end());
  m.views.erase(std::remove_if(m.views.begin(), m.views.end(), [&](const View& v) { return v.table == name; }),
                m.views.end());
  return "drop table " + name;
}

std::string edit_add_column(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  // Every table holds data rows in the round trip: a NOT NULL column needs a default.
  Column c = random_column(rng, m, column_name(m, rng, &t), true);
  std::string what = "add column " + t.name + "." + c.name + " " + kind_type(c) + (c.nullable ? "" : " not null") +
                     (c.default_yaml.empty() ? "" : " default " + c.default_yaml);
  t.columns.push_back(c);
  return what;
}

// Not in the primary key, and not renamed by this migration already. (Known bug, not fixed yet: a
// column renamed onto a name the old state also has, whose old holder is dropped — the second half
// of a swap dropped — is matched by name instead, as if its declaration were stale: the old
// holder's values are converted into it and the renamed column's are dropped. Re-enable edits on
// renamed columns once the differ honours such a declaration.)
std::vector<Column*> plain_columns(Table& t) {
  std::vector<Column*> out;
  for (auto& c : t.columns)
    if (!t.in_primary_key(c.name) && c.renamed_from.empty()) out.push_back(&c);
  return out;
}

std::string edit_drop_column(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  auto cols = plain_columns(t);
  if (cols.size() < 2) return "";
  // The down file adds the column back without its values: on a table with rows (every table holds
  // data rows in the round trip) that fails for a NOT NULL column without a default, and for a
  // unique one (every row gets the same default).
  cols.erase(std::remove_if(
                 cols.begin(), cols.end(),
                 [&](const Column* c) { return (!c->nullable && c->default_yaml.empty()) || in_unique(t, c->name); }),
             cols.end());
  if (cols.empty()) return "";
  std::string name = pick(rng, cols)->name;
  remove_column_uses(m, t, name);
  t.columns.erase(std::remove_if(t.columns.begin(), t.columns.end(), [&](const Column& c) { return c.name == name; }),
                  t.columns.end());
  return "drop column " + t.name + "." + name;
}

std::string edit_rename_column(std::mt19937& rng, Model& m, const Options& options) {
  Table& t = pick(rng, m.tables);
  std::vector<Column*> cols = options.pk_column_renames ? [&] {
    std::vector<Column*> all;
    for (auto& c : t.columns) all.push_back(&c);
    return all;
  }()
                                                        : plain_columns(t);
  if (cols.empty()) return "";
  Column& c = *pick(rng, cols);
  std::string from = c.name, to = column_name(m, rng, &t);
  c.renamed_from.push_back(from);
  c.name = to;
  rename_column_uses(m, t, from, to);
  return "rename column " + t.name + "." + from + " to " + to;
}

std::string edit_rename_table(std::mt19937& rng, Model& m, const Options& options) {
  if (!options.table_renames) return "";
  Table& t = pick(rng, m.tables);
  std::string from = t.name, to = table_name(m, rng);
  t.renamed_from.push_back(from);
  t.name = to;
  for (auto& other : m.tables)
    for (auto& f : other.foreign_keys)
      if (f.ref_table == from) f.ref_table = to;
  for (auto& v : m.views)
    if (v.table == from) v.table = to;
  return "rename table " + from + " to " + to;
}

std::string edit_widen(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  std::vector<Column*> cols;
  for (auto* c : plain_columns(t))
    if ((c->kind == Kind::string || c->kind == Kind::int_) && !in_foreign_key(m, t, c->name)) cols.push_back(c);
  if (cols.empty()) return "";
  Column& c = *pick(rng, cols);
  if (c.kind == Kind::string) {
    int to = c.length + pick(rng, std::vector<int>{10, 20, 40});
    std::string what = "widen " + t.name + "." + c.name + " string(" + std::to_string(c.length) + ") -> string(" +
                       std::to_string(to) + ")";
    c.length = to;
    return what;
  }
  c.kind = Kind::bigint;
  return "widen " + t.name + "." + c.name + " int -> bigint";
}

std::string edit_relax_not_null(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  std::vector<Column*> cols;
  for (auto* c : plain_columns(t))
    if (!c->nullable) cols.push_back(c);
  if (cols.empty()) return "";
  Column& c = *pick(rng, cols);
  c.nullable = true;
  return "relax NOT NULL on " + t.name + "." + c.name;
}

std::string edit_default(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  std::vector<Column*> cols;
  for (auto* c : plain_columns(t)) {
    if (in_foreign_key(m, t, c->name)) continue;
    // Rows that leave a unique column to its default would all get the same value.
    if (in_unique(t, c->name) && t.rows.size() > 1) continue;
    cols.push_back(c);
  }
  if (cols.empty()) return "";
  Column& c = *pick(rng, cols);
  std::string where = t.name + "." + c.name;
  if (c.default_yaml.empty()) {
    c.default_yaml = random_default(rng, m, c);
    if (c.default_yaml.empty()) return "";
    return "add default " + c.default_yaml + " to " + where;
  }
  // A NOT NULL column keeps a default: reference rows (now or added later) rely on it.
  if (c.nullable && chance(rng, 50)) {
    c.default_yaml.clear();
    return "drop default of " + where;
  }
  std::string before = c.default_yaml;
  c.default_yaml = random_default(rng, m, c);
  if (c.default_yaml == before) return "";
  return "change default of " + where + " from " + before + " to " + c.default_yaml;
}

std::string edit_comment(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  std::string text = chance(rng, 20) ? "" : pick(rng, kComments) + " (" + std::to_string(m.next_id++) + ")";
  if (chance(rng, 40)) {
    t.comment = text;
    return "comment on table " + t.name;
  }
  Column& c = pick(rng, t.columns);
  c.comment = text;
  return "comment on column " + t.name + "." + c.name;
}

std::string edit_add_index(std::mt19937& rng, Model& m, const Options& options) {
  Table& t = pick(rng, m.tables);
  if (!add_random_index(rng, m, t, options)) return "";
  return "add index on " + t.name;
}

std::string edit_drop_index(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  if (t.indexes.empty()) return "";
  auto it = t.indexes.begin() + uniform(rng, 0, static_cast<int>(t.indexes.size()) - 1);
  std::string what = "drop index " + (it->name.empty() ? "on " + it->keys.front().column : it->name) + " of " + t.name;
  t.indexes.erase(it);
  return what;
}

std::string edit_add_unique(std::mt19937& rng, Model& m, const Options& options) {
  Table& t = pick(rng, m.tables);
  if (!add_random_unique(rng, m, t, options)) return "";
  return "add unique (" + t.uniques.back().columns.front() + (t.uniques.back().columns.size() > 1 ? ", ..." : "") +
         ") on " + t.name;
}

std::string edit_drop_unique(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  if (t.uniques.empty()) return "";
  auto it = t.uniques.begin() + uniform(rng, 0, static_cast<int>(t.uniques.size()) - 1);
  std::string what = "drop unique (" + it->columns.front() + (it->columns.size() > 1 ? ", ..." : "") + ") of " + t.name;
  t.uniques.erase(it);
  return what;
}

std::string edit_add_check(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  if (chance(rng, 50)) {
    if (!add_random_table_check(rng, m, t)) return "";
    return "add check " + t.checks.back().name + " on " + t.name;
  }
  std::vector<Column*> cols;
  for (auto& c : t.columns)
    if (c.check == Column::CheckKind::none && !rows_set(t, c.name) && !fk_source(t, c.name) &&
        (numeric(c.kind) || (c.kind == Kind::string && c.nullable && c.default_yaml.empty())))
      cols.push_back(&c);
  if (cols.empty()) return "";
  Column& c = *pick(rng, cols);
  random_check(rng, m, c);
  return "add check on column " + t.name + "." + c.name;
}

std::string edit_drop_check(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  std::vector<Column*> cols;
  for (auto& c : t.columns)
    if (c.check != Column::CheckKind::none) cols.push_back(&c);
  if (!t.checks.empty() && (cols.empty() || chance(rng, 50))) {
    auto it = t.checks.begin() + uniform(rng, 0, static_cast<int>(t.checks.size()) - 1);
    std::string what = "drop check " + it->name + " of " + t.name;
    t.checks.erase(it);
    return what;
  }
  if (cols.empty()) return "";
  Column& c = *pick(rng, cols);
  c.check = Column::CheckKind::none;
  c.check_name.clear();
  c.in_values.clear();
  (void)m;
  return "drop check on column " + t.name + "." + c.name;
}

std::string edit_add_fk(std::mt19937& rng, Model& m, const Options& options) {
  Table& t = pick(rng, m.tables);
  auto targets = fk_targets(m);
  const Target& target = pick(rng, targets);
  // An existing nullable column of the same type that no row sets and no key uses, or a new one.
  for (auto& c : t.columns) {
    if (c.kind != target.type.kind || c.length != target.type.length || !c.pg_type.empty() || !c.tidb_type.empty() ||
        !c.nullable || rows_set(t, c.name) || in_foreign_key(m, t, c.name) || t.in_primary_key(c.name) ||
        !c.default_yaml.empty() || checked(t, c) || (!options.keys_on_fk_columns && leads_a_key(t, c.name)))
      continue;
    if (target.table == t.name && target.column == c.name) continue;
    ForeignKey fk;
    fk.name = chance(rng, 30) ? fresh(m, "fk", "_") : "";
    fk.columns = {c.name};
    fk.ref_table = target.table;
    fk.ref_columns = {target.column};
    fk.on_delete = random_action(rng);
    fk.on_update = random_action(rng);
    t.foreign_keys.push_back(fk);
    return "add foreign key " + t.name + "." + c.name + " -> " + target.table;
  }
  if (chance(rng, 30) && add_composite_fk(rng, m, t))
    return "add composite foreign key " + t.name + " -> " + t.foreign_keys.back().ref_table;
  add_fk_column(rng, m, t, target);
  return "add foreign key on a new column " + t.name + "." + t.columns.back().name + " -> " + target.table;
}

std::string edit_drop_fk(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  if (t.foreign_keys.empty()) return "";
  auto it = t.foreign_keys.begin() + uniform(rng, 0, static_cast<int>(t.foreign_keys.size()) - 1);
  std::string what = "drop foreign key " + t.name + "." + it->columns.front() + " -> " + it->ref_table;
  t.foreign_keys.erase(it);
  return what;
}

std::string edit_append_enum_values(std::mt19937& rng, Model& m, const Options&) {
  if (m.enums.empty()) return "";
  Enum& e = pick(rng, m.enums);
  int n = uniform(rng, 1, 2);
  for (int i = 0; i < n; ++i) e.values.push_back(chance(rng, 30) ? fresh(m, "it's new ") : fresh(m, "w"));
  return "append values to enum " + e.name;
}

std::string edit_add_rows(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  if (!add_rows(rng, m, t, uniform(rng, 1, 2))) return "";
  return "add reference rows to " + t.name;
}

// ---------------------------------------------------------------- wider edits

bool in_any_key(const Table& t, const std::string& column) {
  for (const auto& u : t.uniques)
    if (std::find(u.columns.begin(), u.columns.end(), column) != u.columns.end()) return true;
  for (const auto& ix : t.indexes) {
    auto cols = ix.columns();
    if (std::find(cols.begin(), cols.end(), column) != cols.end()) return true;
  }
  for (const auto& x : t.exclusions)
    if (std::find(x.columns.begin(), x.columns.end(), column) != x.columns.end()) return true;
  return false;
}

// A type change that keeps the values the round trip's data rows hold (those that fit both types):
// narrowing (string(n) to fewer characters, text to string(n), bigint to int, double to float, fewer
// decimal places), widening, and changes across families (numbers to text and back, uuid and enum to
// text and back, dates to timestamps and back, json to text and back), and per-column overrides.
std::string edit_change_type(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  std::vector<Column*> cols;
  for (auto* c : plain_columns(t))
    // (nor a column whose default the reference rows hold: the default may not convert)
    if (!in_foreign_key(m, t, c->name) && !checked(t, *c) && !in_any_key(t, c->name) && !rows_set(t, c->name) &&
        (t.rows.empty() || c->default_yaml.empty()))
      cols.push_back(c);
  if (cols.empty()) return "";
  Column& c = *pick(rng, cols);
  Column to = c;
  to.pg_type.clear();
  to.tidb_type.clear();
  auto string_of = [&](int n) {
    to.kind = Kind::string;
    to.length = n;
  };
  switch (c.kind) {
    case Kind::string:
      switch (uniform(rng, 0, 4)) {
        case 0:
          string_of(std::max(1, c.length / 2));
          break;
        case 1:
          string_of(c.length + 30);
          break;
        case 2:
          to.kind = Kind::text;
          break;
        case 3:
          to.kind = Kind::int_;
          break;
        default:
          to.kind = Kind::uuid;
          break;
      }
      break;
    case Kind::text:
      switch (uniform(rng, 0, 3)) {
        case 0:
          string_of(pick(rng, std::vector<int>{10, 64, 255}));
          break;
        case 1:
          to.kind = Kind::bigint;
          break;
        case 2:
          to.kind = Kind::json;
          break;
        default:
          to.kind = Kind::uuid;
          break;
      }
      break;
    case Kind::smallint:
    case Kind::int_:
    case Kind::bigint: {
      static const std::vector<Kind> targets = {Kind::smallint, Kind::int_, Kind::bigint, Kind::decimal,
                                                Kind::double_,  Kind::text, Kind::string};
      to.kind = pick(rng, targets);
      if (to.kind == Kind::string) to.length = 20;
      if (to.kind == Kind::decimal) {
        to.precision = 20;
        to.scale = pick(rng, std::vector<int>{0, 2});
      }
      break;
    }
    case Kind::decimal:
      if (chance(rng, 60)) {
        to.precision = std::max(1, c.precision + pick(rng, std::vector<int>{-3, 4}));
        to.scale = std::min(to.precision, std::max(0, c.scale + pick(rng, std::vector<int>{-1, 1})));
      } else {
        to.kind = chance(rng, 50) ? Kind::double_ : Kind::bigint;
      }
      break;
    case Kind::float_:
      to.kind = Kind::double_;
      break;
    case Kind::double_:
      to.kind = chance(rng, 50) ? Kind::float_ : Kind::decimal;
      to.precision = 18;
      to.scale = 4;
      break;
    case Kind::uuid:
      if (chance(rng, 50))
        to.kind = Kind::text;
      else
        string_of(pick(rng, std::vector<int>{36, 64}));
      break;
    case Kind::enum_:
      if (chance(rng, 50))
        to.kind = Kind::text;
      else
        string_of(40);
      break;
    case Kind::date:
      to.kind = chance(rng, 50) ? Kind::timestamp : Kind::timestamptz;
      break;
    case Kind::timestamp:
      to.kind = chance(rng, 50) ? Kind::timestamptz : Kind::date;
      break;
    case Kind::timestamptz:
      to.kind = chance(rng, 50) ? Kind::timestamp : Kind::date;
      break;
    case Kind::json:
      to.kind = Kind::text;
      break;
    default:
      // No conversion that keeps values (bool, time, lists, bytes): an override instead.
      break;
  }
  if (to.kind == c.kind && to.length == c.length && to.precision == c.precision && to.scale == c.scale) {
    random_override(rng, to);
    if (to.pg_type == c.pg_type && to.tidb_type == c.tidb_type) return "";
  }
  if (!c.default_yaml.empty()) {
    to.default_yaml = random_default(rng, m, to);
    if (to.default_yaml.empty() && !to.nullable) return "";
  }
  std::string what = "change type of " + t.name + "." + c.name + " from " + kind_type(c) +
                     (c.pg_type.empty() && c.tidb_type.empty() ? "" : " (overridden)") + " to " + kind_type(to) +
                     (to.pg_type.empty() && to.tidb_type.empty() ? "" : " (overridden)");
  c = to;
  return what;
}

// The primary key's type, and every foreign-key column pointing at it, widened (int to bigint,
// serial to bigserial, smallint to int, string(n) to string(2n)).
std::string edit_pk_type(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  if (t.primary_key.size() != 1) return "";
  Column& pk = *t.column(t.primary_key[0]);
  Column to = pk;
  if (pk.kind == Kind::int_)
    to.kind = Kind::bigint;
  else if (pk.kind == Kind::smallint)
    to.kind = Kind::int_;
  else if (pk.kind == Kind::serial)
    to.kind = Kind::bigserial;
  else if (pk.kind == Kind::string)
    to.length = pk.length * 2;
  else
    return "";
  std::string what =
      "change primary key type of " + t.name + "." + pk.name + " from " + kind_type(pk) + " to " + kind_type(to);
  pk.kind = to.kind;
  pk.length = to.length;
  Kind fk_kind = to.kind == Kind::bigserial ? Kind::bigint : to.kind;
  for (auto& other : m.tables)
    for (const auto& f : other.foreign_keys)
      if (f.ref_table == t.name && f.ref_columns == t.primary_key) {
        Column* c = other.column(f.columns[0]);
        c->kind = fk_kind;
        c->length = to.length;
      }
  return what;
}

// Two columns swap names (`a: { renamed_from: b }`, `b: { renamed_from: a }`).
std::string edit_swap_columns(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  auto cols = plain_columns(t);
  if (cols.size() < 2) return "";
  std::shuffle(cols.begin(), cols.end(), rng);
  Column& a = *cols[0];
  Column& b = *cols[1];
  std::string an = a.name, bn = b.name;
  const std::string temp = "\x01swap";
  rename_column_uses(m, t, an, temp);
  rename_column_uses(m, t, bn, an);
  rename_column_uses(m, t, temp, bn);
  a.renamed_from.push_back(an);
  a.name = bn;
  b.renamed_from.push_back(bn);
  b.name = an;
  return "swap columns " + t.name + "." + an + " and " + bn;
}

// A column renamed, and a new column takes its old name.
std::string edit_rename_reuse(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  auto cols = plain_columns(t);
  if (cols.empty()) return "";
  Column& c = *pick(rng, cols);
  std::string from = c.name, to = column_name(m, rng, &t);
  c.renamed_from.push_back(from);
  c.name = to;
  rename_column_uses(m, t, from, to);
  t.columns.push_back(random_column(rng, m, from, true));
  return "rename column " + t.name + "." + from + " to " + to + " and add a new " + from;
}

// A reference row's value changed, or a row removed.
std::string edit_change_rows(std::mt19937& rng, Model& m, const Options&) {
  std::vector<Table*> with_rows;
  for (auto& t : m.tables)
    if (!t.rows.empty()) with_rows.push_back(&t);
  if (with_rows.empty()) return "";
  Table& t = *pick(rng, with_rows);
  auto at = static_cast<std::size_t>(uniform(rng, 0, static_cast<int>(t.rows.size()) - 1));
  if (chance(rng, 35)) {
    t.rows.erase(t.rows.begin() + static_cast<long>(at));
    return "delete a reference row of " + t.name;
  }
  std::vector<const Column*> cols;
  for (const auto& c : t.columns)
    if (!t.in_primary_key(c.name) && !in_unique(t, c.name) && !in_foreign_key(m, t, c.name) && row_literal_ok(c.kind) &&
        !in_any_key(t, c.name))
      cols.push_back(&c);
  if (cols.empty()) return "";
  const Column& c = *pick(rng, cols);
  std::string value = row_value(m, c, m.next_id++);
  Row& r = t.rows[at];
  bool set = false;
  for (auto& [col, v] : r.values)
    if (col == c.name) {
      if (v == value) return "";
      v = value;
      set = true;
    }
  if (!set) r.values.emplace_back(c.name, value);
  return "change reference row value " + t.name + "." + c.name;
}

void add_random_view(std::mt19937& rng, Model& m) {
  if (m.tables.empty()) return;
  const Table& t = pick(rng, m.tables);
  View v;
  v.name = chance(rng, 20) ? fresh(m, "ViewOf") : fresh(m, "v", "_");
  v.table = t.name;
  for (const auto& c : t.columns)
    if (v.columns.empty() || chance(rng, 40)) v.columns.push_back(c.name);
  v.materialized = chance(rng, 30);
  v.filtered = chance(rng, 40);
  if (chance(rng, 40)) v.comment = pick(rng, kComments);
  if (v.materialized && chance(rng, 50)) v.index_column = v.columns.front();
  m.views.push_back(v);
}

std::string edit_views(std::mt19937& rng, Model& m, const Options&) {
  if (m.views.empty() || chance(rng, 40)) {
    add_random_view(rng, m);
    return m.views.empty() ? "" : "add view " + m.views.back().name;
  }
  auto it = m.views.begin() + uniform(rng, 0, static_cast<int>(m.views.size()) - 1);
  switch (uniform(rng, 0, 2)) {
    case 0: {
      std::string what = "drop view " + it->name;
      m.views.erase(it);
      return what;
    }
    case 1:
      it->filtered = !it->filtered;
      return "change the query of view " + it->name;
    default:
      it->comment = it->comment.empty() ? pick(rng, kComments) : "";
      return "comment on view " + it->name;
  }
}

void add_random_function(std::mt19937& rng, Model& m) {
  Function f;
  f.name = fresh(m, "fn", "_");
  f.language = chance(rng, 50) ? "sql" : "plpgsql";
  f.volatility = pick(rng, std::vector<std::string>{"", "stable", "immutable"});
  f.variant = uniform(rng, 0, 2);
  if (chance(rng, 40)) f.comment = pick(rng, kComments);
  m.functions.push_back(f);
}

std::string edit_functions(std::mt19937& rng, Model& m, const Options&) {
  if (m.functions.empty() || chance(rng, 30)) {
    add_random_function(rng, m);
    return "add function " + m.functions.back().name;
  }
  auto it = m.functions.begin() + uniform(rng, 0, static_cast<int>(m.functions.size()) - 1);
  switch (uniform(rng, 0, 3)) {
    case 0: {
      std::string what = "drop function " + it->name;
      m.functions.erase(it);
      return what;
    }
    case 1:
      it->variant = (it->variant + 1) % 3;
      return "change the body of function " + it->name;
    case 2:
      it->volatility = it->volatility == "immutable" ? "" : "immutable";
      return "change the volatility of function " + it->name;
    default:
      // (Never cleared: known bug, not fixed yet — a function's description set back to none
      // keeps the old COMMENT, in down files too.)
      it->comment = pick(rng, kComments) + " " + std::to_string(m.next_id++);
      return "comment on function " + it->name;
  }
}

bool extension_used(const Model& m, const std::string& name) {
  for (const auto& t : m.tables) {
    if (name == "btree_gist" && !t.exclusions.empty()) return true;
    for (const auto& ix : t.indexes)
      for (const auto& k : ix.keys)
        if (name == "pg_trgm" && k.opclass == "gin_trgm_ops") return true;
  }
  return false;
}

std::string edit_extensions(std::mt19937& rng, Model& m, const Options&) {
  const std::string name = chance(rng, 50) ? "btree_gist" : "pg_trgm";
  auto it = std::find_if(m.extensions.begin(), m.extensions.end(), [&](const auto& e) { return e.first == name; });
  if (it == m.extensions.end()) {
    ensure_extension(rng, m, name);
    return "add extension " + name;
  }
  if (!extension_used(m, name) && chance(rng, 50)) {
    m.extensions.erase(it);
    return "drop extension " + name;
  }
  it->second = it->second.empty() ? pick(rng, kComments) : "";
  return "comment on extension " + name;
}

std::string edit_exclusions(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  if (!t.exclusions.empty() && chance(rng, 50)) {
    t.exclusions.erase(t.exclusions.begin() + uniform(rng, 0, static_cast<int>(t.exclusions.size()) - 1));
    return "drop exclusion of " + t.name;
  }
  if (!add_random_exclusion(rng, m, t)) return "";
  return "add exclusion on " + t.name;
}

std::string edit_enum_comment(std::mt19937& rng, Model& m, const Options&) {
  if (m.enums.empty()) return "";
  Enum& e = pick(rng, m.enums);
  e.comment = e.comment.empty() ? pick(rng, kComments) : "";
  return "comment on enum " + e.name;
}

// Unnamed objects whose derived name would pass 63 bytes (long table or column names) get an
// explicit short one, as docs/registry.md asks.
void name_long_objects(Model& m) {
  auto too_long = [](const std::string& n) { return n.size() > 63; };
  auto joined = [](const std::vector<std::string>& cols) {
    std::string out;
    for (std::size_t i = 0; i < cols.size(); ++i) out += (i ? "_" : "") + cols[i];
    return out;
  };
  for (auto& t : m.tables) {
    for (auto& u : t.uniques)
      if (u.name.empty() && too_long(t.name + "_" + joined(u.columns) + "_key")) u.name = fresh(m, "uq", "_");
    for (auto& c : t.columns)
      if (c.check != Column::CheckKind::none && c.check_name.empty() && too_long(t.name + "_" + c.name + "_check"))
        c.check_name = fresh(m, "ck", "_");
    for (auto& f : t.foreign_keys)
      if (f.name.empty() && too_long(t.name + "_" + joined(f.columns) + "_fkey")) f.name = fresh(m, "fk", "_");
    for (auto& ix : t.indexes) {
      std::vector<std::string> cols;
      for (const auto& k : ix.keys) cols.push_back(k.column);
      if (ix.name.empty() && too_long("idx_" + t.name + "_" + (cols.empty() ? "expr" : joined(cols))))
        ix.name = fresh(m, "ix", "_");
    }
    for (auto& x : t.exclusions)
      if (x.name.empty() && too_long(t.name + "_" + joined(x.columns) + "_excl")) x.name = fresh(m, "ex", "_");
  }
}

}  // namespace

Model random_model(std::mt19937& rng, const Options& options) {
  Model m;
  // postgres.schema changes are the h/planner branch's (schema moves are not planned yet), so a
  // model keeps its schema; a non-public one, sometimes mixed case, in a fifth of the models.
  if (chance(rng, 20)) m.pg_schema = chance(rng, 50) ? "AppData" : "app_data";
  if (chance(rng, 15)) m.tidb_uuid_type = "CHAR(36)";
  if (chance(rng, 20)) ensure_extension(rng, m, chance(rng, 50) ? "btree_gist" : "pg_trgm");
  if (chance(rng, 70)) new_enum(m, rng);
  int n = uniform(rng, 2, 4);
  for (int i = 0; i < n; ++i) m.tables.push_back(random_table(rng, m, options));
  // A cycle: the first table points at a later one (which may point back at it).
  if (chance(rng, 25) && m.tables.size() > 1 && m.tables.back().primary_key.size() == 1) {
    const Table& last = m.tables.back();
    add_fk_column(rng, m, m.tables.front(), Target{last.name, last.primary_key[0], *last.column(last.primary_key[0])});
  }
  if (chance(rng, 35)) add_random_view(rng, m);
  if (chance(rng, 25)) add_random_function(rng, m);
  name_long_objects(m);
  return m;
}

Model mutate(const Model& from, std::mt19937& rng, const Options& options, std::vector<std::string>& edits) {
  using Edit = std::string (*)(std::mt19937&, Model&, const Options&);
  static const std::vector<Edit> kinds = {
      edit_add_table,          edit_drop_table,    edit_add_column,   edit_add_column,
      edit_drop_column,        edit_rename_column, edit_rename_table, edit_widen,
      edit_relax_not_null,     edit_default,       edit_default,      edit_comment,
      edit_add_index,          edit_drop_index,    edit_add_unique,   edit_drop_unique,
      edit_add_check,          edit_drop_check,    edit_add_fk,       edit_drop_fk,
      edit_append_enum_values, edit_add_rows,      edit_change_type,  edit_change_type,
      edit_change_type,        edit_pk_type,       edit_swap_columns, edit_rename_reuse,
      edit_change_rows,        edit_change_rows,   edit_views,        edit_functions,
      edit_extensions,         edit_exclusions,    edit_enum_comment};
  Model m = from;
  // The declared renames of `from` were done by its own migration: B only declares its own.
  for (auto& t : m.tables) {
    t.renamed_from.clear();
    for (auto& c : t.columns) c.renamed_from.clear();
  }
  int wanted = uniform(rng, 1, 6);
  for (int tries = 0; static_cast<int>(edits.size()) < wanted && tries < 100; ++tries) {
    std::string what = pick(rng, kinds)(rng, m, options);
    if (!what.empty()) edits.push_back(what);
  }
  // The tables of `from` hold data rows in the round trip: a unique key in B on a column B adds
  // with a constant default would see every row take the same value.
  for (auto& t : m.tables) {
    const Table* old = nullptr;
    for (const auto& o : from.tables)
      if (o.name == t.name || std::find(t.renamed_from.begin(), t.renamed_from.end(), o.name) != t.renamed_from.end())
        old = &o;
    if (!old) continue;
    auto added_constant = [&](const std::string& name) {
      const Column* c = t.column(name);
      if (!c || c->default_yaml.empty() || c->default_yaml == "{ expr: uuid }") return false;
      if (old->column(name)) return false;
      return std::none_of(c->renamed_from.begin(), c->renamed_from.end(),
                          [&](const std::string& r) { return old->column(r) != nullptr; });
    };
    t.uniques.erase(std::remove_if(t.uniques.begin(), t.uniques.end(),
                                   [&](const Unique& u) {
                                     return std::any_of(u.columns.begin(), u.columns.end(), added_constant);
                                   }),
                    t.uniques.end());
    for (auto& ix : t.indexes)
      if (ix.unique &&
          std::any_of(ix.keys.begin(), ix.keys.end(), [&](const KeyPart& k) { return added_constant(k.column); }))
        ix.unique = false;
    t.exclusions.erase(std::remove_if(t.exclusions.begin(), t.exclusions.end(),
                                      [&](const Exclusion& x) {
                                        return std::any_of(x.columns.begin(), x.columns.end(), added_constant);
                                      }),
                       t.exclusions.end());
  }
  name_long_objects(m);
  return m;
}

// ---------------------------------------------------------------- rendering

namespace {

std::string flow_list(const std::vector<std::string>& items, bool quote) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + (quote ? yq(items[i]) : items[i]);
  return out + "]";
}

std::string pg_quote(const std::string& name) {
  return "\"" + name + "\"";
}
std::string tidb_quote(const std::string& name) {
  return "`" + name + "`";
}

std::string view_sql(const Model& m, const View& v, bool pg) {
  auto q = [&](const std::string& n) { return pg ? pg_quote(n) : tidb_quote(n); };
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < v.columns.size(); ++i) sql += (i ? ", " : "") + q(v.columns[i]);
  sql += " FROM ";
  if (pg && !m.pg_schema.empty()) sql += q(m.pg_schema) + ".";
  sql += q(v.table);
  if (v.filtered) sql += " WHERE " + q(v.columns.front()) + " IS NOT NULL";
  return sql;
}

std::string function_body(const Function& f) {
  static const char* sql[] = {"SELECT p_x + 1", "SELECT p_x + 2 -- it's $$ a \"comment\" */",
                              "SELECT p_x + length('$$ it''s */ \\ $function$')"};
  static const char* plpgsql[] = {"BEGIN\n  RETURN p_x + 1;\nEND;",
                                  "BEGIN\n  -- $$ and $function$ here; it's fine\n  RETURN p_x * 2;\nEND;",
                                  "DECLARE\n  s TEXT := 'it''s $$ \\';\nBEGIN\n  RETURN p_x + length(s);\nEND;"};
  return f.language == "sql" ? sql[f.variant % 3] : plpgsql[f.variant % 3];
}

std::string render_column(const Table& t, const Column& c) {
  std::string out = "      " + c.name + ":\n        type: " + kind_type(c) + "\n";
  if (!c.nullable && !t.in_primary_key(c.name)) out += "        nullable: false\n";
  if (!c.default_yaml.empty()) out += "        default: " + c.default_yaml + "\n";
  if (!c.comment.empty()) out += "        description: " + yq(c.comment) + "\n";
  if (!c.renamed_from.empty()) out += "        renamed_from: " + flow_list(c.renamed_from, false) + "\n";
  if (!c.pg_type.empty()) out += "        postgres: { type: " + yq(c.pg_type) + " }\n";
  if (!c.tidb_type.empty()) out += "        tidb: { type: " + yq(c.tidb_type) + " }\n";
  if (c.check == Column::CheckKind::range)
    out += "        check: { range: [" + std::to_string(c.range_min) + ", " +
           (c.range_max ? std::to_string(*c.range_max) : "null") + "]" +
           (c.check_name.empty() ? "" : ", name: " + c.check_name) + " }\n";
  else if (c.check == Column::CheckKind::in_list)
    out += "        check: { in: " + flow_list(c.in_values, true) +
           (c.check_name.empty() ? "" : ", name: " + c.check_name) + " }\n";
  return out;
}

std::string render_table(const Table& t) {
  std::string out = "  " + t.name + ":\n";
  if (!t.comment.empty()) out += "    description: " + yq(t.comment) + "\n";
  if (!t.renamed_from.empty()) out += "    renamed_from: " + flow_list(t.renamed_from, false) + "\n";
  out += "    columns:\n";
  for (const auto& c : t.columns) out += render_column(t, c);
  out += "    primary_key: " + flow_list(t.primary_key, false) + "\n";
  if (!t.uniques.empty()) {
    out += "    unique:\n";
    for (const auto& u : t.uniques)
      out += "      - { columns: " + flow_list(u.columns, false) + (u.name.empty() ? "" : ", name: " + u.name) + " }\n";
  }
  if (!t.checks.empty()) {
    out += "    checks:\n";
    for (const auto& k : t.checks)
      out += "      - { name: " + k.name +
             ", expr: { postgres: " + yq(pg_quote(k.column) + " >= " + std::to_string(k.min)) +
             ", tidb: " + yq(tidb_quote(k.column) + " >= " + std::to_string(k.min)) + " } }\n";
  }
  if (!t.foreign_keys.empty()) {
    out += "    foreign_keys:\n";
    for (const auto& f : t.foreign_keys) {
      out += "      - { columns: " + flow_list(f.columns, false) + ", references: { table: " + f.ref_table +
             ", columns: " + flow_list(f.ref_columns, false) + " }";
      if (!f.on_delete.empty()) out += ", on_delete: " + f.on_delete;
      if (!f.on_update.empty()) out += ", on_update: " + f.on_update;
      if (!f.name.empty()) out += ", name: " + f.name;
      out += " }\n";
    }
  }
  if (!t.indexes.empty()) {
    out += "    indexes:\n";
    for (const auto& ix : t.indexes) {
      std::vector<std::string> keys;
      for (const auto& k : ix.keys) {
        if (!k.prefix && !k.desc && k.nulls.empty() && k.opclass.empty()) {
          keys.push_back(k.column);
          continue;
        }
        std::string key = "{ column: " + k.column;
        if (k.desc) key += ", order: desc";
        if (!k.nulls.empty()) key += ", nulls: " + k.nulls;
        if (!k.opclass.empty()) key += ", opclass: " + k.opclass;
        if (k.prefix) key += ", prefix: " + std::to_string(k.prefix);
        keys.push_back(key + " }");
      }
      if (!ix.expression_column.empty())
        out += "      - { expression: " + yq("lower(" + pg_quote(ix.expression_column) + ")");
      else
        out += "      - { columns: " + flow_list(keys, false);
      if (ix.unique) out += ", unique: true";
      if (!ix.method.empty()) out += ", method: " + ix.method;
      if (!ix.include.empty()) out += ", include: " + flow_list(ix.include, false);
      if (!ix.where_column.empty()) out += ", where: " + yq(pg_quote(ix.where_column) + " IS NOT NULL");
      if (ix.postgres_only()) out += ", dialects: [postgres]";
      if (!ix.name.empty()) out += ", name: " + ix.name;
      out += " }\n";
    }
  }
  if (!t.exclusions.empty()) {
    out += "    exclusions:\n";
    for (const auto& x : t.exclusions) {
      out += "      - { method: gist, elements: [";
      for (std::size_t i = 0; i < x.columns.size(); ++i)
        out += std::string(i ? ", " : "") + "{ column: " + x.columns[i] + ", operator: \"=\" }";
      out += "], dialects: [postgres]";
      if (!x.name.empty()) out += ", name: " + x.name;
      out += " }\n";
    }
  }
  if (!t.rows.empty()) {
    out += "    rows:\n      values:\n";
    for (const auto& r : t.rows) {
      std::vector<std::string> cells;
      for (const auto& [c, v] : r.values) cells.push_back(c + ": " + v);
      out += "        - { ";
      for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? ", " : "") + cells[i];
      out += " }\n";
    }
  }
  return out;
}

}  // namespace

std::vector<registry::SourceFile> render(const Model& m) {
  std::string reg =
      "registry: roundtrip\n"
      "description: \"A random registry of the round-trip tests (it's generated).\"\n";
  if (!m.pg_schema.empty()) reg += "postgres:\n  schema: " + m.pg_schema + "\n";
  if (!m.tidb_uuid_type.empty()) reg += "types:\n  tidb:\n    uuid: " + yq(m.tidb_uuid_type) + "\n";
  if (!m.extensions.empty()) {
    reg += "extensions:\n";
    for (const auto& [name, comment] : m.extensions)
      reg +=
          "  " + name + ": { dialects: [postgres]" + (comment.empty() ? "" : ", description: " + yq(comment)) + " }\n";
  }
  std::string entity = "entity: Model\ndescription: Randomly generated tables.\n";
  if (!m.enums.empty()) {
    entity += "enums:\n";
    for (const auto& e : m.enums) {
      entity += "  " + e.name + ":\n    values: " + flow_list(e.values, true) + "\n";
      if (!e.comment.empty()) entity += "    description: " + yq(e.comment) + "\n";
    }
  }
  entity += "tables:\n";
  entity += std::string("  ") + kExternalTable +
            ":\n    external: true\n    columns:\n      id: { type: uuid, primary_key: true }\n";
  for (const auto& t : m.tables) entity += render_table(t);
  std::string views, materialized;
  for (const auto& v : m.views) {
    std::string out = "  " + v.name + ":\n";
    if (!v.comment.empty()) out += "    description: " + yq(v.comment) + "\n";
    out += "    depends_on: [" + v.table + "]\n";
    if (v.materialized) {
      out += "    dialects: [postgres]\n    sql: { postgres: " + yq(view_sql(m, v, true)) + " }\n";
      if (!v.index_column.empty())
        out += "    indexes:\n      - { columns: [" + v.index_column + "], name: ix_" + v.name + " }\n";
      materialized += out;
    } else {
      out +=
          "    sql:\n      postgres: " + yq(view_sql(m, v, true)) + "\n      tidb: " + yq(view_sql(m, v, false)) + "\n";
      views += out;
    }
  }
  if (!views.empty()) entity += "views:\n" + views;
  if (!materialized.empty()) entity += "materialized_views:\n" + materialized;
  if (!m.functions.empty()) {
    entity += "functions:\n";
    for (const auto& f : m.functions) {
      entity += "  " + f.name + ":\n    dialects: [postgres]\n    language: " + f.language +
                "\n    arguments: \"p_x INTEGER\"\n    returns: INTEGER\n";
      if (!f.volatility.empty()) entity += "    volatility: " + f.volatility + "\n";
      if (!f.comment.empty()) entity += "    description: " + yq(f.comment) + "\n";
      entity += "    body: " + yq(function_body(f)) + "\n";
    }
  }
  return {{"registry.yaml", reg}, {"model.yaml", entity}};
}

}  // namespace schemactl::test::rr
