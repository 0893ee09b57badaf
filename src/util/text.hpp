// Small string helpers shared by every stage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace schemactl {

std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate when it is close enough to be a likely typo, else "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
std::string pascal_case(std::string_view snake);
std::string trim(std::string_view s);
// Without trailing blanks and newlines (a rendered statement's final line break).
std::string rtrim(std::string s);
bool starts_with(std::string_view s, std::string_view prefix);
// Lowercase hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view data);

}  // namespace schemactl
