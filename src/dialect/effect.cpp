#include "dialect/effect.hpp"

#include <cctype>

#include "util/text.hpp"

namespace schemactl {

EffectProbe probe_effect(db::Connection& conn, const std::string& sql) {
  return conn.dialect() == DialectId::postgres ? detail::probe_postgres(conn, sql) : detail::probe_tidb(conn, sql);
}

bool transactional_dml(DialectId dialect, const std::string& sql) {
  if (dialect == DialectId::postgres) return false;  // a Postgres migration is one transaction anyway
  std::size_t i = 0;
  while (i < sql.size() && !std::isalpha(static_cast<unsigned char>(sql[i]))) {
    if (!std::isspace(static_cast<unsigned char>(sql[i])) && sql[i] != '(') return false;
    ++i;
  }
  std::size_t end = i;
  while (end < sql.size() && std::isalpha(static_cast<unsigned char>(sql[end]))) ++end;
  std::string word = to_upper(sql.substr(i, end - i));
  return word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "REPLACE" || word == "SELECT" ||
         word == "WITH";
}

}  // namespace schemactl
