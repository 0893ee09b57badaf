#include "codegen/headers.hpp"

#include <cctype>
#include <kainjow/mustache.hpp>
#include <set>

#include "codegen/builtin_templates.hpp"
#include "util/diagnostic.hpp"
#include "util/parallel.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace schemactl::codegen {

namespace fs = std::filesystem;
using namespace registry;
using kainjow::mustache::data;
using kainjow::mustache::list;
using kainjow::mustache::mustache;

namespace {

const std::set<std::string>& cpp_keywords() {
  static const std::set<std::string> words = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
      "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit",
      "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double",
      "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
      "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
      "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return", "short",
      "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this",
      "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual",
      "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
      // names the generated code itself uses inside each struct
      "columns", "kTable", "kColumns", "value_type", "sql_name", "is_nullable", "has_default", "is_primary_key"};
  return words;
}

std::string scalar_type(const LogicalType& t, const Registry& reg) {
  switch (t.kind) {
    case TypeKind::uuid:
    case TypeKind::string:
    case TypeKind::text:
    case TypeKind::decimal:
      return "std::string";
    case TypeKind::smallint:
      return "std::int16_t";
    case TypeKind::int_:
    case TypeKind::serial:
      return "std::int32_t";
    case TypeKind::bigint:
    case TypeKind::bigserial:
      return "std::int64_t";
    case TypeKind::float_:
      return "float";
    case TypeKind::double_:
      return "double";
    case TypeKind::bool_:
      return "bool";
    case TypeKind::date:
      return "Date";
    case TypeKind::time:
      return "std::chrono::microseconds";
    case TypeKind::timestamp:
    case TypeKind::timestamptz:
      return "std::chrono::system_clock::time_point";
    case TypeKind::json:
      return "nlohmann::json";
    case TypeKind::list:
      return "std::vector<" + scalar_type(t.element.at(0), reg) + ">";
    case TypeKind::enum_: {
      const EnumSpec* e = reg.enum_type(t.enum_name);
      return e && !e->cpp_name.empty() ? e->cpp_name : pascal_case(t.enum_name);
    }
    case TypeKind::vector:
      return "std::array<float, " + std::to_string(t.length) + ">";
    case TypeKind::bytes:
      return "std::vector<std::uint8_t>";
  }
  return "std::string";
}

// Comment text as `// ` lines: no line can end in a backslash (which would splice the next line).
std::vector<std::string> comment_lines(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  auto flush = [&] {
    std::string t = trim(line);
    while (!t.empty() && t.back() == '\\') t.pop_back();
    out.push_back(t);
    line.clear();
  };
  for (char c : text) {
    if (c == '\n')
      flush();
    else if (static_cast<unsigned char>(c) >= 0x20)
      line += c;
  }
  if (!line.empty() || out.empty()) flush();
  return out;
}

// Comment lines already indented and terminated, for placing directly before a declaration.
std::string doc_block(const std::string& text, const std::string& indent) {
  if (text.empty()) return {};
  std::string out;
  for (const auto& line : comment_lines(text)) out += indent + (line.empty() ? "//" : "// " + line) + "\n";
  return out;
}

std::string enumerator_name(const std::string& value) {
  std::string out;
  for (char c : value) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "v" + out;
  return cpp_identifier(out);
}

