// `diff --url` and serial / AUTO_INCREMENT columns on the real servers (found by the adversary):
// - MariaDB: a serial column that is not the primary key is clean right after install.sql and after
//   `migrate up` (the server makes an AUTO_INCREMENT column NOT NULL, whatever the registry says);
// - MariaDB: an AUTO_INCREMENT removed by hand is drift (exit 3) whose repair TiDB cannot make: the
//   report names table.column, why and what to do, and `--sql` says the script is incomplete;
// - PostgreSQL: each hand breakage of a serial column (its default dropped, its sequence dropped,
//   both, its NOT NULL dropped) is repaired by the `--sql` script so that `diff` is clean again and
//   the next INSERT takes a number above every existing one; for a non-key serial column, a serial
//   primary key and a bigserial column.
// These tests never skip: a missing server fails them.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "cli_support.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// tickets: an int key and a non-key serial (unique: MySQL-family servers want an AUTO_INCREMENT
// column to lead a key); orders: a serial primary key; big: a non-key bigserial.
void write_registry(const fs::path& dir) {
  write(dir / "registry.yaml", "registry: serials\ndescription: Serial drift cases.\n");
  write(dir / "serials.yaml", R"(entity: Serials
description: Tables numbered by the database.
tables:
  tickets:
    description: Tickets with a number that is not their key.
    columns:
      id: { type: int, primary_key: true }
      n: { type: serial, unique: true }
      label: { type: text }
  orders:
    description: Orders numbered by their key.
    columns:
      id: { type: serial, primary_key: true }
      label: { type: text }
  big:
    description: A wide counter that is not the key.
    columns:
      id: { type: uuid, primary_key: true }
      n: { type: bigserial, unique: true }
      label: { type: text }
)");
}

struct Project {
  TempDir tmp;
  fs::path registry = tmp.path / "schema", migrations = tmp.path / "migrations", generated = tmp.path / "generated";
  Project() {
    write_registry(registry);
    Run g = schemactl("generate --schema " + registry.string() + " --out " + generated.string());
    REQUIRE_MESSAGE(g.status == 0, g.output);
  }
  fs::path install_sql(DialectId d) const { return generated / dialect_name(d) / "install.sql"; }
  std::string diff(const FreshDatabase& db, const std::string& extra = "") const {
    return "diff --url '" + url_text(db.url()) + "' --schema " + registry.string() + " --migrations " +
           migrations.string() + " " + extra;
  }
};

void install(const FreshDatabase& db, const Project& p, DialectId d) {
  std::string output;
  REQUIRE_MESSAGE(db.apply_file(p.install_sql(d).string(), output) == 0, output);
}

void exec(const FreshDatabase& db, const std::string& sql) {
  std::string output;
  REQUIRE_MESSAGE(db.apply_sql(sql + "\n", output) == 0, sql << "\n" << output);
}

long long number(const FreshDatabase& db, const std::string& sql) {
  auto v = scalar(db, sql);
  REQUIRE_MESSAGE(v, sql);
  return std::stoll(*v);
}

