#include "schema/names.hpp"

namespace schemactl::schema {

namespace {

// The first `n` bytes of `s`, without a partial UTF-8 character at the end.
std::string clip(const std::string& s, std::size_t n) {
  if (n >= s.size()) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

std::string object_name(const std::string& name1, const std::string& name2, const std::string& label) {
  std::size_t a = name1.size(), b = name2.size();
  const std::size_t overhead = (name2.empty() ? 0 : 1) + (label.empty() ? 0 : label.size() + 1);
  const std::size_t available = 63 > overhead ? 63 - overhead : 0;
  while (a + b > available) {
    if (a > b)
      --a;
    else
      --b;
  }
  std::string out = clip(name1, a);
  if (!name2.empty()) out += "_" + clip(name2, b);
  if (!label.empty()) out += "_" + label;
  return out;
}

std::string sequence_name(const std::string& table, const std::string& column) {
  return object_name(table, column, "seq");
}

}  // namespace schemactl::schema
