// Bad registries: every problem is reported, at the right file:line:column, with a useful message,
// and nothing else is reported. One table row per kind of mistake.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace schemactl {
namespace {

using registry::SourceFile;

constexpr const char* kRegistry = "schema/registry.yaml";
constexpr const char* kX = "schema/x.yaml";
constexpr const char* kA = "schema/a.yaml";
constexpr const char* kB = "schema/b.yaml";

// One expected diagnostic. `message` is a substring of the message; `path`, when given, must match exactly.
struct Expected {
  std::string file;
  int line;
  int column;
  std::string message;
  const char* path = nullptr;
};

struct Case {
  std::string name;
  std::vector<SourceFile> files;
  std::vector<Expected> expected;  // in the order of Diagnostics::sorted(): file, line, column
};

// The default registry file plus one entity file, schema/x.yaml.
std::vector<SourceFile> entity(const std::string& yaml) {
  return test::registry_files({{kX, yaml}});
}

// The default registry file plus two entity files, schema/a.yaml and schema/b.yaml.
std::vector<SourceFile> entities(const std::string& a, const std::string& b) {
  return test::registry_files({{kA, a}, {kB, b}});
}

std::string dump(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += "  " + d.str() + "   [path: '" + d.path + "']\n";
  return out.empty() ? "  (none)\n" : out;
}

void check_case(const Case& c) {
  const auto actual = test::compile_errors(c.files);
  INFO("diagnostics of row '" << c.name << "':\n" << dump(actual));
  CHECK(actual.size() == c.expected.size());
  for (std::size_t i = 0; i < actual.size() && i < c.expected.size(); ++i) {
    const Diagnostic& a = actual[i];
    const Expected& e = c.expected[i];
    CAPTURE(i);
    CHECK(a.pos.file == e.file);
    CHECK(a.pos.line == e.line);
    CHECK(a.pos.column == e.column);
    CHECK_MESSAGE(a.message.find(e.message) != std::string::npos, "expected the message to contain: " << e.message);
    if (e.path != nullptr) CHECK(a.path == e.path);
  }
}

// A 64-byte table name: one byte over Postgres' limit (TiDB allows it).
const std::string kLongTable = "a_table_whose_name_is_exactly_sixty_four_bytes_long_abcdefghijkl";

// Rows below share this prefix where they need a table `t` with a uuid primary key (lines 1-5).
const std::string kT = R"(entity: X
tables:
  t:
    columns:
      id: { type: uuid, primary_key: true }
)";

// A referenced table `users` (lines 3-6) before `t` (line 7, its first column on line 9).
const std::string kUsersT = R"(entity: X
tables:
  users:
    columns:
      id: { type: uuid, primary_key: true }
      email: string(100)
  t:
    columns:
      id: { type: uuid, primary_key: true }
)";

// An enum `color` (lines 2-4) and a table `t` (line 6, its first column on line 8).
const std::string kEnumT = R"(entity: X
enums:
  color:
    values: [red, green]
tables:
  t:
    columns:
      id: { type: uuid, primary_key: true }
)";