TEST_CASE("serial drift (MariaDB): a serial column that is not the key is clean after install.sql and migrate up") {
  Project p;
  const db::DatabaseUrl server = required_server(DialectId::tidb);
  {
    FreshDatabase db(server, "serial_install");
    install(db, p, DialectId::tidb);
    // (what the server made of it: NOT NULL, though install.sql does not say so)
    CHECK(scalar(db,
                 "SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                 "TABLE_NAME = 'tickets' AND COLUMN_NAME = 'n'") == std::optional<std::string>("NO"));
    Run r = schemactl(p.diff(db));
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK_MESSAGE(contains(r.output, "no drift"), r.output);
  }
  {
    FreshDatabase db(server, "serial_up");
    Run made = schemactl("migrate new serials --schema " + p.registry.string() + " --migrations " +
                         p.migrations.string() + " --version 20250101_000000");
    REQUIRE_MESSAGE(made.status == 0, made.output);
    Run up = migrate("up", db, p.migrations);
    REQUIRE_MESSAGE(up.status == 0, up.output);
    Run r = schemactl(p.diff(db));
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK_MESSAGE(contains(r.output, "no drift"), r.output);
  }
}

TEST_CASE("serial drift (MariaDB): AUTO_INCREMENT removed by hand is drift with no repair, said so clearly") {
  Project p;
  const db::DatabaseUrl server = required_server(DialectId::tidb);
  struct Case {
    const char* table;
    const char* column;
    const char* breakage;  // the column without AUTO_INCREMENT
    const char* by_hand;   // what the report says to run on MySQL / MariaDB
    const char* rows;      // inserted before the breakage
  };
  const Case cases[] = {
      {"tickets", "n", "ALTER TABLE tickets MODIFY n INT NOT NULL",
       "ALTER TABLE tickets MODIFY COLUMN n INT NOT NULL AUTO_INCREMENT;",
       "INSERT INTO tickets (id, n, label) VALUES (1, 5, 'a'), (2, 41, 'b');"},
      {"tickets", "n", "ALTER TABLE tickets MODIFY n INT NULL",
       "ALTER TABLE tickets MODIFY COLUMN n INT NOT NULL AUTO_INCREMENT;",
       "INSERT INTO tickets (id, label) VALUES (1, 'a'); INSERT INTO tickets (id, n, label) VALUES (2, 41, 'b');"},
      {"orders", "id", "ALTER TABLE orders MODIFY id INT NOT NULL",
       "ALTER TABLE orders MODIFY COLUMN id INT NOT NULL AUTO_INCREMENT;",
       "INSERT INTO orders (id, label) VALUES (5, 'a'), (41, 'b');"},
      {"big", "n", "ALTER TABLE big MODIFY n BIGINT NOT NULL",
       "ALTER TABLE big MODIFY COLUMN n BIGINT NOT NULL AUTO_INCREMENT;",
       "INSERT INTO big (id, n, label) VALUES (UUID(), 5, 'a'), (UUID(), 41, 'b');"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.breakage);
    FreshDatabase db(server, "serial_no_ai");
    install(db, p, DialectId::tidb);
    exec(db, c.rows);
    exec(db, std::string(c.breakage) + ";");
    const std::string what = std::string(c.table) + "." + c.column;
    const fs::path script = p.tmp.path / "repair.sql";
    fs::remove(script);
    Run r = schemactl(p.diff(db, "--sql " + script.string()));
    CHECK_MESSAGE(r.status == 3, r.output);
    // The report: the column, why there is no repair, what to do on TiDB and on MySQL / MariaDB.
    CHECK_MESSAGE(contains(r.output, "alter column " + what), r.output);
    CHECK_MESSAGE(contains(r.output, "cannot be planned: TiDB cannot add AUTO_INCREMENT to an existing column"),
                  r.output);
    CHECK_MESSAGE(contains(r.output, what + " cannot become serial in place"), r.output);
    CHECK_MESSAGE(contains(r.output, "INSERT ... SELECT"), r.output);
    CHECK_MESSAGE(contains(r.output, c.by_hand), r.output);
    CHECK_MESSAGE(!contains(r.output, "refusing to plan the tidb migration"), r.output);  // not a migration
    CHECK_MESSAGE(contains(r.output, "wrote " + script.string() + " (incomplete: it does not repair 1 difference"),
                  r.output);
    // The script says it is incomplete and why, repairs nothing, and does not claim there is no drift.
    REQUIRE(fs::exists(script));
    const std::string text = slurp(script);
    INFO("script:\n" << text);
    CHECK(contains(text, "-- INCOMPLETE: this script does not repair 1 difference"));
    CHECK(contains(text, "-- NOT PLANNED: alter column " + what + ": TiDB cannot add AUTO_INCREMENT"));
    CHECK(!contains(text, "no drift"));
    CHECK(!contains(text, "AUTO_INCREMENT;\n"));  // the hint is a comment, not a statement of the script
    std::string output;
    CHECK_MESSAGE(db.apply_file(script.string(), output) == 0, output);
    CHECK(schemactl(p.diff(db)).status == 3);
    // JSON: the same problem, for machines.
    Run json = schemactl(p.diff(db, "--format json"));
    CHECK(json.status == 3);
    CHECK_MESSAGE(contains(json.output, "\"problem\": \"TiDB cannot add AUTO_INCREMENT"), json.output);
    // The statement the report gives for MySQL / MariaDB does repair it.
    exec(db, c.by_hand);
    Run clean = schemactl(p.diff(db));
    CHECK_MESSAGE(clean.status == 0, clean.output);
    CHECK(number(db, std::string("SELECT MAX(") + c.column + ") FROM " + c.table) == 41);
  }
}

// PostgreSQL: the four hand breakages of a serial column, on rows that hold explicit values (the
// sequence never used) or numbers from the sequence and then a larger explicit one; for a non-key
// serial, a serial primary key and a non-key bigserial.
TEST_CASE(
    "serial drift (PostgreSQL): each hand breakage of a serial column is repaired and the next INSERT numbers past "
    "all") {
  Project p;
  const db::DatabaseUrl server = required_server(DialectId::postgres);
  struct Column {
    const char* table;
    const char* column;
    bool key;               // the primary key (NOT NULL cannot be dropped)
    const char* other_key;  // what an INSERT gives the key when the serial is not the key
  };
  const Column columns[] = {
      {"tickets", "n", false, "id"},
      {"orders", "id", true, nullptr},
      {"big", "n", false, "id"},
  };
  struct Breakage {
    const char* name;
    std::string (*sql)(const std::string& table, const std::string& column);
  };
  const Breakage breakages[] = {
      {"default dropped",
       [](const std::string& t, const std::string& c) {
         return "ALTER TABLE " + t + " ALTER COLUMN " + c + " DROP DEFAULT;";
       }},
      {"sequence dropped",
       [](const std::string& t, const std::string& c) { return "DROP SEQUENCE " + t + "_" + c + "_seq CASCADE;"; }},
      {"default and sequence dropped",
       [](const std::string& t, const std::string& c) {
         return "ALTER TABLE " + t + " ALTER COLUMN " + c + " DROP DEFAULT; DROP SEQUENCE " + t + "_" + c + "_seq;";
       }},
      {"NOT NULL dropped",
       [](const std::string& t, const std::string& c) {
         return "ALTER TABLE " + t + " ALTER COLUMN " + c + " DROP NOT NULL;";
       }},
  };
  int key = 100;
  // A key value for a new row of `col`'s table ("" when the serial is the key).
  auto key_value = [&](const Column& col) -> std::string {
    if (!col.other_key) return "";
    ++key;
    if (std::string(col.table) == "big")
      return "'00000000-0000-0000-0000-" + std::string(12 - 3, '0') + std::to_string(key) + "'";
    return std::to_string(key);
  };
  auto insert = [&](const Column& col, const std::string& serial_value) {
    std::string cols = "label", vals = "'x'";
    if (col.other_key) {
      cols = std::string(col.other_key) + ", " + cols;
      vals = key_value(col) + ", " + vals;
    }
    if (!serial_value.empty()) {
      cols = std::string(col.column) + ", " + cols;
      vals = serial_value + ", " + vals;
    }
    return "INSERT INTO " + std::string(col.table) + " (" + cols + ") VALUES (" + vals + ")";
  };
  for (const Column& col : columns) {
    for (const Breakage& b : breakages) {
      if (col.key && std::string(b.name) == "NOT NULL dropped") continue;  // PostgreSQL refuses it on a key
      for (bool through_sequence : {false, true}) {
        CAPTURE(col.table);
        CAPTURE(col.column);
        CAPTURE(b.name);
        CAPTURE(through_sequence);
        FreshDatabase db(server, "serial_pg");
        install(db, p, DialectId::postgres);
        if (through_sequence) {
          exec(db, insert(col, "") + ";");
          exec(db, insert(col, "") + ";");
          exec(db, insert(col, "41") + ";");
        } else {
          exec(db, insert(col, "5") + ";");
          exec(db, insert(col, "41") + ";");
        }
        REQUIRE(schemactl(p.diff(db)).status == 0);
        exec(db, b.sql(col.table, col.column));
        // A row that took a NULL while the column allowed it: the repair must number it.
        if (std::string(b.name) == "NOT NULL dropped") exec(db, insert(col, "NULL") + ";");
        const fs::path script = p.tmp.path / "repair.sql";
        fs::remove(script);
        Run r = schemactl(p.diff(db, "--sql " + script.string()));
        CHECK_MESSAGE(r.status == 3, r.output);
        CHECK_MESSAGE(contains(r.output, std::string("alter column ") + col.table + "." + col.column), r.output);
        CHECK_MESSAGE(!contains(r.output, "cannot be planned"), r.output);
        REQUIRE_MESSAGE(fs::exists(script), r.output);
        INFO("diff said:\n" << r.output << "\nscript:\n" << slurp(script));
        std::string output;
        REQUIRE_MESSAGE(db.apply_file(script.string(), output) == 0, output);
        Run again = schemactl(p.diff(db));
        CHECK_MESSAGE(again.status == 0, again.output);
        const std::string max = "SELECT MAX(" + std::string(col.column) + ") FROM " + col.table;
        const long long before = number(db, max);
        CHECK(before >= 41);
        CHECK(number(db, "SELECT count(*) FROM " + std::string(col.table) + " WHERE " + col.column + " IS NULL") == 0);
        const long long next = number(db, insert(col, "") + " RETURNING " + col.column);
        CHECK_MESSAGE(next > before, "the next INSERT took " << next << ", the largest value is " << before);
      }
    }
  }
}

}  // namespace
}  // namespace schemactl::test
