#include "dialect/locks.hpp"

#include <pg_query.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "util/text.hpp"

namespace schemactl {
namespace {

using nlohmann::json;

// Postgres's lock modes, weakest first.
const std::vector<std::string> kModes = {
    "ACCESS SHARE", "ROW SHARE",           "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
    "SHARE",        "SHARE ROW EXCLUSIVE", "EXCLUSIVE",     "ACCESS EXCLUSIVE"};
int rank(const std::string& mode) {
  return static_cast<int>(std::find(kModes.begin(), kModes.end(), mode) - kModes.begin());
}

LockImpact impact(std::string table, std::string lock, Work work, std::string what) {
  LockImpact li;
  li.table = std::move(table);
  li.lock = std::move(lock);
  li.work = work;
  li.what = std::move(what);
  return li;
}

std::string relation_name(const json& rel) {
  std::string schema = rel.value("schemaname", "");
  return (schema.empty() ? "" : schema + ".") + rel.value("relname", "");
}

std::string last_name(const json& names) {
  std::string out;
  if (names.is_array())
    for (const auto& n : names)
      if (n.contains("String")) out = n["String"].value("sval", "");
  return out;
}

// Defaults that PostgreSQL cannot store once for every row (11+): adding such a column rewrites.
bool volatile_default(const json& column_def) {
  static const std::vector<std::string> kVolatile = {
      "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval"};
  std::string type = last_name(column_def.value("typeName", json::object()).value("names", json::array()));
  if (type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" || type == "serial8")
    return true;
  for (const auto& c : column_def.value("constraints", json::array())) {
    const auto& k = c.value("Constraint", json::object());
    std::string t = k.value("contype", "");
    if (t == "CONSTR_IDENTITY" || t == "CONSTR_GENERATED") return true;
    if (t == "CONSTR_DEFAULT") {
      std::string expr = k.value("raw_expr", json::object()).dump();
      for (const auto& f : kVolatile)
        if (expr.find("\"sval\":\"" + f + "\"") != std::string::npos) return true;
    }
  }
  return false;
}

void alter_table(const json& stmt, std::vector<LockImpact>& out) {
  std::string table = relation_name(stmt.value("relation", json::object()));
  for (const auto& item : stmt.value("cmds", json::array())) {
    const auto& cmd = item.value("AlterTableCmd", json::object());
    std::string sub = cmd.value("subtype", "");
    std::string column = cmd.value("name", "");
    LockImpact li = impact(table, "ACCESS EXCLUSIVE", Work::catalog, "");
    if (sub == "AT_AddColumn") {
      const auto& def = cmd.value("def", json::object()).value("ColumnDef", json::object());
      li.what = "ADD COLUMN " + def.value("colname", "");
      if (volatile_default(def)) li.work = Work::rewrite;
    } else if (sub == "AT_AlterColumnType") {
      li.what = "ALTER COLUMN " + column + " TYPE";
      li.work = Work::rewrite;  // unless binary-compatible (binary_compatible(), with the old type)
      li.column = column;
      const auto& type =
          cmd.value("def", json::object()).value("ColumnDef", json::object()).value("typeName", json::object());
      li.new_type = last_name(type.value("names", json::array()));
      std::vector<std::string> mods;
      for (const auto& m : type.value("typmods", json::array()))
        if (m.contains("A_Const"))
          mods.push_back(std::to_string(m["A_Const"].value("ival", json::object()).value("ival", 0)));
      if (!mods.empty()) li.new_type += "(" + join(mods, ",") + ")";
    } else if (sub == "AT_SetNotNull") {
      li.what = "ALTER COLUMN " + column + " SET NOT NULL";
      li.work = Work::scan;
    } else if (sub == "AT_AddConstraint") {
      const auto& c = cmd.value("def", json::object()).value("Constraint", json::object());
      std::string type = c.value("contype", "");
      std::string name = c.value("conname", "");
      li.what = "ADD CONSTRAINT " + name;
      bool not_valid = c.value("skip_validation", false);
      if (type == "CONSTR_FOREIGN") {
        li.lock = "SHARE ROW EXCLUSIVE";
        li.work = not_valid ? Work::catalog : Work::scan;
        out.push_back(impact(relation_name(c.value("pktable", json::object())), "SHARE ROW EXCLUSIVE", Work::catalog,
                             "referenced by " + name));
      } else if (type == "CONSTR_CHECK") {
        li.work = not_valid ? Work::catalog : Work::scan;
      } else if (type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY" || type == "CONSTR_EXCLUSION") {
        li.work = c.contains("indexname") ? (type == "CONSTR_PRIMARY" ? Work::scan : Work::catalog) : Work::index_build;
      }
    } else if (sub == "AT_ValidateConstraint") {
      li.lock = "SHARE UPDATE EXCLUSIVE";
      li.what = "VALIDATE CONSTRAINT " + column;
      li.work = Work::scan;
    } else if (sub == "AT_SetStatistics" || sub == "AT_SetOptions" || sub == "AT_ResetOptions" ||
               sub == "AT_SetRelOptions" || sub == "AT_ResetRelOptions" || sub == "AT_ClusterOn") {
      li.lock = "SHARE UPDATE EXCLUSIVE";
      li.what = sub.substr(3);
    } else {
      li.what = sub.size() > 3 ? sub.substr(3) : sub;
    }
    out.push_back(li);
  }
}

void statement(const json& stmt, std::vector<LockImpact>& out);

// The DDL inside a DO block (the guarded forms migrations write): each ALTER TABLE / CREATE INDEX,
// cut at the first ';' that makes it parse.
void do_block(const json& stmt, std::vector<LockImpact>& out) {
  std::string body;
  for (const auto& a : stmt.value("args", json::array())) {
    const auto& d = a.value("DefElem", json::object());
    if (d.value("defname", "") == "as")
      body = d.value("arg", json::object()).value("String", json::object()).value("sval", "");
  }
  static const std::regex start("\\b(ALTER\\s+TABLE|CREATE\\s+(UNIQUE\\s+)?INDEX|DROP\\s+INDEX)\\b", std::regex::icase);
  for (auto it = std::sregex_iterator(body.begin(), body.end(), start); it != std::sregex_iterator(); ++it) {
    std::size_t from = static_cast<std::size_t>(it->position(0));
    for (std::size_t semi = body.find(';', from); semi != std::string::npos; semi = body.find(';', semi + 1)) {
      std::string piece = body.substr(from, semi - from);
      PgQueryParseResult r = pg_query_parse(piece.c_str());
      bool ok = !r.error && r.parse_tree;
      if (ok) {
        auto tree = json::parse(r.parse_tree, nullptr, false);
        for (const auto& s : tree.value("stmts", json::array())) statement(s.value("stmt", json::object()), out);
      }
      pg_query_free_parse_result(r);
      if (ok) break;
    }
  }
}

void statement(const json& stmt, std::vector<LockImpact>& out) {
  if (stmt.contains("AlterTableStmt")) {
    alter_table(stmt["AlterTableStmt"], out);
  } else if (stmt.contains("IndexStmt")) {
    const auto& ix = stmt["IndexStmt"];
    bool concurrent = ix.value("concurrent", false);
    out.push_back(impact(relation_name(ix.value("relation", json::object())),
                         concurrent ? "SHARE UPDATE EXCLUSIVE" : "SHARE", Work::index_build,
                         "CREATE INDEX " + ix.value("idxname", "")));
  } else if (stmt.contains("DropStmt")) {
    const auto& d = stmt["DropStmt"];
    std::string type = d.value("removeType", "");
    if (type != "OBJECT_INDEX" && type != "OBJECT_TABLE") return;
    for (const auto& o : d.value("objects", json::array())) {
      std::string name;
      for (const auto& part : o.value("List", json::object()).value("items", json::array()))
        name += (name.empty() ? "" : ".") + part.value("String", json::object()).value("sval", "");
      bool concurrent = d.value("concurrent", false);
      out.push_back(impact(name, concurrent ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE", Work::catalog,
                           type == "OBJECT_INDEX" ? "DROP INDEX (locks its table)" : "DROP TABLE"));
    }
  } else if (stmt.contains("RenameStmt")) {
    const auto& r = stmt["RenameStmt"];
    if (r.contains("relation"))
      out.push_back(impact(relation_name(r["relation"]), "ACCESS EXCLUSIVE", Work::catalog, "RENAME"));
  } else if (stmt.contains("DoStmt")) {
    do_block(stmt["DoStmt"], out);
  }
}

}  // namespace

namespace {

// "character varying(20)" / "varchar(20)" -> {"varchar", {20}}; "numeric(12,2)" -> {"numeric", {12, 2}}.
std::pair<std::string, std::vector<int>> type_parts(const std::string& spelled) {
  std::string t = to_lower(trim(spelled));
  std::vector<int> mods;
  auto open = t.find('(');
  if (open != std::string::npos) {
    std::string inside =
        t.substr(open + 1, t.find(')') == std::string::npos ? std::string::npos : t.find(')') - open - 1);
    std::size_t start = 0;
    while (start < inside.size()) {
      auto comma = inside.find(',', start);
      try {
        mods.push_back(std::stoi(inside.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      } catch (...) {
        return {"?", {}};
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    t = trim(t.substr(0, open));
  }
  if (t == "character varying") t = "varchar";
  return {t, mods};
}

}  // namespace

bool binary_compatible(const std::string& old_type, const std::string& new_type) {
  auto [from, fm] = type_parts(old_type);
  auto [to, tm] = type_parts(new_type);
  if (from == "varchar" && to == "text") return true;
  if ((from == "varchar" || from == "text") && to == "varchar" && tm.empty()) return true;
  if (from == "varchar" && to == "varchar") return !fm.empty() && !tm.empty() && tm[0] >= fm[0];
  if (from == "numeric" && to == "numeric")
    return tm.empty() || (fm.size() == 2 && tm.size() == 2 && fm[1] == tm[1] && tm[0] >= fm[0]);
  return false;
}

bool LockImpact::blocks_writes() const {
  return rank(lock) >= rank("SHARE") && rank(lock) < static_cast<int>(kModes.size());
}
bool LockImpact::blocks_reads() const {
  return lock == "ACCESS EXCLUSIVE";
}

std::string LockImpact::describe() const {
  static const char* kWork[] = {"", ": scans the table", ": rewrites the table", ": builds an index"};
  return lock + " on " + table + " (" + what + ")" + kWork[static_cast<int>(work)];
}

std::vector<LockImpact> lock_impact(DialectId dialect, const std::string& sql) {
  std::vector<LockImpact> out;
  if (dialect != DialectId::postgres) return out;
  PgQueryParseResult r = pg_query_parse(sql.c_str());
  if (!r.error && r.parse_tree) {
    auto tree = json::parse(r.parse_tree, nullptr, false);
    if (tree.is_object())
      for (const auto& s : tree.value("stmts", json::array())) statement(s.value("stmt", json::object()), out);
  }
  pg_query_free_parse_result(r);
  return out;
}

}  // namespace schemactl
