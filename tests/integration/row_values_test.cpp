// Reference rows that a unique index takes as one value although their text differs: what the
// dialects' unique_form hooks say, checked against the servers' own comparison, and end to end
// (validation refuses such rows; rows the server keeps apart are all installed).
#include "registry/row_values.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "cli_support.hpp"
#include "dialect/dialect.hpp"

namespace schemactl::test {
namespace {

std::string form_of(DialectId d, registry::TypeKind kind, const std::string& sql_type, const std::string& value,
                    const std::string& collation) {
  registry::LogicalType type;
  type.kind = kind;
  type.length = 20;
  registry::Literal lit{registry::Literal::Kind::string, value, {}};
  schema::Column column;
  column.type = sql_type;
  registry::Registry reg;
  reg.tidb_collation = collation;
  return dialect_for(d).unique_form(type, registry::value_form(type, lit), column, reg).form;
}

std::string mysql_literal(const std::string& s) {
  std::string out = "_utf8mb4'";
  for (char c : s) out += c == '\'' ? "''" : c == '\\' ? "\\\\" : std::string(1, c);
  return out + "'";
}

}  // namespace

TEST_CASE("row values: TiDB's unique comparison of ASCII strings is MariaDB's, collation by collation") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "row_values_collation");
  const std::vector<std::string> values{"abc", "ABC", "Abc", "abc ", "abc  ", " abc", "abc\t", "a bc", "ABC ", "", " "};
  int compared = 0;
  for (const std::string collation :
       {"utf8mb4_bin", "utf8mb4_general_ci", "utf8mb4_unicode_ci", "utf8mb4_nopad_bin", "utf8mb4_general_nopad_ci"}) {
    CAPTURE(collation);
    for (std::size_t i = 0; i < values.size(); ++i)
      for (std::size_t j = i + 1; j < values.size(); ++j) {
        CAPTURE(values[i]);
        CAPTURE(values[j]);
        auto server_says = scalar(db, "SELECT " + mysql_literal(values[i]) + " COLLATE " + collation + " = " +
                                          mysql_literal(values[j]) + " COLLATE " + collation);
        REQUIRE(server_says);
        // The registry's collation, and the same given in the column's override type.
        bool ours = form_of(DialectId::tidb, registry::TypeKind::string, "VARCHAR(20)", values[i], collation) ==
                    form_of(DialectId::tidb, registry::TypeKind::string, "VARCHAR(20)", values[j], collation);
        bool in_type =
            form_of(DialectId::tidb, registry::TypeKind::string, "VARCHAR(20) COLLATE " + collation, values[i],
                    "utf8mb4_bin") == form_of(DialectId::tidb, registry::TypeKind::string,
                                              "VARCHAR(20) COLLATE " + collation, values[j], "utf8mb4_bin");
        CHECK(ours == (*server_says == "1"));
        CHECK(in_type == ours);
        ++compared;
      }
  }
  CHECK(compared == 5 * 55);
}

TEST_CASE("row values: Postgres's uuid comparison is the server's") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "row_values_uuid");
  const std::vector<std::string> values{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
                                        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
                                        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12"};
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t j = i + 1; j < values.size(); ++j) {
      CAPTURE(values[i]);
      CAPTURE(values[j]);
      auto server_says = scalar(db, "SELECT '" + values[i] + "'::uuid = '" + values[j] + "'::uuid");
      REQUIRE(server_says);
      bool ours = form_of(DialectId::postgres, registry::TypeKind::uuid, "UUID", values[i], "") ==
                  form_of(DialectId::postgres, registry::TypeKind::uuid, "UUID", values[j], "");
      CHECK(ours == (*server_says == "t"));
    }
}

// Found by the adversary: under utf8mb4_general_ci, rows "abc" and "ABC " passed validation and
// MariaDB's INSERT IGNORE kept one of them.
TEST_CASE("row values: rows one to the collation are refused - rows it keeps apart are all installed on MariaDB") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  TempDir t;
  auto write = [&](const std::string& rows) {
    fs::create_directories(t.path / "schema");
    std::ofstream(t.path / "schema/registry.yaml")
        << "registry: rv\ndescription: row values\ntidb:\n  collation: utf8mb4_general_ci\n";
    std::ofstream(t.path / "schema/t.yaml") << "entity: T\ntables:\n  t:\n    columns:\n"
                                               "      id: { type: int, primary_key: true }\n"
                                               "      code: { type: string(10), nullable: false, unique: true }\n"
                                               "      n: { type: int, unique: true }\n"
                                               "    rows:\n      values:\n"
                                            << rows;
  };
  write("        - { id: 1, code: abc }\n        - { id: 2, code: \"ABC \" }\n");
  Run r = schemactl("validate --schema " + (t.path / "schema").string());
  CHECK_MESSAGE(r.status == 1, r.output);
  CHECK_MESSAGE(r.output.find("which tidb compares as one value (code: its collation utf8mb4_general_ci ignores "
                              "case and trailing spaces)") != std::string::npos,
                r.output);
  write(
      "        - { id: 1, code: abc, n: 1 }\n        - { id: 2, code: xyz, n: 1.0 }\n        - { id: 3, code: q, n: "
      "3.5 }\n"
      "        - { id: 4, code: r, n: 4 }\n");
  r = schemactl("validate --schema " + (t.path / "schema").string());
  CHECK_MESSAGE(r.status == 1, r.output);
  CHECK_MESSAGE(r.output.find("have the same (n) = (1.0) and (1)") != std::string::npos, r.output);
  // Both servers would round 3.5 to 4, the value of the next row: a fraction in an int is refused.
  CHECK_MESSAGE(r.output.find("'3.5' has 1 digit after the point, but the column is int") != std::string::npos,
                r.output);

  write(
      "        - { id: 1, code: abc, n: 1 }\n        - { id: 2, code: \" abc\", n: 2 }\n"
      "        - { id: 3, code: \"a bc\", n: 3 }\n        - { id: 4, code: abd, n: 4.0 }\n");
  r = schemactl("generate --schema " + (t.path / "schema").string() + " --out " + (t.path / "gen").string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  FreshDatabase db(*server, "row_values_install");
  std::string out;
  REQUIRE_MESSAGE(db.apply_file((t.path / "gen/tidb/install.sql").string(), out) == 0, out);
  CHECK(scalar(db, "SELECT COUNT(*) FROM t") == "4");
  CHECK(scalar(db, "SELECT GROUP_CONCAT(n ORDER BY id) FROM t") == "1,2,3,4");
}

}  // namespace schemactl::test
