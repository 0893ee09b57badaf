#include "inspect/build.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "apply/history.hpp"
#include "inspect/glob.hpp"
#include "inspect/table.hpp"
#include "util/text.hpp"

namespace schemactl::inspect {
namespace {

std::string identifier(const std::string& raw) {
  std::string out;
  for (char c : to_lower(raw)) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty()) return "inspected";
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = "db_" + out;
  return out;
}

// MariaDB and MySQL spell every name in a view as `db`.`table`: without the database, the view
// reads the same in whichever database the registry is installed.
std::string unqualified_view(const std::string& sql, const std::string& database) {
  if (database.empty()) return sql;
  std::string q = "`";
  for (char c : database) q += c == '`' ? std::string("``") : std::string(1, c);
  q += "`.";
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto hit = sql.find(q, pos);
    if (hit == std::string::npos) break;
    out += sql.substr(pos, hit - pos);
    pos = hit + q.size();
  }
  return out + sql.substr(pos);
}

struct Entity {
  std::string name;
  std::string file;
  std::vector<std::string> notes;
  Tree enums = Tree::object();
  Tree tables = Tree::object();
  Tree views = Tree::object();
  Tree materialized = Tree::object();
  Tree functions = Tree::object();
};

class Builder {
 public:
  Builder(const schema::Schema& s, const BuildOptions& o) : s_(s), o_(o), d_(s.dialect) {
    for (const auto& e : s.enums) enums_.insert(e.name);
  }

  Built run() {
    select_tables();
    for (const auto& t : s_.tables)
      if (selected_.count(t.name) || external_.count(t.name)) add_table(t);
    add_enums();
    add_views();
    add_functions();
    refuse();
    registry_notes();
    finish();
    return std::move(out_);
  }

 private:
  void select_tables() {
    for (const auto& t : s_.tables) {
      if (t.name == apply::History::kTable) continue;
      if (o_.tables.empty() || any_glob_match(o_.tables, t.name)) selected_.insert(t.name);
    }
    // Tables a selected table points at, but outside the selection: referenced, not created.
    for (const auto& t : s_.tables)
      if (selected_.count(t.name))
        for (const auto& fk : t.foreign_keys)
          if (!selected_.count(fk.ref_table)) external_.insert(fk.ref_table);
  }

  Entity& entity_for_table(const std::string& table) {
    for (const auto& [name, glob] : o_.entities)
      if (glob_match(glob, table)) return entity(name);
    return entity(pascal_case(table), table);
  }

