#include "inspect/document.hpp"

namespace schemactl::inspect {
namespace {
constexpr const char* kNumberKey = "\x01number";
}

Tree number(const std::string& text) {
  return Tree{{kNumberKey, text}};
}

const std::string* number_text(const Tree& node) {
  if (!node.is_object() || node.size() != 1) return nullptr;
  auto it = node.find(kNumberKey);
  return it == node.end() ? nullptr : it->get_ptr<const std::string*>();
}

}  // namespace schemactl::inspect