// A C++ string literal body for an SQL name or enum value.
std::string escape_string(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string file_stem(const std::string& entity) {
  std::string out;
  for (std::size_t i = 0; i < entity.size(); ++i) {
    char c = entity[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0 && !std::isupper(static_cast<unsigned char>(entity[i - 1]))) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

std::string load_template(const fs::path& dir, const std::string& name) {
  if (dir.empty()) {
    for (const auto& t : builtin_templates())
      if (name == t.name) return t.text;
    throw Error("no built-in template '" + name + "' (a build without templates/" + name + "?)");
  }
  std::string text;
  if (!read_file(dir / name, text)) throw Error("cannot read template '" + (dir / name).string() + "'");
  return text;
}

// A template parsed once and rendered many times.
class Template {
 public:
  Template(std::string name, const std::string& text) : name_(std::move(name)), tmpl_(text) {
    if (!tmpl_.is_valid()) throw Error("template " + name_ + ": " + tmpl_.error_message());
  }
  std::string render(const data& d) {
    std::string out = tmpl_.render(d);
    if (!tmpl_.is_valid()) throw Error("template " + name_ + ": " + tmpl_.error_message());
    return out;
  }

 private:
  std::string name_;
  mustache tmpl_;
};

void set_common(data& d, const Registry& reg) {
  d.set("registry", reg.name);
  d.set("hash", reg.content_hash);
  d.set("namespace", reg.cpp_namespace);
  d.set("support_include", reg.name + "/support.hpp");
}

data enum_data(const EnumSpec& e) {
  data d;
  std::string cpp = e.cpp_name.empty() ? pascal_case(e.name) : e.cpp_name;
  d.set("cpp_name", cpp);
  d.set("sql_name", e.name);
  d.set("doc", doc_block(e.description.empty() ? "Enum " + e.name + "." : e.description, ""));
  list values;
  for (const auto& v : e.values) {
    data item;
    item.set("enum", cpp);
    item.set("cpp_name", enumerator_name(v));
    item.set("sql", escape_string(v));
    values.push_back(item);
  }
  d.set("values", values);
  return d;
}

data table_data(const TableSpec& t, const Registry& reg) {
  data d;
  d.set("cpp_name", t.cpp_name.empty() ? pascal_case(t.name) : t.cpp_name);
  d.set("table", escape_string(t.name));
  d.set("doc", doc_block(t.description.empty() ? "Table " + t.name + "." : t.description, ""));
  d.set("external", data(t.external));
  auto key = t.key_columns();
  list columns;
  for (std::size_t i = 0; i < t.fields.size(); ++i) {
    const auto& f = t.fields[i];
    bool in_key = std::find(key.begin(), key.end(), f.name) != key.end();
    data c;
    c.set("member", f.cpp_name.empty() ? cpp_identifier(f.name) : f.cpp_name);
    c.set("sql", escape_string(f.name));
    c.set("type", member_type(f, in_key, reg));
    c.set("logical_type", f.type.str());
    c.set("nullable", f.nullable && !in_key ? "true" : "false");
    bool has_default = f.default_value.kind != DefaultSpec::Kind::none || f.type.kind == TypeKind::serial ||
                       f.type.kind == TypeKind::bigserial;
    c.set("has_default", has_default ? "true" : "false");
    c.set("primary_key", in_key ? "true" : "false");
    c.set("doc", doc_block(f.description, "  "));
    columns.push_back(c);
  }
  d.set("columns", columns);
  d.set("column_count", std::to_string(t.fields.size()));
  return d;
}

}  // namespace

std::string cpp_identifier(const std::string& name) {
  return cpp_keywords().count(name) ? name + "_" : name;
}

std::string member_type(const FieldSpec& f, bool in_primary_key, const Registry& reg) {
  std::string t = scalar_type(f.type, reg);
  return f.nullable && !in_primary_key ? "std::optional<" + t + ">" : t;
}

fs::path find_templates(const std::string& explicit_dir) {
  // A templates/ directory in the working directory is not picked up by itself: an unrelated one next
  // to a registry would change the output silently.
  return explicit_dir;
}

namespace {

data entity_data(const EntitySpec& e, const Registry& reg) {
  data d;
  set_common(d, reg);
  d.set("entity", e.name);
  d.set("entity_doc", doc_block(e.description, ""));
  list enums, tables;
  for (const auto& en : e.enums) enums.push_back(enum_data(en));
  for (const auto& t : e.tables) tables.push_back(table_data(t, reg));
  d.set("enums", enums);
  d.set("tables", tables);
  // Enums used by this entity's tables but declared by another entity need that header.
  std::set<std::string> includes;
  for (const auto& t : e.tables)
    for (const auto& f : t.fields) {
      if (f.type.kind != TypeKind::enum_) continue;
      const EntitySpec* owner = reg.entity_of_enum(f.type.enum_name);
      if (owner && owner->name != e.name) includes.insert(reg.name + "/" + file_stem(owner->name) + ".hpp");
    }
  list include_list;
  for (const auto& inc : includes) include_list.push_back(data(inc));
  d.set("entity_includes", include_list);
  return d;
}

}  // namespace

void render_headers(const Registry& reg, const fs::path& templates, FileSet& out) {
  std::string entity_text = load_template(templates, "entity.hpp.mustache");
  Template support_tmpl("support.hpp.mustache", load_template(templates, "support.hpp.mustache"));
  std::string dir = "include/" + reg.name + "/";
  data common;
  set_common(common, reg);
  out.add(dir + "support.hpp", support_tmpl.render(common));
  // Rendering is the expensive part: two workers, each with its own parsed template, take every
  // other entity; the file set orders the results by path.
  std::vector<std::pair<std::string, std::string>> rendered(reg.entities.size());
  Progress progress("generate: C++ headers", reg.entities.size(), "entities");
  split_in_two(reg.entities.size(), [&](std::size_t first, std::size_t stride) {
    Template entity_tmpl("entity.hpp.mustache", entity_text);
    for (std::size_t i = first; i < reg.entities.size(); i += stride) {
      const auto& e = reg.entities[i];
      rendered[i] = {dir + file_stem(e.name) + ".hpp", entity_tmpl.render(entity_data(e, reg))};
      progress.step();
    }
  });
  for (auto& [path, text] : rendered) out.add(path, std::move(text));
}

}  // namespace schemactl::codegen
