// SQL text that registry values cannot break out of: dollar tags, string literals, DO blocks.
#include <doctest/doctest.h>

#include "apply/splitter.hpp"
#include "dialect/dialect.hpp"
#include "lower/compile.hpp"
#include "test_support.hpp"
#include "util/dollar_quote.hpp"

namespace schemactl::test {

TEST_CASE("quoting: a dollar tag closes the body only at its end") {
  CHECK(dollar_tag("\nBEGIN NULL; END\n") == "$$");
  CHECK(dollar_tag("CREATE TYPE t AS ENUM ('a$$b')") == "$schemactl$");
  CHECK(dollar_tag("'$$' '$schemactl$'") == "$schemactl1$");
  CHECK(dollar_tag("'$$' '$schemactl$' '$schemactl1$'") == "$schemactl2$");
  // A body ending in a piece of the tag would close early too.
  CHECK(dollar_tag("x$") == "$schemactl$");
  CHECK(dollar_tag("x$$ x$schemactl") == "$schemactl1$");
  CHECK(dollar_tag("BEGIN RETURN 1; END;\n", "function") == "$function$");
  CHECK(dollar_tag("-- $function$\n", "function") == "$function1$");
  CHECK(dollar_quote("a$$b") == "$schemactl$a$$b$schemactl$");
}

TEST_CASE("quoting: string literals read the same under every session setting") {
  const Dialect& pg = dialect_for(DialectId::postgres);
  const Dialect& tidb = dialect_for(DialectId::tidb);
  CHECK(pg.string_literal("it's") == "'it''s'");
  CHECK(pg.string_literal("C:\\dir") == "E'C:\\\\dir'");
  CHECK(pg.string_literal("x\\'; DROP TABLE victim; --") == "E'x\\\\''; DROP TABLE victim; --'");
  CHECK(pg.string_literal("$$ */ --") == "'$$ */ --'");
  CHECK(tidb.string_literal("C:\\dir\\'") == "'C:\\\\dir\\\\'''");
}

TEST_CASE("quoting: an enum value holding $$ stays inside its DO block") {
  auto files = registry_files({{"schema/x.yaml", R"(entity: X
enums:
  mood:
    values: [plain, 'a$$; DROP TABLE victim; --']
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      m: enum(mood)
)"}});
  Compiled c = compile_registry(files);
  std::string sql = dialect_for(DialectId::postgres).render_install(c.schemas.at(DialectId::postgres));
  CHECK(
      sql.find("DO $schemactl$\nBEGIN\n    CREATE TYPE public.mood AS ENUM ('plain', 'a$$; DROP TABLE victim; --');") !=
      std::string::npos);
  // Read as the server reads it: the DO block is one statement, and no statement drops anything.
  for (const auto& s : apply::split_statements(sql, DialectId::postgres))
    CHECK(s.sql.rfind("DROP", 0) == std::string::npos);
}

}  // namespace schemactl::test