const std::vector<Case>& bad_inputs() {
  static const std::vector<Case> cases = {
      // ---- files and YAML
      {"yaml syntax error",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: uuid, primary_key: true
      name: text
)"),
       {{kX, 6, 11, "YAML syntax error"}}},
      {"empty file", entity(""), {{kX, 0, 0, "file is empty"}}},
      {"file with only a comment", entity("# nothing here yet\n"), {{kX, 0, 0, "file is empty"}}},
      {"neither registry nor entity",
       entity(R"(tables:
  t:
    columns:
      id: uuid
)"),
       {{kX, 1, 1, "expected 'registry:' (the registry file) or 'entity:' (an entity file) at the top", ""}}},
      {"top level is a list",
       entity("- entity: X\n"),
       {{kX, 1, 1, "expected a mapping with 'registry:' or 'entity:' at the top"}}},
      {"two registry files",
       entity("registry: other\n"),
       {{kX, 1, 11, "a second registry file (the first is schema/registry.yaml)", "registry"}}},
      {"no registry file",
       {{kA, kT}},
       {{kA, 0, 0, "no registry file: one file must have a top-level 'registry:' key"}}},

      // ---- unknown keys, shapes and scalars
      {"unknown top-level key",
       entity(R"(entity: X
tabels:
  t:
    columns:
      id: uuid
)"),
       {{kX, 2, 1, "unknown key 'tabels' (did you mean 'tables'?)", ""}}},
      {"unknown registry key",
       test::registry_files({}, "registry: test\ncodegn:\n  namespace: test::models\n"),
       {{kRegistry, 2, 1, "unknown key 'codegn' (did you mean 'codegen'?)", ""}}},
      {"unknown column key",
       entity(kT + "      name: { type: text, nulable: false }\n"),
       {{kX, 6, 27, "unknown key 'nulable' (did you mean 'nullable'?)", "t.name"}}},
      {"nullable: maybe",
       entity(kT + "      name: { type: text, nullable: maybe }\n"),
       {{kX, 6, 37, "expected true or false, not 'maybe'", "t.name.nullable"}}},
      {"columns as a list",
       entity(R"(entity: X
tables:
  t:
    columns: [id, name]
)"),
       {{kX, 4, 14, "expected a mapping of column, found a list", "t.columns"}}},
      {"indexes as a map",
       entity(kT + R"(      name: string(50)
    indexes:
      by_name: { columns: [name] }
)"),
       {{kX, 8, 7, "expected a list", "t.indexes"}}},
      {"unknown dialect",
       entity(kT + R"(      name: string(50)
    indexes:
      - { columns: [name], dialects: [postgress] }
)"),
       {{kX, 8, 39, "unknown dialect 'postgress' (did you mean 'postgres'?)", "t.indexes[0].dialects"}}},

      // ---- types
      {"unknown type",
       entity(kT + "      data: jsonn\n"),
       {{kX, 6, 13, "unknown type 'jsonn' (did you mean 'json'?)", "t.data"}}},
      {"string without a length",
       entity(kT + "      v: string\n"),
       {{kX, 6, 10, "type 'string' must be written string(N) with a positive N", "t.v"}}},
      {"string(0)",
       entity(kT + "      v: string(0)\n"),
       {{kX, 6, 10, "type 'string(0)' must be written string(N) with a positive N", "t.v"}}},
      {"flow mapping: an unquoted comma cuts the type",
       entity(kT + "      price: { type: decimal(12,2), nullable: false }\n"),
       {{kX, 6, 22,
         "'decimal(12' was cut at a comma: in a flow mapping `{ ... }` a plain value ends at ','; "
         "quote the value: type: \"decimal(12,2)\"",
         "t.price"}}},
      {"flow mapping: a comma and a blank cut the type too, and other errors still count",
       entity(kT + "      price: { type: decimal(12, 2), nulable: false }\n"),
       {{kX, 6, 22, "quote the value: type: \"decimal(12,2)\"", "t.price"},
        {kX, 6, 38, "unknown key 'nulable' (did you mean 'nullable'?)", "t.price"}}},
      {"flow mapping: a cut per-dialect override type",
       entity(kT + "      v: { type: text, tidb: { type: varchar(10,x) } }\n"),
       {{kX, 6, 38, "'varchar(10' was cut at a comma", "t.v.tidb"}}},
      {"a quoted type with a comma is not mistaken for a cut one",
       entity(kT + "      price: { type: \"decimal(12\", 2): x }\n"),
       {{kX, 6, 22, "malformed type 'decimal(12'", "t.price"}, {kX, 6, 36, "unknown key '2)'", "t.price"}}},
      {"decimal without a scale",
       entity(kT + "      v: decimal(5)\n"),
       {{kX, 6, 10, "type 'decimal(5)' must be written decimal(P,S)", "t.v"}}},
      {"list of json",
       entity(kT + "      v: list<json>\n"),
       {{kX, 6, 10, "type 'list<json>' must be written list<T> with T a plain scalar", "t.v"}}},
      {"enum without a name",
       entity(kT + "      v: enum()\n"),
       {{kX, 6, 10, "type 'enum()' must be written enum(NAME)", "t.v"}}},
      {"vector without the vector extension",
       entity(kT + "      embedding: vector(3)\n"),
       {{kX, 6, 18, "vector(3) needs the pgvector extension on postgres", "t.embedding"}}},

      // ---- duplicates and names
      {"duplicate entity",
       entities("entity: X\ntables:\n  a:\n    columns:\n      id: { type: uuid, primary_key: true }\n",
                "entity: X\ntables:\n  b:\n    columns:\n      id: { type: uuid, primary_key: true }\n"),
       {{kB, 1, 9, "duplicate entity 'X' (also in schema/a.yaml)", "entity"}}},
      {"duplicate table across files",
       entities("entity: A\ntables:\n  t:\n    columns:\n      id: { type: uuid, primary_key: true }\n",
                "entity: B\ntables:\n  t:\n    columns:\n      id: { type: uuid, primary_key: true }\n"),
       {{kB, 3, 3, "duplicate table 't' (first defined at schema/a.yaml:3:3)", "t"}}},
      {"duplicate column key",
       entity(kT + "      name: text\n      name: text\n"),
       {{kX, 7, 7, "duplicate column 'name'", "t.columns"}}},
      {"check in-list value of the wrong type",
       entity(kT + "      n: { type: int, check: { in: [1, two] } }\n"),
       {{kX, 6, 40, "'two' is not a number, but the column is int", "t.n.check"}}},
      {"codegen namespace that is not a C++ namespace",
       {{kRegistry, "registry: test\ncodegen:\n  namespace: test::1models\n"}, {kX, kT}},
       {{kRegistry, 3, 14, "'test::1models' is not a C++ namespace", "codegen.namespace"}}},
      {"two unique constraints on the same columns",
       entity(kT +
              "      a: int\n      b: int\n    unique:\n      - [a, b]\n      - { columns: [b, a], name: other }\n"),
       {{kX, 10, 9, "a unique constraint on (b, a) is already declared at schema/x.yaml:9:9", "t"}}},
      {"duplicate index name",
       entity(kT + R"(      a: int
      b: int
    indexes:
      - { columns: [a], name: idx_t }
      - { columns: [b], name: idx_t }
)"),
       {{kX, 10, 9, "index idx_t on t: the name 'idx_t' is already used by index idx_t on t (schema/x.yaml:9:9)",
         "t"}}},
      {"index name taken by a constraint",
       entity(kT + R"(      a: int
      b: int
    unique:
      - { columns: [a], name: t_a_uniq }
    indexes:
      - { columns: [b], name: t_a_uniq }
)"),
       {{kX, 11, 9, "the name 't_a_uniq' is already used by unique constraint t_a_uniq on t (schema/x.yaml:9:9)",
         "t"}}},
      {"identifier over 63 bytes",
       entity("entity: X\ntables:\n  " + kLongTable + ":\n    columns:\n      note: text\n"),
       {{kX, 3, 3, "is 64 bytes; postgres allows at most 63", kLongTable.c_str()}}},
      {"invalid identifier",
       entity(kT + "      bad-name: text\n"),
       {{kX, 6, 7, "'bad-name' is not a valid identifier", "t.bad-name"}}},

      // ---- keys
      {"primary key declared twice",
       entity(kT + "      name: text\n    primary_key: [id]\n"),
       {{kX, 7, 18, "primary key declared twice", "t"}}},
      {"nullable primary-key column",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: uuid, primary_key: true, nullable: true }
)"),
       {{kX, 5, 7, "a primary-key column cannot be nullable", "t.id"}}},
      {"unknown column in primary_key",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: uuid
      name: text
    primary_key: [idd]
)"),
       {{kX, 7, 18, "primary key: unknown column 'idd' in table t (did you mean 'id'?)", "t"}}},

      // ---- column references in constraints, indexes and rows
      {"unknown column in index",
       entity(kT + "      name: string(50)\n    indexes:\n      - { columns: [nme] }\n"),
       {{kX, 8, 9, "index: unknown column 'nme' in table t (did you mean 'name'?)", "t"}}},
      {"unknown column in unique",
       entity(kT + "      name: string(50)\n    unique:\n      - { columns: [nme] }\n"),
       {{kX, 8, 9, "unique constraint: unknown column 'nme' in table t (did you mean 'name'?)", "t"}}},
      {"unknown column in include",
       entity(kT + R"(      name: string(50)
      score: int
    indexes:
      - { columns: [name], include: [scores], dialects: [postgres] }
)"),
       {{kX, 9, 9, "index include: unknown column 'scores' in table t (did you mean 'score'?)", "t"}}},
      {"unknown column in foreign key",
       entity(kUsersT + R"(      owner_id: uuid
    foreign_keys:
      - { columns: [ownr_id], references: { table: users } }
)"),
       {{kX, 12, 9, "foreign key: unknown column 'ownr_id' in table t (did you mean 'owner_id'?)", "t"}}},
      {"unknown column in rows",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      name: text
    rows:
      values:
        - { id: 1, nme: a }
)"),
       {{kX, 9, 25, "unknown column 'nme' in table t (did you mean 'name'?)", "t.rows"}}},

      // ---- foreign keys
      {"unknown referenced table",
       entity(kUsersT + "      owner_id: { type: uuid, references: { table: user } }\n"),
       {{kX, 10, 43, "references unknown table 'user' (did you mean 'users'?)", "t.owner_id.references"}}},
      {"referenced columns not a key",
       entity(kUsersT + "      owner_email: { type: string(100), references: { table: users, column: email } }\n"),
       {{kX, 10, 53, "referenced columns users(email) are not a primary key or unique", "t.owner_email.references"}}},
      {"foreign key type mismatch",
       entity(kUsersT + "      owner_id: { type: int, references: { table: users } }\n"),
       {{kX, 10, 42, "foreign key type mismatch: t.owner_id is int but users.id is uuid", "t.owner_id.references"}}},
      {"foreign key arity mismatch",
       entity(kUsersT + R"(      a: uuid
      b: uuid
    foreign_keys:
      - { columns: [a, b], references: { table: users, columns: [id] } }
)"),
       {{kX, 13, 9, "foreign key has 2 column(s) but references 1", "t"}}},
      {"on delete set null on a not null column",
       entity(kUsersT +
              "      owner_id: { type: uuid, nullable: false, references: { table: users, on_delete: set null } }\n"),
       {{kX, 10, 60, "ON DELETE SET NULL on t.owner_id, which is NOT NULL", "t.owner_id.references"}}},
      {"unknown foreign key action",
       entity(kUsersT + "      owner_id: { type: uuid, references: { table: users, on_delete: cascde } }\n"),
       {{kX, 10, 70, "unknown on_delete action 'cascde' (did you mean 'cascade'?)", "t.owner_id.references"}}},

      // ---- enums
      {"unknown enum",
       entity(kEnumT + "      c: enum(colour)\n"),
       {{kX, 9, 10, "unknown enum 'colour' (did you mean 'color'?)", "t.c"}}},
      {"enum default outside the values",
       entity(kEnumT + "      c: { type: enum(color), default: purple }\n"),
       {{kX, 9, 40, "'purple' is not a value of enum color (red, green)", "t.c.default"}}},
      {"check in value outside the enum",
       entity(kEnumT + "      c: { type: enum(color), check: { in: [red, blue] } }\n"),
       {{kX, 9, 50, "'blue' is not a value of enum color (red, green)", "t.c.check"}}},

      // ---- defaults
      {"text default on an int column",
       entity(kT + "      n: { type: int, default: abc }\n"),
       {{kX, 6, 32, "'abc' is not a number, but the column is int", "t.n.default"}}},
      {"number default on a bool column",
       entity(kT + "      b: { type: bool, default: 5 }\n"),
       {{kX, 6, 33, "'5' is not true or false, but the column is bool", "t.b.default"}}},
      {"named default that does not fit",
       entity(kT + "      n: { type: int, default: { expr: now } }\n"),
       {{kX, 6, 32, "default 'now' does not fit a int column", "t.n.default"}}},
      {"unknown named default",
       entity(kT + "      day: { type: date, default: { expr: current_data } }\n"),
       {{kX, 6, 43, "unknown default expression 'current_data' (did you mean 'current_date'?)", "t.day.default"}}},

      // ---- external tables
      {"external table with an index",
       entity(R"(entity: X
tables:
  t:
    external: true
    columns:
      id: { type: uuid, primary_key: true }
      name: string(50)
    indexes:
      - { columns: [name] }
)"),
       {{kX, 3, 3, "an external table is only referenced: it cannot declare indexes", "t"}}},

      // ---- dialect decisions
      {"gin index without dialects",
       entity(kT + "      tags: \"list<text>\"\n    indexes:\n      - { columns: [tags], method: gin }\n"),
       {{kX, 8, 9, "index idx_t_tags on t has no tidb decision: TiDB has no gin indexes", "t"}}},
      {"exclusion constraint without dialects",
       entity(kT + R"(      during: text
    exclusions:
      - { elements: [{ column: during, operator: "=" }] }
)"),
       {{kX, 8, 9, "exclusion constraint t_during_excl on t has no tidb decision: TiDB has no exclusion constraints",
         "t"}}},
      {"function without dialects",
       entity(R"(entity: X
functions:
  answer:
    returns: integer
    body: "BEGIN RETURN 42; END;"
)"),
       {{kX, 3, 3, "function answer has no tidb decision: TiDB has no stored functions", "answer"}}},
      {"materialized view without dialects",
       entity(R"(entity: X
materialized_views:
  mv_one:
    sql: SELECT 1 AS one
)"),
       {{kX, 3, 3, "materialized view mv_one has no tidb decision: TiDB has no materialized views", "mv_one"}}},
      {"view with only a postgres body",
       entity(R"(entity: X
views:
  v_one:
    sql: { postgres: "SELECT 1 AS one" }
)"),
       {{kX, 3, 3, "view v_one has no tidb decision: it has no tidb SQL body", "v_one"}}},

      // ---- TiDB limits
      {"text column in a tidb index without prefix",
       entity(kT + "      body: text\n    indexes:\n      - { columns: [body] }\n"),
       {{kX, 8, 9, "column body is TEXT: a TiDB key on it needs a `prefix:` length", "t"}}},
      {"json column in a tidb index",
       entity(kT + "      data: json\n    indexes:\n      - { columns: [data] }\n"),
       {{kX, 8, 9, "TiDB cannot index the JSON column data", "t"}}},
      {"literal default on a text column in tidb",
       entity(kT + "      note: { type: text, default: hello }\n"),
       {{kX, 6, 36, "TiDB accepts only expression defaults on TEXT, BLOB and JSON columns (TEXT)", "t.note.default"}}},

      // ---- on_update (MySQL family only)
      {"unknown on_update expression",
       entity(kT + "      u: { type: timestamptz, tidb: { on_update: today } }\n"),
       {{kX, 6, 50, "unknown on_update expression 'today'; known: now", "t.u.tidb.on_update"}}},
      {"on_update on a date column",
       entity(kT + "      u: { type: date, tidb: { on_update: now } }\n"),
       {{kX, 6, 43, "ON UPDATE CURRENT_TIMESTAMP needs a TIMESTAMP or DATETIME column; u is DATE",
         "t.u.tidb.on_update"}}},
      {"on_update on a column whose tidb type is no timestamp",
       entity(kT + "      u: { type: timestamptz, tidb: { type: TEXT, on_update: now } }\n"),
       {{kX, 6, 62, "ON UPDATE CURRENT_TIMESTAMP needs a TIMESTAMP or DATETIME column; u is TEXT",
         "t.u.tidb.on_update"}}},
      {"on_update in the postgres override",
       entity(kT + "      u: { type: timestamptz, postgres: { on_update: now } }\n"),
       {{kX, 6, 54, "PostgreSQL has no ON UPDATE for a column", "t.u.postgres.on_update"}}},

      // ---- reference rows
      {"rows key not unique",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      name: text
    rows:
      key: [name]
      values:
        - { id: 1, name: a }
)"),
       {{kX, 8, 7, "rows key (name) must be the primary key or a unique constraint", "t.rows"}}},
      {"row missing a not null column",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      name: { type: text, nullable: false }
    rows:
      values:
        - { id: 1 }
)"),
       {{kX, 9, 11, "row leaves out name, which is NOT NULL and has no default", "t.rows"}}},
      {"duplicate row key",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      name: text
    rows:
      values:
        - { id: 1, name: a }
        - { id: 1, name: b }
)"),
       {{kX, 10, 11, "duplicate row key (1)", "t.rows"}}},
      {"reference rows the same in a unique column",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      code: { type: string(10), unique: true }
    rows:
      values:
        - { id: 1, code: a }
        - { id: 2, code: b }
        - { id: 3, code: a }
        - { id: 4 }
        - { id: 5, code: null }
)"),
       {{kX, 11, 11,
         "this row and the row at line 9 have the same (code) = (a), which unique column code requires to be distinct",
         "t.rows"}}},
      // Found by the adversary: values were compared as written, so 1 and 1.0 in an int passed
      // validation and failed the install.
      {"reference rows with one number spelled two ways in a unique",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      n: { type: int, unique: true }
      price: { type: 'decimal(6,2)', unique: true }
      ratio: { type: double, unique: true }
    rows:
      values:
        - { id: 1, n: 1, price: 1.00, ratio: 0.5 }
        - { id: 2, n: 1.0, price: 2, ratio: 0.25 }
        - { id: 3, n: 3, price: 1.0, ratio: 0.50 }
        - { id: 4, n: -0, price: -0.00, ratio: 1 }
        - { id: 5, n: 0, price: 5, ratio: 2 }
        - { id: 06, n: 6, price: 6, ratio: 3 }
)"),
       {{kX, 12, 11,
         "this row and the row at line 11 have the same (n) = (1.0) and (1), which unique column n requires to be "
         "distinct",
         "t.rows"},
        {kX, 13, 11,
         "this row and the row at line 11 have the same (price) = (1.0) and (1.00), which unique column price",
         "t.rows"},
        {kX, 13, 11,
         "this row and the row at line 11 have the same (ratio) = (0.50) and (0.5), which unique column ratio",
         "t.rows"},
        {kX, 15, 11, "the same (n) = (0) and (-0), which unique column n", "t.rows"}}},
      {"a number with more digits after the point than its column keeps",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      n: { type: int, default: 2.50 }
      price: { type: 'decimal(6,2)', default: 1.230 }
    rows:
      values:
        - { id: 1, n: 3.5, price: 1.001 }
        - { id: 2.0, n: 4, price: 0.10 }
)"),
       {{kX, 6, 32,
         "'2.50' has 1 digit after the point, but the column is int, which keeps whole numbers: the servers would "
         "round it",
         "t.n.default"},
        {kX, 10, 23, "'3.5' has 1 digit after the point", "t.rows.n"},
        {kX, 10, 35, "'1.001' has 3 digits after the point, but the column is decimal(6,2), which keeps 2",
         "t.rows.price"}}},
      {"a reference row key spelled two ways",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      name: text
    rows:
      values:
        - { id: 7, name: a }
        - { id: 007, name: b }
)"),
       {{kX, 10, 11, "duplicate row key (007): the row at line 9 has (7), the same value", "t.rows"}}},
      // Equal only to one dialect's unique index: TiDB's collation (PAD SPACE, and _ci ignoring
      // case), Postgres's uuid. MariaDB's INSERT IGNORE dropped such a row.
      {"reference rows that only TiDB's collation takes as one value",
       test::registry_files({{kX, R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      code: { type: string(10), unique: true }
      tag: { type: string(10), unique: true, tidb: { type: "VARCHAR(10) COLLATE utf8mb4_bin" } }
    rows:
      values:
        - { id: 1, code: abc, tag: x }
        - { id: 2, code: "ABC ", tag: X }
        - { id: 3, code: q, tag: "x  " }
)"}},
                            "registry: test\ntidb:\n  collation: utf8mb4_general_ci\n"),
       {{kX, 11, 11,
         "this row and the row at line 10 hold (ABC ) and (abc) in (code), which tidb compares as one value (code: its "
         "collation utf8mb4_general_ci ignores case and trailing spaces), and unique column code requires them to be "
         "distinct",
         "t.rows"},
        {kX, 12, 11,
         "hold (x  ) and (x) in (tag), which tidb compares as one value (tag: its collation utf8mb4_bin ignores "
         "trailing spaces)",
         "t.rows"}}},
      {"reference rows that only Postgres takes as one uuid",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      ref: { type: uuid, unique: true }
    rows:
      values:
        - { id: 1, ref: a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 }
        - { id: 2, ref: A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11 }
        - { id: 3, ref: "{a0eebc999c0b4ef8bb6d6bb9bd380a12}" }
)"),
       {{kX, 10, 11,
         "which postgres compares as one value (ref: a uuid compares by its value, not its spelling), and unique "
         "column ref requires them to be distinct",
         "t.rows"}}},
      {"reference rows keyed by a unique, the same in the primary key and a unique index",
       entity(R"(entity: X
tables:
  t:
    columns:
      id: int
      slug: string(20)
      a: int
      b: int
    primary_key: [id]
    unique:
      - { columns: [slug] }
    indexes:
      - { columns: [a, b], unique: true, name: ux_t_ab }
      - { columns: [a], unique: true, where: "b > 0", dialects: [postgres] }
    rows:
      key: [slug]
      values:
        - { id: 1, slug: x, a: 1, b: 2 }
        - { id: 1, slug: y, a: 1, b: 2 }
)"),
       {{kX, 19, 11,
         "this row and the row at line 18 have the same (a, b) = (1, 2), which unique index ux_t_ab requires to be "
         "distinct",
         "t.rows"},
        {kX, 19, 11,
         "this row and the row at line 18 have the same (id) = (1), which the primary key requires to be distinct",
         "t.rows"}}},
      // ---- more loader checks
      {"unknown index method",
       entity(kT + "      name: string(50)\n    indexes:\n      - { columns: [name], method: btre }\n"),
       {{kX, 8, 36, "unknown index method 'btre' (did you mean 'btree'?)", "t.indexes[0]"}}},
      {"enum without values",
       entity("entity: X\nenums:\n  color:\n    description: Colours.\n"),
       {{kX, 4, 5, "missing required key 'values'", "enums.color"}}},
      {"duplicate enum value",
       entity("entity: X\nenums:\n  color:\n    values: [red, green, red]\n"),
       {{kX, 4, 26, "duplicate enum value 'red'", "enums.color.values"}}},
      {"range bound not a number",
       entity(kT + "      score: { type: double, check: { range: [low, 1] } }\n"),
       {{kX, 6, 47, "range bounds must be numbers, not 'low'", "t.score.check.range"}}},
      {"column without a type",
       entity(kT + "      name: { nullable: false }\n"),
       {{kX, 6, 13, "missing required key 'type'", "t.name"}}},
      {"table without columns",
       entity("entity: X\ntables:\n  t:\n    description: Nothing yet.\n"),
       {{kX, 4, 5, "missing required key 'columns'", "t"}}},
      {"nullable: maybe on a primary-key column",
       entity("entity: X\ntables:\n  t:\n    columns:\n      id: { type: uuid, primary_key: true, nullable: maybe }\n"),
       {{kX, 5, 54, "expected true or false, not 'maybe'", "t.id.nullable"}}},
      {"unknown function language",
       entity(R"(entity: X
functions:
  answer:
    dialects: [postgres]
    language: plsql
    returns: integer
    body: "BEGIN RETURN 42; END;"
)"),
       {{kX, 5, 15, "language must be 'plpgsql' or 'sql', not 'plsql'", "answer"}}},
      {"unknown logical type in registry type overrides",
       test::registry_files({}, "registry: test\ntypes:\n  tidb:\n    jsn: TEXT\n"),
       {{kRegistry, 4, 5, "unknown logical type 'jsn' (did you mean 'json'?)", "types.tidb"}}},

      // ---- more validation checks
      {"duplicate function across files",
       entities("entity: A\nfunctions:\n  f:\n    dialects: [postgres]\n    returns: integer\n    body: SELECT 1\n",
                "entity: B\nfunctions:\n  f:\n    dialects: [postgres]\n    returns: integer\n    body: SELECT 2\n"),
       {{kB, 3, 3, "duplicate function 'f' (first defined at schema/a.yaml:3:3)", "f"}}},
      {"two columns say primary_key",
       entity(kT + "      code: { type: string(10), primary_key: true }\n"),
       {{kX, 3, 3, "more than one column says primary_key: true", "t"}}},
      {"external table without a primary key",
       entity("entity: X\ntables:\n  t:\n    external: true\n    columns:\n      id: uuid\n"),
       {{kX, 3, 3, "an external table needs its primary key", "t"}}},
      {"not null column defaulting to null",
       entity(kT + "      name: { type: text, nullable: false, default: null }\n"),
       {{kX, 6, 53, "a NOT NULL column cannot default to null", "t.name.default"}}},
      {"unknown column in exclusion",
       entity(kT + R"(      during: text
    exclusions:
      - { elements: [{ column: durng, operator: "=" }], dialects: [postgres] }
)"),
       {{kX, 8, 22, "exclusion constraint: unknown column 'durng' in table t (did you mean 'during'?)", "t"}}},
      {"two exclusion constraints alike but for their names (Postgres keeps one)",
       entity(kT + R"(      during: text
    exclusions:
      - { elements: [{ column: during, operator: "=" }], dialects: [postgres] }
      - { elements: [{ column: during, operator: "=" }], dialects: [postgres], name: other }
)"),
       {{kX, 9, 9,
         "exclusion constraint 'other' is the same as the one declared at schema/x.yaml:8:9 (Postgres keeps only one "
         "of them)",
         "t"}}},
      {"unknown relation in depends_on",
       entity(kUsersT + R"(views:
  v_users:
    depends_on: [user]
    sql: SELECT id FROM users
)"),
       {{kX, 11, 3, "unknown table or view 'user' (did you mean 'users'?)", "v_users.depends_on"}}},

      // ---- more lowering checks
      {"default sql without a tidb text",
       entity(kT + "      at: { type: timestamptz, default: { sql: { postgres: \"now()\" } } }\n"),
       {{kX, 6, 41, "the default's sql has no tidb text", "t.at.default"}}},
      {"unique text column in tidb",
       entity(kT + "      body: { type: text, unique: true }\n"),
       {{kX, 6, 7,
         "unique constraint t_body_key on t has no tidb decision: column body is TEXT, which TiDB cannot use in a key "
         "without a prefix length",
         "t"}}},
      // ---- SQL words that reach the SQL unquoted (issue 7, injection)
      {"tidb charset that is not a name",
       test::registry_files({{kX, kT}}, "registry: test\ntidb:\n  charset: \"utf8mb4; DROP TABLE victim; --\"\n"),
       {{kRegistry, 3, 12,
         "'utf8mb4; DROP TABLE victim; --' is not a charset name (letters, digits and underscores only)",
         "tidb.charset"}}},
      {"tidb collation that is not a name",
       test::registry_files({{kX, kT}}, "registry: test\ntidb:\n  collation: utf8mb4_bin COMMENT='x'\n"),
       {{kRegistry, 3, 14, "'utf8mb4_bin COMMENT='x'' is not a collation name", "tidb.collation"}}},
      {"operator class that is not a name",
       entity(kT + R"(      q: text
    indexes:
      - { columns: [{ column: q, opclass: "text_ops); DROP TABLE victim; --" }], method: gin, dialects: [postgres] }
)"),
       {{kX, 8, 21, "operator class 'text_ops); DROP TABLE victim; --' is not a name", "t"}}},
      {"index-wide operator class that is not a name",
       entity(kT + R"(      q: text
    indexes:
      - { columns: [q], opclass: "a b", method: gin, dialects: [postgres] }
)"),
       {{kX, 8, 21, "operator class 'a b' is not a name", "t"}}},
      {"storage parameter value that is not a word",
       entity(kT + R"(      q: text
    indexes:
      - { columns: [q], method: gin, with: { fastupdate: "off); DROP TABLE victim; --" }, dialects: [postgres] }
)"),
       {{kX, 8, 9, "storage parameter value 'off); DROP TABLE victim; --' must be a number or a word",
         "t.with.fastupdate"}}},
      {"storage parameter that is not a name",
       entity(kT + R"(      q: text
    indexes:
      - { columns: [q], method: gin, with: { "a = 1, b": 2 }, dialects: [postgres] }
)"),
       {{kX, 8, 9, "storage parameter 'a = 1, b' is not a name", "t.with"}}},
      {"exclusion method that is not a name",
       entity(kT + R"(      during: text
    exclusions:
      - { method: "gist (id WITH =); DROP TABLE victim; --", elements: [{ column: during, operator: "=" }], dialects: [postgres] }
)"),
       {{kX, 8, 9, "exclusion method 'gist (id with =); drop table victim; --' is not a name", "t"}}},
      {"exclusion operator that is not an operator",
       entity(kT + R"(      during: text
    exclusions:
      - { elements: [{ column: during, operator: "= -- x" }], dialects: [postgres] }
)"),
       {{kX, 8, 22, "exclusion operator '= -- x' is not an operator", "t"}}},
      {"column comment over 1024 bytes (TiDB and MySQL keep at most 1024)",
       entity(kT + "      note: { type: text, description: " + std::string(1025, 'x') + " }\n"),
       {{kX, 6, 7, "the description is 1025 bytes; TiDB and MySQL keep at most 1024 bytes", "t.note.description"}}},
      {"check on a column whose foreign key cascades (MySQL 3823, MariaDB 1901)",
       entity(kUsersT + R"(      owner_id: { type: uuid, references: { table: users, on_delete: cascade } }
    checks:
      - { name: owner_given, expr: "owner_id IS NOT NULL OR id IS NULL" }
)"),
       {{kX, 12, 9, "a check on t.owner_id while its foreign key has ON DELETE CASCADE", "t.owner_id"}}},
      {"column check on a column whose foreign key sets null on update",
       entity(kUsersT +
              "      owner_id: { type: uuid, check: { expr: \"owner_id <> id\" }, references: { table: users, "
              "on_update: set null } }\n"),
       {{kX, 10, 38, "while its foreign key has ON UPDATE SET NULL", "t.owner_id"}}},
      {"foreign key string length differs from the referenced column (TiDB requires equal)",
       entity(R"(entity: X
tables:
  p:
    columns:
      code: { type: string(20), primary_key: true }
  t:
    columns:
      id: { type: uuid, primary_key: true }
      p_code: { type: string(30), references: { table: p } }
)"),
       {{kX, 9, 47, "TiDB requires a foreign key's columns to have the referenced columns' exact type",
         "t.p_code.references"}}},
      {"set default foreign key action (TiDB acts as RESTRICT)",
       entity(kUsersT + "      owner_id: { type: uuid, references: { table: users, on_delete: set default } }\n"),
       {{kX, 10, 43, "ON DELETE SET DEFAULT: TiDB (like MySQL's InnoDB) accepts it but acts as RESTRICT",
         "t.owner_id.references"}}},
      {"postgres.lock_timeout that is not a duration",
       test::registry_files({{kX, kT}}, "registry: test\npostgres:\n  lock_timeout: five seconds\n"),
       {{kRegistry, 3, 17, "'five seconds' is not a duration", "postgres.lock_timeout"}}},
      {"tidb serial column that leads no key",
       entity(kT + "      n: serial\n      m: { type: bigserial, unique: true }\n"),
       {{kX, 6, 7,
         "serial column t.n cannot exist on tidb: TiDB (like MySQL and MariaDB) requires an AUTO_INCREMENT column to "
         "be the first column of a key, and n leads none: give it `unique: true` or an index whose first column is n",
         "t.n"},
        {kX, 7, 7, "serial column t.m cannot exist on tidb: the table has another AUTO_INCREMENT column (n)", "t.m"}}},
      {"text primary key in tidb",
       entity("entity: X\ntables:\n  t:\n    columns:\n      id: { type: text, primary_key: true }\n"),
       {{kX, 3, 3, "primary key of t cannot exist on tidb: column id is TEXT", "t"}}},
  };
  return cases;
}

