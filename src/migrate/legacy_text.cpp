#include "migrate/legacy_text.hpp"

#include <regex>

namespace schemactl::migrate {

std::string unframed_function_bodies(const std::string& text) {
  static const std::regex framed("\nAS (\\$function[0-9]*\\$)\n");
  return std::regex_replace(text, framed, "\nAS $1");
}

}  // namespace schemactl::migrate
