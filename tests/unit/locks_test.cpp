// What each Postgres statement locks and what work it does under the lock, read through
// PostgreSQL's parser: a table of statements and the impacts `migrate plan` reports for them.
#include "dialect/locks.hpp"

#include <doctest/doctest.h>

#include "util/text.hpp"

namespace schemactl {
namespace {

struct Case {
  const char* sql;
  std::vector<std::string> expect;  // LockImpact::describe() of each impact, in order
};

const std::vector<Case> kCases = {
    {"CREATE TABLE t (id int)", {}},
    {"CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON public.t (a)",
     {"SHARE UPDATE EXCLUSIVE on public.t (CREATE INDEX i): builds an index"}},
    {"CREATE UNIQUE INDEX i ON t (a)", {"SHARE on t (CREATE INDEX i): builds an index"}},
    {"DROP INDEX CONCURRENTLY IF EXISTS public.i",
     {"SHARE UPDATE EXCLUSIVE on public.i (DROP INDEX (locks its table))"}},
    {"DROP TABLE t", {"ACCESS EXCLUSIVE on t (DROP TABLE)"}},
    {"ALTER TABLE t ADD COLUMN c int DEFAULT 0", {"ACCESS EXCLUSIVE on t (ADD COLUMN c)"}},
    {"ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()",
     {"ACCESS EXCLUSIVE on t (ADD COLUMN c): rewrites the table"}},
    {"ALTER TABLE t ADD COLUMN c bigserial", {"ACCESS EXCLUSIVE on t (ADD COLUMN c): rewrites the table"}},
    {"ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS IDENTITY",
     {"ACCESS EXCLUSIVE on t (ADD COLUMN c): rewrites the table"}},
    {"ALTER TABLE t ALTER COLUMN c SET NOT NULL",
     {"ACCESS EXCLUSIVE on t (ALTER COLUMN c SET NOT NULL): scans the table"}},
    {"ALTER TABLE t ALTER COLUMN c DROP NOT NULL", {"ACCESS EXCLUSIVE on t (DropNotNull)"}},
    {"ALTER TABLE t ALTER COLUMN c TYPE varchar(40)",
     {"ACCESS EXCLUSIVE on t (ALTER COLUMN c TYPE): rewrites the table"}},
    {"ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id) NOT VALID",
     {"SHARE ROW EXCLUSIVE on p (referenced by fk)", "SHARE ROW EXCLUSIVE on t (ADD CONSTRAINT fk)"}},
    {"ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES s.p (id)",
     {"SHARE ROW EXCLUSIVE on s.p (referenced by fk)",
      "SHARE ROW EXCLUSIVE on t (ADD CONSTRAINT fk): scans the table"}},
    {"ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0) NOT VALID", {"ACCESS EXCLUSIVE on t (ADD CONSTRAINT ck)"}},
    {"ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0)", {"ACCESS EXCLUSIVE on t (ADD CONSTRAINT ck): scans the table"}},
    {"ALTER TABLE t ADD CONSTRAINT u UNIQUE (a, b)", {"ACCESS EXCLUSIVE on t (ADD CONSTRAINT u): builds an index"}},
    {"ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i", {"ACCESS EXCLUSIVE on t (ADD CONSTRAINT u)"}},
    {"ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY (id)",
     {"ACCESS EXCLUSIVE on t (ADD CONSTRAINT pk): builds an index"}},
    {"ALTER TABLE t VALIDATE CONSTRAINT fk", {"SHARE UPDATE EXCLUSIVE on t (VALIDATE CONSTRAINT fk): scans the table"}},
    {"ALTER TABLE t RENAME TO u", {"ACCESS EXCLUSIVE on t (RENAME)"}},
    // The guarded forms migrations write: the DDL inside the DO block is what locks.
    {"DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'c;x') THEN\n    ALTER TABLE public.t "
     "ADD "
     "CONSTRAINT ck CHECK (a <> ';');\n  END IF;\nEND\n$$",
     {"ACCESS EXCLUSIVE on public.t (ADD CONSTRAINT ck): scans the table"}},
    {"INSERT INTO t SELECT * FROM u", {}},
    {"not sql at all", {}},
};

TEST_CASE("locks: what each Postgres statement locks, read with PostgreSQL's parser") {
  for (const auto& c : kCases) {
    CAPTURE(c.sql);
    std::vector<std::string> got;
    for (const auto& li : lock_impact(DialectId::postgres, c.sql)) got.push_back(li.describe());
    CHECK(join(got, " | ") == join(c.expect, " | "));
  }
  CHECK(lock_impact(DialectId::tidb, "ALTER TABLE t ADD COLUMN c INT").empty());
}

TEST_CASE("locks: which type changes keep the stored bytes") {
  struct T {
    const char *from, *to;
    bool same;
  };
  for (const T& t : {T{"character varying(20)", "varchar(40)", true}, T{"character varying(20)", "varchar(20)", true},
                     T{"character varying(20)", "varchar(10)", false}, T{"character varying(20)", "text", true},
                     T{"text", "varchar", true}, T{"text", "varchar(255)", false}, T{"integer", "int8", false},
                     T{"numeric(10,2)", "numeric(12,2)", true}, T{"numeric(10,2)", "numeric(12,3)", false},
                     T{"numeric(10,2)", "numeric", true}, T{"character varying", "varchar(10)", false}}) {
    CAPTURE(t.from);
    CAPTURE(t.to);
    CHECK(binary_compatible(t.from, t.to) == t.same);
  }
}

}  // namespace
}  // namespace schemactl
