// Logical column types: what the registry says, before any dialect lowers it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schemactl::registry {

enum class TypeKind {
  uuid,
  string,
  text,
  smallint,
  int_,
  bigint,
  serial,
  bigserial,
  float_,
  double_,
  decimal,
  bool_,
  date,
  time,
  timestamp,
  timestamptz,
  json,
  list,
  enum_,
  vector,
  bytes
};

struct LogicalType {
  TypeKind kind = TypeKind::text;
  int length = 0;     // string(n), vector(n)
  int precision = 0;  // decimal(p,s)
  int scale = 0;
  std::string enum_name;             // enum(NAME)
  std::vector<LogicalType> element;  // list<T>: exactly one element type

  std::string str() const;  // canonical spelling, e.g. "list<string(20)>"
  bool operator==(const LogicalType& o) const;
  bool operator!=(const LogicalType& o) const { return !(*this == o); }
};

// The key used by registry-wide `types:` overrides ("uuid", "list", ...).
std::string kind_name(TypeKind kind);
std::optional<TypeKind> parse_kind_name(std::string_view name);
const std::vector<std::string>& kind_names();

// Parses "string(255)", "list<text>", "enum(status)", "decimal(10,2)" ...; on failure returns
// nullopt and sets `error` (with a did-you-mean when the name is close to a known one).
std::optional<LogicalType> parse_logical_type(std::string_view text, std::string& error);

// Types that can be compared for foreign keys (serial and int are the same class, and so on).
bool fk_compatible(const LogicalType& a, const LogicalType& b);
bool is_scalar(TypeKind kind);

}  // namespace schemactl::registry