  Entity& entity(const std::string& name, const std::string& file_hint = "") {
    auto it = entities_.find(name);
    if (it != entities_.end()) return it->second;
    Entity e;
    e.name = name;
    std::string base = file_hint.empty() ? identifier(name) : to_lower(file_hint);
    for (auto& c : base)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) c = '_';
    if (base == "registry") base = "registry_entity";
    std::string file = base + ".yaml";
    for (int n = 2; files_.count(file); ++n) file = base + "_" + std::to_string(n) + ".yaml";
    files_.insert(file);
    e.file = file;
    return entities_.emplace(name, std::move(e)).first->second;
  }

  // Where objects go that belong to no table (views, functions, enums no table uses).
  Entity& objects() {
    std::string name = "Objects";
    while (table_entities_.count(name)) name += "_";
    return entity(name);
  }

  void add_table(const schema::Table& t) {
    bool external = external_.count(t.name) > 0;
    TableReading r = read_table(s_, t, external, enums_);
    Entity& e = entity_for_table(t.name);
    table_entities_.insert(e.name);
    e.tables[t.name] = r.body;
    for (auto& n : r.notes) e.notes.push_back(std::move(n));
    for (auto& p : r.problems) out_.problems.push_back(std::move(p));
    for (auto& [name, values] : r.enums) {
      Tree v = Tree::array();
      for (const auto& x : values) v.push_back(x);
      e.enums[name] = Tree{{"values", v}};
    }
    for (const auto& c : t.columns) {
      std::string bare = c.type;
      if (bare.size() > 2 && bare.front() == '"') bare = bare.substr(1, bare.size() - 2);
      if (!enum_home_.count(bare)) enum_home_[bare] = e.name;
    }
  }

  void add_enums() {
    for (const auto& en : s_.enums) {
      auto home = enum_home_.find(en.name);
      Entity& e = home != enum_home_.end() ? entities_.at(home->second) : objects();
      Tree v = Tree::array();
      for (const auto& x : en.values) v.push_back(x);
      Tree entry{{"values", v}};
      if (!en.comment.empty()) entry["description"] = en.comment;
      e.enums[en.name] = entry;
    }
  }

  void add_views() {
    std::set<std::string> known(selected_.begin(), selected_.end());
    known.insert(external_.begin(), external_.end());
    std::vector<const schema::View*> views;
    for (const auto& v : s_.views)
      if (o_.tables.empty() || any_glob_match(o_.tables, v.name))
        views.push_back(&v), known.insert(v.name), views_.insert(v.name);
    std::sort(views.begin(), views.end(), [](auto* a, auto* b) { return a->name < b->name; });
    for (const auto* v : views) {
      Tree entry = Tree::object();
      if (!v->comment.empty()) entry["description"] = v->comment;
      Tree deps = Tree::array();
      for (const auto& dep : v->depends_on)
        if (known.count(dep)) deps.push_back(dep);
      if (!deps.empty()) entry["depends_on"] = deps;
      std::string sql = trim(d_ == DialectId::tidb ? unqualified_view(v->sql, o_.database) : v->sql);
      while (!sql.empty() && sql.back() == ';') sql = trim(sql.substr(0, sql.size() - 1));
      entry["dialects"] = Tree::array({dialect_name(d_)});
      entry["sql"] = Tree{{dialect_name(d_), sql + "\n"}};
      if (v->materialized && !v->indexes.empty()) {
        schema::Table as_table;
        as_table.name = v->name;
        as_table.indexes = v->indexes;
        TableReading r = read_table(s_, as_table, false, enums_);
        for (auto& p : r.problems) out_.problems.push_back(std::move(p));
        if (r.body.contains("indexes")) entry["indexes"] = r.body["indexes"];
      }
      Entity& e = objects();
      (v->materialized ? e.materialized : e.views)[v->name] = entry;
    }
  }

  void add_functions() {
    std::vector<const schema::Function*> fns;
    for (const auto& f : s_.functions)
      if (o_.tables.empty() || any_glob_match(o_.tables, f.name)) fns.push_back(&f);
    std::stable_sort(fns.begin(), fns.end(), [](auto* a, auto* b) { return a->name < b->name; });
    std::set<std::string> seen;
    for (const auto* f : fns) {
      Entity& e = objects();
      std::string what = "function " + f->name + "(" + f->arguments + ")";
      if (f->language != "plpgsql" && f->language != "sql") {
        e.notes.push_back(what + " is written in " + f->language +
                          ": not expressed (the registry holds plpgsql and sql)");
        continue;
      }
      if (!seen.insert(f->name).second) {
        e.notes.push_back(what + " overloads a function of the same name: not expressed (one function per name)");
        continue;
      }
      Tree entry = Tree::object();
      if (!f->comment.empty()) entry["description"] = f->comment;
      entry["dialects"] = Tree::array({dialect_name(d_)});
      entry["language"] = f->language;
      if (!f->arguments.empty()) entry["arguments"] = f->arguments;
      entry["returns"] = f->returns;
      if (f->volatility != "VOLATILE") entry["volatility"] = to_lower(f->volatility);
      entry["body"] = f->body;  // prosrc exactly: install writes it back between the quotes unchanged
      e.functions[f->name] = entry;
    }
  }

  // What the catalog read as refused, for the tables and views written (an external table is only
  // referenced: its own options do not matter here).
  void refuse() {
    std::vector<std::string> lines;
    for (const auto& r : s_.refused)
      if (selected_.count(r.owner) || views_.count(r.owner))
        lines.push_back(r.what + " " + r.reason + ", which the registry cannot express");
    std::sort(lines.begin(), lines.end());
    for (auto& l : lines) out_.problems.push_back(std::move(l));
  }

  void registry_notes() {
    for (const auto& q : s_.sequences)
      if (q.owner_table.empty())
        registry_notes_.push_back("sequence " + q.name + " (" + q.type + ", start " + q.start + ", increment " +
                                  q.increment + ") is owned by no column: not expressed");
    for (const auto& sk : s_.skipped) registry_notes_.push_back(sk.what + ": not expressed (" + sk.reason + ")");
  }

  void finish() {
    RegistryFile reg;
    reg.path = "registry.yaml";
    reg.notes = registry_notes_;
    reg.body["registry"] = identifier(o_.registry_name);
    reg.body["description"] =
        "Read from the " + dialect_name(d_) + " database " + o_.registry_name + " by schemactl inspect.";
    if (d_ == DialectId::postgres && s_.pg_schema != "public") reg.body["postgres"] = Tree{{"schema", s_.pg_schema}};
    if (d_ == DialectId::tidb) reg.body["tidb"] = Tree{{"charset", s_.tidb_charset}, {"collation", s_.tidb_collation}};
    if (!s_.extensions.empty()) {
      Tree ext = Tree::object();
      for (const auto& x : s_.extensions) {
        Tree entry{{"dialects", Tree::array({dialect_name(d_)})}};
        if (!x.comment.empty()) entry["description"] = x.comment;
        ext[x.name] = entry;
      }
      reg.body["extensions"] = ext;
    }
    out_.document.files.push_back(reg);
    std::vector<RegistryFile> files;
    for (auto& [name, e] : entities_) {
      RegistryFile f;
      f.path = e.file;
      f.notes = e.notes;
      f.body["entity"] = e.name;
      if (!e.enums.empty()) f.body["enums"] = e.enums;
      if (!e.tables.empty()) f.body["tables"] = e.tables;
      if (!e.views.empty()) f.body["views"] = e.views;
      if (!e.materialized.empty()) f.body["materialized_views"] = e.materialized;
      if (!e.functions.empty()) f.body["functions"] = e.functions;
      files.push_back(std::move(f));
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    for (auto& f : files) out_.document.files.push_back(std::move(f));
  }

  const schema::Schema& s_;
  const BuildOptions& o_;
  DialectId d_;
  std::set<std::string> enums_, selected_, external_, views_, files_{"registry.yaml"}, table_entities_;
  std::map<std::string, Entity> entities_;
  std::map<std::string, std::string> enum_home_;  // enum type -> entity of the first table using it
  std::vector<std::string> registry_notes_;
  Built out_;
};

}  // namespace

Built build_registry(const schema::Schema& s, const BuildOptions& options) {
  return Builder(s, options).run();
}

}  // namespace schemactl::inspect
