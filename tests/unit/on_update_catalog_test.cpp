// ON UPDATE as each MySQL-family server spells it in information_schema.COLUMNS.EXTRA (MariaDB,
// MySQL 8, TiDB), read by the TiDB catalog reader from canned rows, and brought into the spelling
// that drift compares with the lowered registry's.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "db/connection.hpp"
#include "dialect/catalog_form.hpp"
#include "dialect/inspect.hpp"

namespace schemactl {
namespace {

// Answers the catalog queries with one table `t` and the given columns; every other query is empty.
class CannedCatalog : public db::Connection {
 public:
  explicit CannedCatalog(std::vector<db::Row> columns)
      : db::Connection(db::parse_database_url("mysql://u@127.0.0.1:1/d")), columns_(std::move(columns)) {}
  DialectId dialect() const override { return DialectId::tidb; }
  void execute(const std::string&) override {}
  long long execute_count(const std::string&) override { return 0; }
  std::vector<db::Row> query(const std::string& sql, const std::vector<std::string>& = {}) override {
    if (sql.find("FROM information_schema.TABLES") != std::string::npos) return {{"t", "", "utf8mb4_bin", ""}};
    if (sql.find("FROM information_schema.COLUMNS") != std::string::npos) return columns_;
    return {};
  }
  bool try_lock(int) override { return true; }
  void unlock() override {}
  std::optional<std::string> lock_holder() override { return std::nullopt; }
  void cancel() override {}
  void set_lock_wait_timeout(int) override {}
  void reset_session() override {}
  bool transactional_ddl() const override { return false; }

 private:
  std::vector<db::Row> columns_;
};

// TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, COLLATION_NAME
db::Row column(const std::string& name, const std::string& type, std::optional<std::string> def,
               const std::string& extra) {
  return {"t", name, type, "YES", std::move(def), extra, "", std::nullopt};
}

TEST_CASE("on update: EXTRA as MariaDB, MySQL 8 and TiDB spell it is read - anything more is still refused") {
  CannedCatalog conn({
      column("mariadb", "timestamp", "current_timestamp()", "on update current_timestamp()"),
      column("mysql8", "timestamp(3)", "CURRENT_TIMESTAMP(3)", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)"),
      column("tidb", "datetime", std::nullopt, "on update CURRENT_TIMESTAMP"),
      column("plain", "timestamp", "current_timestamp()", ""),
      column("hidden", "timestamp", std::nullopt, "on update current_timestamp() INVISIBLE"),
  });
  schema::Schema live = inspect_tidb(conn);
  const schema::Table* t = live.table("t");
  REQUIRE(t);
  CHECK(t->column("mariadb")->on_update == "CURRENT_TIMESTAMP");
  CHECK(t->column("mysql8")->on_update == "CURRENT_TIMESTAMP(3)");
  CHECK(t->column("tidb")->on_update == "CURRENT_TIMESTAMP");
  CHECK(t->column("plain")->on_update.empty());
  CHECK(t->column("hidden")->on_update.empty());
  REQUIRE(live.refused.size() == 1);
  CHECK(live.refused[0].what == "column t.hidden");
  CHECK(live.refused[0].reason == "has on update current_timestamp() INVISIBLE");

  // The lowered registry's spelling and the catalog's compare equal; none stays none.
  schema::Schema expected;
  expected.dialect = DialectId::tidb;
  schema::Table want;
  want.name = "t";
  for (const char* n : {"mariadb", "mysql8", "tidb", "plain"}) {
    schema::Column c;
    c.name = n;
    want.columns.push_back(c);
  }
  want.columns[0].on_update = "CURRENT_TIMESTAMP";
  want.columns[1].on_update = "CURRENT_TIMESTAMP(3)";
  want.columns[2].on_update = "CURRENT_TIMESTAMP(0)";  // a `tidb: { type: DATETIME(0) }` column
  expected.tables.push_back(want);
  catalog_form(expected, live, nullptr);
  for (const auto& c : expected.tables[0].columns) {
    CAPTURE(c.name);
    CHECK(c.on_update == live.table("t")->column(c.name)->on_update);
  }
  CHECK(expected.tables[0].columns[3].on_update.empty());
}

}  // namespace
}  // namespace schemactl