TEST_CASE("bad input: each mistake is reported once, where it was made") {
  for (const Case& c : bad_inputs()) {
    SUBCASE(c.name.c_str()) {
      check_case(c);
    }
  }
}

TEST_CASE("bad input: the table has a row for each kind of mistake") {
  CHECK(bad_inputs().size() >= 40);
}

TEST_CASE("bad input: several mistakes are all reported at once, in file and line order") {
  auto files = entities(R"(entity: A
tables:
  t:
    columns:
      id: { type: uuid, primary_key: true }
      data: jsonn
      name: { type: string(50), nulable: false }
      n: { type: int, default: abc }
    indexes:
      - { columns: [nme] }
)",
                        R"(entity: B
tables:
  u:
    columns:
      id: { type: uuid, primary_key: true, nullable: maybe }
      t_id: { type: uuid, references: { table: tt } }
)");
  const auto actual = test::compile_errors(files);
  INFO("diagnostics:\n" << dump(actual));
  REQUIRE(actual.size() >= 3);
  for (std::size_t i = 1; i < actual.size(); ++i) {
    CAPTURE(i);
    const auto& a = actual[i - 1].pos;
    const auto& b = actual[i].pos;
    CHECK((a.file < b.file || (a.file == b.file && a.line <= b.line)));
  }
  // Every stage reports: the loader (types, keys, booleans), validation (columns, references) and lowering
  // (literals), in both files.
  const std::vector<Expected> expected = {
      {kA, 6, 13, "unknown type 'jsonn' (did you mean 'json'?)", "t.data"},
      {kA, 7, 33, "unknown key 'nulable' (did you mean 'nullable'?)", "t.name"},
      {kA, 8, 32, "'abc' is not a number, but the column is int", "t.n.default"},
      {kA, 10, 9, "index: unknown column 'nme' in table t (did you mean 'name'?)", "t"},
      {kB, 5, 54, "expected true or false, not 'maybe'", "u.id.nullable"},
      {kB, 6, 39, "references unknown table 'tt' (did you mean 't'?)", "u.t_id.references"},
  };
  check_case({"several mistakes", files, expected});
}

