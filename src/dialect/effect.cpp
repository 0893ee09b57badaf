#include "dialect/effect.hpp"

#include <cctype>

#include "util/text.hpp"

namespace schemactl {

EffectProbe probe_effect(db::Connection& conn, const std::string& sql) {
  return conn.dialect() == DialectId::postgres ? detail::probe_postgres(conn, sql) : detail::probe_tidb(conn, sql);
}

std::string first_word(const std::string& sql) {
  std::size_t i = 0;
  while (i < sql.size() && (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == '(')) ++i;
  std::size_t end = i;
  while (end < sql.size() && std::isalpha(static_cast<unsigned char>(sql[end]))) ++end;
  return to_upper(sql.substr(i, end - i));
}

bool transactional_dml(db::Connection& conn, const std::string& sql) {
  std::string word = first_word(sql);
  bool dml = word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "REPLACE" || word == "SELECT" ||
             word == "WITH";
  if (!dml || conn.dialect() == DialectId::postgres) return dml;
  return detail::tidb_transactional_dml(conn, sql);
}

}  // namespace schemactl
