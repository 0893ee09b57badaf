// Derived names cut to 63 bytes as PostgreSQL cuts its own. The expected names are what
// PostgreSQL 15 itself named these objects (CREATE TABLE with a 63-byte name, a serial column and
// an unnamed primary key, unique and check; read back from pg_constraint and pg_class).
#include "lower/names.hpp"

#include <doctest/doctest.h>

#include "schema/names.hpp"

namespace schemactl {

TEST_CASE("names: derived names longer than 63 bytes are cut as PostgreSQL cuts them") {
  const std::string table = "a_table_whose_name_is_exactly_sixty_three_bytes_long_abcdefghij";
  REQUIRE(table.size() == 63);
  CHECK(lower::primary_key_name(table) == "a_table_whose_name_is_exactly_sixty_three_bytes_long_abcde_pkey");
  CHECK(schema::sequence_name(table, "id") == "a_table_whose_name_is_exactly_sixty_three_bytes_long_abc_id_seq");
  CHECK(lower::unique_name(table, {"label"}) == "a_table_whose_name_is_exactly_sixty_three_bytes_long__label_key");
  CHECK(lower::column_check_name(table, "n") == "a_table_whose_name_is_exactly_sixty_three_bytes_long_ab_n_check");
  // Both parts long: the longer loses a byte at a time.
  CHECK(lower::index_name("events", {"created_by_external_system_id", "updated_by_system_ident"}) ==
        "idx_events_created_by_external_system_id_updated_by_system_iden");
  // Short names are as they were.
  CHECK(lower::primary_key_name("t") == "t_pkey");
  CHECK(lower::index_name("t", {"a", "b"}) == "idx_t_a_b");
  // Never inside a UTF-8 character: "é" is two bytes.
  std::string accented(30, 'x');
  for (int i = 0; i < 16; ++i) accented += "\xC3\xA9";
  std::string key = lower::primary_key_name(accented);
  CHECK(key.size() <= 63);
  CHECK(key.substr(key.size() - 5) == "_pkey");
  CHECK((static_cast<unsigned char>(key[key.size() - 6]) & 0xC0) != 0xC0);  // not a lead byte cut off from its tail
}

}  // namespace schemactl
