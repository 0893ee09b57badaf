#include "registry/types.hpp"

#include <cctype>

#include "util/text.hpp"

namespace schemactl::registry {
namespace {

struct KindInfo {
  TypeKind kind;
  const char* name;
  enum Params { none, length, decimal, element, enum_name } params;
};

const KindInfo kKinds[] = {
    {TypeKind::uuid, "uuid", KindInfo::none},
    {TypeKind::string, "string", KindInfo::length},
    {TypeKind::text, "text", KindInfo::none},
    {TypeKind::smallint, "smallint", KindInfo::none},
    {TypeKind::int_, "int", KindInfo::none},
    {TypeKind::bigint, "bigint", KindInfo::none},
    {TypeKind::serial, "serial", KindInfo::none},
    {TypeKind::bigserial, "bigserial", KindInfo::none},
    {TypeKind::float_, "float", KindInfo::none},
    {TypeKind::double_, "double", KindInfo::none},
    {TypeKind::decimal, "decimal", KindInfo::decimal},
    {TypeKind::bool_, "bool", KindInfo::none},
    {TypeKind::date, "date", KindInfo::none},
    {TypeKind::time, "time", KindInfo::none},
    {TypeKind::timestamp, "timestamp", KindInfo::none},
    {TypeKind::timestamptz, "timestamptz", KindInfo::none},
    {TypeKind::json, "json", KindInfo::none},
    {TypeKind::list, "list", KindInfo::element},
    {TypeKind::enum_, "enum", KindInfo::enum_name},
    {TypeKind::vector, "vector", KindInfo::length},
    {TypeKind::bytes, "bytes", KindInfo::none},
};

const KindInfo* find_kind(std::string_view name) {
  for (const auto& k : kKinds)
    if (name == k.name) return &k;
  return nullptr;
}

const KindInfo& info(TypeKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k;
  return kKinds[0];
}

bool parse_int(std::string_view s, int& out) {
  std::string t = trim(s);
  if (t.empty() || t.size() > 9) return false;
  out = 0;
  for (char c : t) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::string kind_name(TypeKind kind) {
  return info(kind).name;
}

std::optional<TypeKind> parse_kind_name(std::string_view name) {
  if (const auto* k = find_kind(name)) return k->kind;
  return std::nullopt;
}

const std::vector<std::string>& kind_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& k : kKinds) out.push_back(k.name);
    return out;
  }();
  return names;
}

bool is_scalar(TypeKind kind) {
  return kind != TypeKind::list && kind != TypeKind::json && kind != TypeKind::vector && kind != TypeKind::serial &&
         kind != TypeKind::bigserial;
}

std::string LogicalType::str() const {
  std::string out = kind_name(kind);
  switch (info(kind).params) {
    case KindInfo::length:
      return out + "(" + std::to_string(length) + ")";
    case KindInfo::decimal:
      return out + "(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    case KindInfo::element:
      return out + "<" + (element.empty() ? "?" : element[0].str()) + ">";
    case KindInfo::enum_name:
      return out + "(" + enum_name + ")";
    case KindInfo::none:
      break;
  }
  return out;
}

bool LogicalType::operator==(const LogicalType& o) const {
  return kind == o.kind && length == o.length && precision == o.precision && scale == o.scale &&
         enum_name == o.enum_name && element == o.element;
}

std::optional<LogicalType> parse_logical_type(std::string_view raw, std::string& error) {
  std::string text = trim(raw);
  std::size_t open = text.find_first_of("(<");
  std::string name = trim(std::string_view(text).substr(0, open));
  const KindInfo* kind = find_kind(name);
  if (!kind) {
    error = "unknown type '" + text + "'" + did_you_mean(name, kind_names());
    return std::nullopt;
  }
  LogicalType type;
  type.kind = kind->kind;
  std::string args;
  if (open != std::string::npos) {
    char close = text[open] == '(' ? ')' : '>';
    if (text.back() != close) {
      error = "malformed type '" + text + "': missing '" + std::string(1, close) + "'";
      return std::nullopt;
    }
    args = text.substr(open + 1, text.size() - open - 2);
    bool angle = text[open] == '<';
    if (angle != (kind->params == KindInfo::element)) {
      error = "malformed type '" + text + "'";
      return std::nullopt;
    }
  }
  auto want = [&](const char* form) {
    error = "type '" + text + "' must be written " + form;
    return std::nullopt;
  };
  switch (kind->params) {
    case KindInfo::none:
      if (open != std::string::npos) return want(("'" + name + "' (it takes no parameters)").c_str());
      break;
    case KindInfo::length:
      if (!parse_int(args, type.length) || type.length <= 0) return want((name + "(N) with a positive N").c_str());
      if (type.kind == TypeKind::string && type.length > 65535)
        return want("string(N) with N at most 65535 (use text)");
      if (type.kind == TypeKind::vector && type.length > 16000) return want("vector(N) with N at most 16000");
      break;
    case KindInfo::decimal: {
      auto comma = args.find(',');
      bool ok = comma != std::string::npos && parse_int(args.substr(0, comma), type.precision) &&
                parse_int(args.substr(comma + 1), type.scale);
      if (!ok || type.precision < 1 || type.precision > 65 || type.scale > type.precision)
        return want("decimal(P,S) with 1 <= P <= 65 and S <= P");
      break;
    }
    case KindInfo::element: {
      if (args.empty()) return want("list<T>, e.g. list<text>");
      std::string inner_error;
      auto element = parse_logical_type(args, inner_error);
      if (!element) {
        error = inner_error;
        return std::nullopt;
      }
      if (!is_scalar(element->kind) || element->kind == TypeKind::enum_)
        return want("list<T> with T a plain scalar (not json, list, enum, vector or serial)");
      type.element.push_back(*element);
      break;
    }
    case KindInfo::enum_name:
      type.enum_name = trim(args);
      if (type.enum_name.empty()) return want("enum(NAME), naming an enum declared under `enums:`");
      break;
  }
  return type;
}

bool fk_compatible(const LogicalType& a, const LogicalType& b) {
  auto cls = [](const LogicalType& t) -> std::string {
    switch (t.kind) {
      case TypeKind::serial:
      case TypeKind::int_:
        return "int";
      case TypeKind::bigserial:
      case TypeKind::bigint:
        return "bigint";
      case TypeKind::string:
      case TypeKind::text:
        return "string";
      default:
        return t.str();
    }
  };
  return cls(a) == cls(b);
}

}  // namespace schemactl::registry
