#include "util/dollar_quote.hpp"

namespace schemactl {

namespace {

bool closes_at_end(std::string_view body, const std::string& tag) {
  std::string text(body);
  text += tag;
  return text.find(tag) == body.size();
}

}  // namespace

std::string dollar_tag(std::string_view body, std::string_view base) {
  if (base.empty()) {
    if (closes_at_end(body, "$$")) return "$$";
    base = "schemactl";
  }
  std::string tag = "$" + std::string(base) + "$";
  for (int i = 1; !closes_at_end(body, tag); ++i) tag = "$" + std::string(base) + std::to_string(i) + "$";
  return tag;
}

std::string dollar_quote(std::string_view body, std::string_view base) {
  std::string tag = dollar_tag(body, base);
  return tag + std::string(body) + tag;
}

}  // namespace schemactl
