// The SQL dialects schemactl targets.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schemactl {

enum class DialectId { postgres, tidb };

inline constexpr std::array<DialectId, 2> kAllDialects{DialectId::postgres, DialectId::tidb};

inline std::string dialect_name(DialectId d) {
  return d == DialectId::postgres ? "postgres" : "tidb";
}

inline std::optional<DialectId> parse_dialect(std::string_view s) {
  if (s == "postgres") return DialectId::postgres;
  if (s == "tidb") return DialectId::tidb;
  return std::nullopt;
}

// An object's `dialects:` list; empty means every dialect.
inline bool exists_in(const std::vector<DialectId>& dialects, DialectId d) {
  if (dialects.empty()) return true;
  for (auto x : dialects)
    if (x == d) return true;
  return false;
}

}  // namespace schemactl
