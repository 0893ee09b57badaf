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
    "Ünïcödé text: naïve café",
};

std::string fresh(Model& m, const std::string& base, const char* sep = "") {
  return base + sep + std::to_string(m.next_id++);
}

// ---------------------------------------------------------------- YAML

std::string yq(const std::string& s) {  // a double-quoted YAML scalar (always a string)
  std::string out = "\"";
  for (char c : s) {
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
      return yq(pick(rng, values));
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
    case Kind::decimal:
      return std::to_string(uniform(rng, 1, 99)) + (c.scale >= 2 ? ".25" : c.scale == 1 ? ".5" : "");
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
      return yq("r" + std::to_string(seq));
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
    case Kind::decimal:
      return std::to_string(seq % 997 + 1) + (c.scale >= 2 ? ".25" : c.scale == 1 ? ".5" : "");
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
// column's default counts as the same value in every row; NULL never collides.
bool rows_distinct(const Table& t, const std::vector<std::string>& columns) {
  std::set<std::vector<std::string>> seen;
  for (const auto& r : t.rows) {
    std::vector<std::string> key;
    bool has_null = false;
    for (const auto& c : columns) {
      const Column* col = t.column(c);
      if (const std::string* v = row_cell(r, c))
        key.push_back(*v);
      else if (col && col->nullable && col->default_yaml.empty())
        has_null = true;
      else
        key.push_back("?");
    }
    if (has_null) continue;
    if (!seen.insert(key).second) return false;
  }
  return true;
}

// Whether a column takes part in a foreign key (either end).
bool in_foreign_key(const Model& m, const Table& t, const std::string& column) {
  for (const auto& fk : t.foreign_keys)
    if (fk.column == column) return true;
  for (const auto& other : m.tables)
    for (const auto& fk : other.foreign_keys)
      if (fk.ref_table == t.name && fk.ref_column == column) return true;
  return false;
}

// Whether a column is the referencing side of one of its table's foreign keys.
bool fk_source(const Table& t, const std::string& column) {
  return std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(),
                     [&](const ForeignKey& f) { return f.column == column; });
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

Kind random_kind(std::mt19937& rng) {
  static const std::vector<Kind> kinds = {Kind::uuid,   Kind::string,  Kind::string,    Kind::text,  Kind::int_,
                                          Kind::bigint, Kind::double_, Kind::decimal,   Kind::bool_, Kind::timestamptz,
                                          Kind::date,   Kind::json,    Kind::list_text, Kind::enum_};
  return pick(rng, kinds);
}

std::string new_enum(Model& m, std::mt19937& rng) {
  Enum e;
  e.name = fresh(m, "mood", "_");
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
  if (c.kind == Kind::string) c.length = pick(rng, std::vector<int>{10, 20, 40, 64});
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
  return c;
}

std::string column_name(Model& m, std::mt19937& rng) {
  return fresh(m, pick(rng, kColumnWords), "_");
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

std::string random_action(std::mt19937& rng) {
  static const std::vector<std::string> actions = {"", "", "cascade", "set null", "restrict", "no action"};
  return pick(rng, actions);
}

// Adds a nullable column referencing `target` (with its foreign key) to `t`.
void add_fk_column(std::mt19937& rng, Model& m, Table& t, const Target& target) {
  Column c;
  c.name = fresh(m, "ref", "_");
  c.kind = target.type.kind;
  c.length = target.type.length;
  c.nullable = true;
  t.columns.push_back(c);
  ForeignKey fk;
  fk.name = chance(rng, 30) ? fresh(m, "fk", "_") : "";
  fk.column = c.name;
  fk.ref_table = target.table;
  fk.ref_column = target.column;
  fk.on_delete = random_action(rng);
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

bool add_random_index(std::mt19937& rng, Model& m, Table& t, const Options& options) {
  std::vector<const Column*> candidates;
  for (const auto& c : t.columns)
    if (indexable(c.kind)) candidates.push_back(&c);
  Index ix;
  if (chance(rng, 15)) {  // postgres only: GIN on a JSON or list column, or a partial index
    std::vector<const Column*> docs;
    for (const auto& c : t.columns)
      if (document(c.kind)) docs.push_back(&c);
    if (!docs.empty() && chance(rng, 60)) {
      ix.method = "gin";
      ix.keys.push_back({pick(rng, docs)->name, 0, false});
    } else if (!candidates.empty()) {
      const Column* c = pick(rng, candidates);
      ix.keys.push_back({c->name, 0, false});
      ix.where_column = c->name;
      ix.name = fresh(m, "ix", "_");  // the derived name could match a plain index on the column
    }
  } else if (!candidates.empty()) {
    int n = std::min<int>(uniform(rng, 1, 2), static_cast<int>(candidates.size()));
    std::vector<const Column*> cols = candidates;
    std::shuffle(cols.begin(), cols.end(), rng);
    for (int i = 0; i < n; ++i) {
      KeyPart k{cols[static_cast<std::size_t>(i)]->name, 0, chance(rng, 20)};
      if (cols[static_cast<std::size_t>(i)]->kind == Kind::text) k.prefix = 20;
      ix.keys.push_back(k);
    }
    bool all_keyable = std::all_of(ix.keys.begin(), ix.keys.end(),
                                   [&](const KeyPart& k) { return keyable(t.column(k.column)->kind); });
    std::vector<std::string> names;
    for (const auto& k : ix.keys) names.push_back(k.column);
    ix.unique = all_keyable && chance(rng, 30) && rows_distinct(t, names);
  }
  if (ix.keys.empty()) return false;
  if (!options.keys_on_fk_columns && !ix.postgres_only() && fk_source(t, ix.keys.front().column)) return false;
  std::vector<std::string> cols;
  for (const auto& k : ix.keys) cols.push_back(k.column);
  auto sets = key_sets(t);
  bool taken = std::find(sets.begin(), sets.end(), cols) != sets.end();
  if (ix.name.empty() && (taken || chance(rng, 30))) ix.name = fresh(m, "ix", "_");
  t.indexes.push_back(ix);
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
  for (const auto& other : t.uniques)
    if (other.columns == u.columns) return false;
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
  t.name = fresh(m, pick(rng, kTableWords));
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
    id.kind = pk_shape == 5 ? Kind::int_ : Kind::bigint;
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
  for (int i = 0; i < n; ++i) t.columns.push_back(random_column(rng, m, column_name(m, rng), false));
  auto targets = fk_targets(m);
  int fks = uniform(rng, 0, 2);
  for (int i = 0; i < fks; ++i) {
    if (chance(rng, 15) && t.primary_key.size() == 1) {  // self reference
      add_fk_column(rng, m, t, Target{t.name, t.primary_key[0], *t.column(t.primary_key[0])});
    } else {
      add_fk_column(rng, m, t, pick(rng, targets));
    }
  }
  int indexes = uniform(rng, 0, 2);
  for (int i = 0; i < indexes; ++i) add_random_index(rng, m, t, options);
  if (chance(rng, 30)) add_random_unique(rng, m, t, options);
  if (chance(rng, 25)) add_random_table_check(rng, m, t);
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
  t.foreign_keys.erase(std::remove_if(t.foreign_keys.begin(), t.foreign_keys.end(),
                                      [&](const ForeignKey& f) { return f.column == column; }),
                       t.foreign_keys.end());
  t.indexes.erase(std::remove_if(t.indexes.begin(), t.indexes.end(),
                                 [&](const Index& ix) {
                                   if (ix.where_column == column) return true;
                                   return std::any_of(ix.keys.begin(), ix.keys.end(),
                                                      [&](const KeyPart& k) { return k.column == column; });
                                 }),
                  t.indexes.end());
  for (auto& r : t.rows)
    r.values.erase(std::remove_if(r.values.begin(), r.values.end(), [&](const auto& p) { return p.first == column; }),
                   r.values.end());
  (void)m;
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
  return "drop table " + name;
}

std::string edit_add_column(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  // Every table holds data rows in the round trip: a NOT NULL column needs a default.
  Column c = random_column(rng, m, column_name(m, rng), true);
  std::string what = "add column " + t.name + "." + c.name + " " + kind_type(c) + (c.nullable ? "" : " not null") +
                     (c.default_yaml.empty() ? "" : " default " + c.default_yaml);
  t.columns.push_back(c);
  return what;
}

std::vector<Column*> plain_columns(Table& t) {  // not in the primary key
  std::vector<Column*> out;
  for (auto& c : t.columns)
    if (!t.in_primary_key(c.name)) out.push_back(&c);
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
  std::string from = c.name, to = column_name(m, rng);
  c.renamed_from.push_back(from);
  c.name = to;
  for (auto& k : t.primary_key)
    if (k == from) k = to;
  for (auto& u : t.uniques)
    for (auto& x : u.columns)
      if (x == from) x = to;
  for (auto& k : t.checks)
    if (k.column == from) k.column = to;
  for (auto& f : t.foreign_keys)
    if (f.column == from) f.column = to;
  for (auto& ix : t.indexes) {
    if (ix.where_column == from) ix.where_column = to;
    for (auto& k : ix.keys)
      if (k.column == from) k.column = to;
  }
  for (auto& r : t.rows)
    for (auto& [col, v] : r.values)
      if (col == from) col = to;
  for (auto& other : m.tables)
    for (auto& f : other.foreign_keys)
      if (f.ref_table == t.name && f.ref_column == from) f.ref_column = to;
  return "rename column " + t.name + "." + from + " to " + to;
}

std::string edit_rename_table(std::mt19937& rng, Model& m, const Options& options) {
  if (!options.table_renames) return "";
  Table& t = pick(rng, m.tables);
  std::string from = t.name, to = fresh(m, pick(rng, kTableWords));
  t.renamed_from.push_back(from);
  t.name = to;
  for (auto& other : m.tables)
    for (auto& f : other.foreign_keys)
      if (f.ref_table == from) f.ref_table = to;
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
    if (c.kind != target.type.kind || c.length != target.type.length || !c.nullable || rows_set(t, c.name) ||
        in_foreign_key(m, t, c.name) || t.in_primary_key(c.name) || !c.default_yaml.empty() || checked(t, c) ||
        (!options.keys_on_fk_columns && leads_a_key(t, c.name)))
      continue;
    if (target.table == t.name && target.column == c.name) continue;
    ForeignKey fk;
    fk.name = chance(rng, 30) ? fresh(m, "fk", "_") : "";
    fk.column = c.name;
    fk.ref_table = target.table;
    fk.ref_column = target.column;
    fk.on_delete = random_action(rng);
    t.foreign_keys.push_back(fk);
    return "add foreign key " + t.name + "." + c.name + " -> " + target.table;
  }
  add_fk_column(rng, m, t, target);
  return "add foreign key on a new column " + t.name + "." + t.columns.back().name + " -> " + target.table;
}

std::string edit_drop_fk(std::mt19937& rng, Model& m, const Options&) {
  Table& t = pick(rng, m.tables);
  if (t.foreign_keys.empty()) return "";
  auto it = t.foreign_keys.begin() + uniform(rng, 0, static_cast<int>(t.foreign_keys.size()) - 1);
  std::string what = "drop foreign key " + t.name + "." + it->column + " -> " + it->ref_table;
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

}  // namespace

Model random_model(std::mt19937& rng, const Options& options) {
  Model m;
  if (chance(rng, 70)) new_enum(m, rng);
  int n = uniform(rng, 2, 4);
  for (int i = 0; i < n; ++i) m.tables.push_back(random_table(rng, m, options));
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
      edit_append_enum_values, edit_add_rows};
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
  }
  return m;
}

// ---------------------------------------------------------------- rendering

namespace {

std::string flow_list(const std::vector<std::string>& items, bool quote) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + (quote ? yq(items[i]) : items[i]);
  return out + "]";
}

std::string render_column(const Table& t, const Column& c) {
  std::string out = "      " + c.name + ":\n        type: " + kind_type(c) + "\n";
  if (!c.nullable && !t.in_primary_key(c.name)) out += "        nullable: false\n";
  if (!c.default_yaml.empty()) out += "        default: " + c.default_yaml + "\n";
  if (!c.comment.empty()) out += "        description: " + yq(c.comment) + "\n";
  if (!c.renamed_from.empty()) out += "        renamed_from: " + flow_list(c.renamed_from, false) + "\n";
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
      out += "      - { name: " + k.name + ", expr: " + yq(k.column + " >= " + std::to_string(k.min)) + " }\n";
  }
  if (!t.foreign_keys.empty()) {
    out += "    foreign_keys:\n";
    for (const auto& f : t.foreign_keys) {
      out += "      - { columns: [" + f.column + "], references: { table: " + f.ref_table + ", columns: [" +
             f.ref_column + "] }";
      if (!f.on_delete.empty()) out += ", on_delete: " + f.on_delete;
      if (!f.name.empty()) out += ", name: " + f.name;
      out += " }\n";
    }
  }
  if (!t.indexes.empty()) {
    out += "    indexes:\n";
    for (const auto& ix : t.indexes) {
      std::vector<std::string> keys;
      for (const auto& k : ix.keys) {
        if (!k.prefix && !k.desc) {
          keys.push_back(k.column);
          continue;
        }
        std::string key = "{ column: " + k.column;
        if (k.desc) key += ", order: desc";
        if (k.prefix) key += ", prefix: " + std::to_string(k.prefix);
        keys.push_back(key + " }");
      }
      out += "      - { columns: " + flow_list(keys, false);
      if (ix.unique) out += ", unique: true";
      if (!ix.method.empty()) out += ", method: " + ix.method;
      if (!ix.where_column.empty()) out += ", where: " + yq(ix.where_column + " IS NOT NULL");
      if (ix.postgres_only()) out += ", dialects: [postgres]";
      if (!ix.name.empty()) out += ", name: " + ix.name;
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
  std::string entity = "entity: Model\ndescription: Randomly generated tables.\n";
  if (!m.enums.empty()) {
    entity += "enums:\n";
    for (const auto& e : m.enums) entity += "  " + e.name + ":\n    values: " + flow_list(e.values, true) + "\n";
  }
  entity += "tables:\n";
  entity += std::string("  ") + kExternalTable +
            ":\n    external: true\n    columns:\n      id: { type: uuid, primary_key: true }\n";
  for (const auto& t : m.tables) entity += render_table(t);
  return {{"registry.yaml", reg}, {"model.yaml", entity}};
}

}  // namespace schemactl::test::rr
