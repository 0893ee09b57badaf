#include "inspect/writer.hpp"

#include <regex>

namespace schemactl::inspect {
namespace {

bool plain_ok(const std::string& s) {
  static const std::regex plain("^[A-Za-z_][A-Za-z0-9_./<>()-]*( [A-Za-z0-9_./<>()-]+)*$");
  static const std::regex reserved("^(true|false|null|yes|no|on|off|y|n|~)$", std::regex::icase);
  return std::regex_match(s, plain) && !std::regex_match(s, reserved);
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
  if (s.front() == ' ' || s.front() == '\t' || s.front() == '\n') return false;  // would need an indentation hint
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