TEST_CASE("bad input: a valid registry yields no diagnostics") {
  const auto files = test::registry_files(
      {{kA, R"yaml(entity: Account
description: Accounts and their settings.
enums:
  account_status:
    values: [active, disabled]
tables:
  accounts:
    columns:
      id: { type: uuid, primary_key: true, default: { expr: uuid } }
      email: { type: string(255), nullable: false, unique: true }
      status: { type: enum(account_status), nullable: false, default: active }
      bio: { type: text, tidb: { type: "VARCHAR(2000)" } }
      tags: { type: "list<text>", nullable: false, default: { expr: empty_array } }
      settings: { type: json, nullable: false, default: { expr: empty_object } }
      embedding: vector(3)
      created_at: { type: timestamptz, nullable: false, default: { expr: now } }
    indexes:
      - { columns: [created_at] }
      - { columns: [{ column: bio, prefix: 100 }], name: idx_accounts_bio_prefix }
      - { columns: [tags], method: gin, dialects: [postgres] }
  settings:
    columns:
      key: { type: string(100), primary_key: true }
      value: { type: string(255), nullable: false }
    rows:
      values:
        - { key: theme, value: dark }
        - { key: language, value: en }
views:
  v_active_accounts:
    depends_on: [accounts]
    sql: "SELECT id, email FROM accounts WHERE status = 'active'"
)yaml"},
       {kB, R"yaml(entity: Session
tables:
  sessions:
    columns:
      id: { type: bigserial, primary_key: true }
      account_id: { type: uuid, nullable: false, references: { table: accounts, on_delete: cascade } }
      replaced_by: { type: bigint, references: { table: sessions, on_delete: set null } }
      kind: { type: string(20), nullable: false, check: { in: [web, app] } }
      score: { type: double, check: { range: [0, 1] } }
      active: { type: bool, nullable: false, default: true }
    unique:
      - { columns: [account_id, kind] }
    exclusions:
      - { elements: [{ column: account_id, operator: "=" }], where: "active", dialects: [postgres] }
functions:
  session_count:
    dialects: [postgres]
    language: sql
    returns: bigint
    volatility: stable
    depends_on: [sessions]
    body: "SELECT count(*) FROM sessions"
)yaml"}},
      "registry: test\nextensions:\n  vector: { dialects: [postgres] }\n  btree_gist: { dialects: [postgres] }\n");
  const auto actual = test::compile_errors(files);
  INFO("diagnostics:\n" << dump(actual));
  CHECK(actual.empty());
}

TEST_CASE("bad input: the example registries yield no diagnostics") {
  for (const char* name : {"mumble", "nirva"}) {
    SUBCASE(name) {
      auto files = registry::read_registry_dir(std::string(SCHEMACTL_SOURCE_DIR) + "/tests/registries/" + name);
      const auto actual = test::compile_errors(files);
      INFO("diagnostics:\n" << dump(actual));
      CHECK(actual.empty());
    }
  }
}

}  // namespace
}  // namespace schemactl
