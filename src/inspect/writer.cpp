#include "inspect/writer.hpp"

#include <cctype>
#include <cstring>

namespace schemactl::inspect {
namespace {

// Hand-written (std::regex took a third of inspect's CPU at 1,000 tables, docs/benchmarks.md):
// ^[A-Za-z_][A-Za-z0-9_./<>()-]*( [A-Za-z0-9_./<>()-]+)*$, and not a YAML 1.1 keyword.
bool plain_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '/' || c == '<' || c == '>' || c == '(' || c == ')' || c == '-';
}

bool reserved_word(const std::string& s) {
  static const char* const words[] = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"};
  for (const char* w : words) {
    std::size_t n = std::strlen(w);
    if (s.size() != n) continue;
    std::size_t i = 0;
    while (i < n && std::tolower(static_cast<unsigned char>(s[i])) == w[i]) ++i;
    if (i == n) return true;
  }
  return false;
}

bool plain_ok(const std::string& s) {
  if (s.empty()) return false;
  char first = s[0];
  if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_')) return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == ' ') {
      if (i + 1 == s.size() || s[i + 1] == ' ') return false;  // one space between non-empty words
      continue;
    }
    if (!plain_char(s[i])) return false;
  }
  return !reserved_word(s);
}

// A JSON string literal is a YAML double-quoted scalar (same escapes).
std::string double_quoted(const std::string& s) {
  return Tree(s).dump();
}

std::string scalar(const std::string& s) {
  return plain_ok(s) ? s : double_quoted(s);
}

// A literal block keeps SQL readable; only for text it reproduces exactly.
bool literal_block_ok(const std::string& s) {
  if (s.find('\n') == std::string::npos) return false;
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
  // Leading line breaks are written as empty lines; a first line that starts with a blank would
  // need an indentation indicator.
  std::size_t first = s.find_first_not_of('\n');
  if (first == std::string::npos || s[first] == ' ' || s[first] == '\t') return false;
  // Every line's leading whitespace must be spaces (tabs would be read as content after indent: fine)
  // and no line may be only spaces before a more indented one; keep it simple: no trailing blanks.
  std::size_t pos = 0;
  while (pos <= s.size()) {
    auto end = s.find('\n', pos);
    std::string line = s.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return false;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return true;
}

std::string literal_block(const std::string& s, int indent) {
  std::size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  std::string chomp = trailing == 0 ? "-" : trailing == 1 ? "" : "+";
  std::string body = s.substr(0, s.size() - trailing);
  std::string pad(indent, ' ');
  std::string out = "|" + chomp + "\n";
  std::size_t pos = 0;
  while (true) {
    auto end = body.find('\n', pos);
    std::string line = body.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    out += line.empty() ? "\n" : pad + line + "\n";
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  for (std::size_t i = 1; i < trailing; ++i) out += "\n";
  return out;
}

// Flow text of a node, or "" when it cannot be written in flow style.
std::string flow(const Tree& n) {
  if (const auto* num = number_text(n)) return *num;
  if (n.is_boolean()) return n.get<bool>() ? "true" : "false";
  if (n.is_null()) return "null";
  if (n.is_string()) {
    const auto& s = n.get_ref<const std::string&>();
    return s.find('\n') == std::string::npos ? scalar(s) : double_quoted(s);
  }
  std::vector<std::string> items;
  if (n.is_object()) {
    for (auto it = n.begin(); it != n.end(); ++it) items.push_back(scalar(it.key()) + ": " + flow(it.value()));
  } else {
    for (const auto& v : n) items.push_back(flow(v));
  }
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  if (n.is_object()) return items.empty() ? "{}" : "{ " + out + " }";
  return "[" + out + "]";
}

bool has_multiline(const Tree& n) {
  if (n.is_string()) return n.get_ref<const std::string&>().find('\n') != std::string::npos;
  if (n.is_structured() && !number_text(n))
    for (const auto& v : n)
      if (has_multiline(v)) return true;
  return false;
}

void block(const Tree& n, int indent, std::string& out);

// The value part after "key:" (or "- "), with its own line break.
void value(const Tree& v, int indent, int width_used, std::string& out) {
  if (v.is_string() && literal_block_ok(v.get_ref<const std::string&>())) {
    out += " " + literal_block(v.get_ref<const std::string&>(), indent + 2);
    return;
  }
  if (!v.is_structured() || number_text(v) || v.empty() ||
      (!has_multiline(v) && static_cast<int>(flow(v).size()) + width_used <= 116)) {
    out += " " + flow(v) + "\n";
    return;
  }
  out += "\n";
  block(v, indent + 2, out);
}

void block(const Tree& n, int indent, std::string& out) {
  std::string pad(indent, ' ');
  if (n.is_object()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string key = scalar(it.key());
      out += pad + key + ":";
      value(it.value(), indent, indent + static_cast<int>(key.size()) + 2, out);
    }
    return;
  }
  for (const auto& v : n) {
    if (v.is_object() && !number_text(v) && !v.empty() && (has_multiline(v) || flow(v).size() + indent > 114)) {
      // "- key: value" with the following keys aligned under the first.
      std::string inner;
      block(v, indent + 2, inner);
      out += pad + "- " + inner.substr(indent + 2);
      continue;
    }
    out += pad + "-";
    value(v, indent, indent + 2, out);
  }
}

Tree plain_json(const Tree& n) {
  if (const auto* num = number_text(n)) return Tree::parse(*num);
  if (!n.is_structured()) return n;
  Tree out = n.is_object() ? Tree::object() : Tree::array();
  if (n.is_object())
    for (auto it = n.begin(); it != n.end(); ++it) out[it.key()] = plain_json(it.value());
  else
    for (const auto& v : n) out.push_back(plain_json(v));
  return out;
}

}  // namespace

std::string render_yaml(const RegistryFile& file) {
  std::string out;
  for (const auto& note : file.notes) out += "# NOTE: " + note + "\n";
  if (!file.notes.empty()) out += "\n";
  std::string body;
  block(file.body, 0, body);
  // A blank line between top-level sections, for the eye.
  std::string spaced;
  std::size_t pos = 0;
  bool first = true;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    std::string line = body.substr(pos, end - pos + 1);
    if (!first && !line.empty() && line[0] != ' ' && line[0] != '-' && line[0] != '\n') spaced += "\n";
    spaced += line;
    first = false;
    pos = end + 1;
  }
  return out + spaced;
}

std::string render_json(const Document& doc) {
  Tree files = Tree::object();
  Tree notes = Tree::object();
  for (const auto& f : doc.files) {
    files[f.path] = plain_json(f.body);
    if (!f.notes.empty()) notes[f.path] = f.notes;
  }
  return Tree{{"files", files}, {"notes", notes}}.dump(2) + "\n";
}

}  // namespace schemactl::inspect
