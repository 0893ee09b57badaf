// TiDB / MySQL family: whether a DDL statement that was in flight took effect, read from
// information_schema. DDL commits on its own there, so this is how a resumed run avoids running a
// committed statement twice. Recognised: CREATE/DROP TABLE, VIEW and INDEX, RENAME TABLE, and
// ALTER TABLE with one ADD/DROP/RENAME/MODIFY/CHANGE/ALTER COLUMN clause; anything else is unknown.
#include "dialect/effect.hpp"

#include <cctype>

#include "util/text.hpp"

namespace schemactl {
namespace {

struct Token {
  std::string text;   // identifiers unquoted; words as written
  bool word = false;  // a bare word or a quoted identifier
  bool quoted = false;
  std::string upper() const { return quoted ? std::string() : to_upper(text); }
};

// Words, `quoted` identifiers, strings (kept whole, as one non-word token) and single characters;
// comments skipped.
std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  std::size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (s.compare(i, 2, "/*") == 0) {
      auto e = s.find("*/", i + 2);
      i = e == std::string::npos ? n : e + 2;
    } else if (c == '#' ||
               (s.compare(i, 2, "--") == 0 && (i + 2 >= n || std::isspace(static_cast<unsigned char>(s[i + 2]))))) {
      auto e = s.find('\n', i);
      i = e == std::string::npos ? n : e + 1;
    } else if (c == '`') {
      std::string name;
      ++i;
      while (i < n) {
        if (s[i] == '`') {
          if (i + 1 < n && s[i + 1] == '`') {
            name += '`';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        name += s[i++];
      }
      out.push_back({name, true, true});
    } else if (c == '\'' || c == '"') {
      std::size_t start = i++;
      while (i < n && s[i] != static_cast<char>(c)) i += s[i] == '\\' ? 2 : 1;
      i = std::min(n, i + 1);
      out.push_back({s.substr(start, i - start), false, false});
    } else if (std::isalnum(c) || c == '_' || c == '$') {
      std::size_t start = i;
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$')) ++i;
      out.push_back({s.substr(start, i - start), true, false});
    } else {
      out.push_back({std::string(1, s[i]), false, false});
      ++i;
    }
  }
  return out;
}

class Probe {
 public:
  Probe(db::Connection& conn, std::vector<Token> t) : conn_(conn), t_(std::move(t)) {}

  EffectProbe run() {
    if (peek("SET")) return {Effect::repeatable, "a session setting"};
    if (accept("CREATE")) return create();
    if (accept("DROP")) return drop();
    if (accept("RENAME")) {
      if (!accept("TABLE")) return unknown();
      std::string from = table_name(), to;
      if (!accept("TO") || (to = table_name()).empty() || !at_end()) return unknown();
      return rename_table(from, to);
    }
    if (accept("ALTER")) {
      accept("ONLINE");
      accept("IGNORE");
      if (!accept("TABLE")) return unknown();
      std::string table = table_name();
      if (table.empty()) return unknown();
      if (top_level_comma()) return {Effect::unknown, "an ALTER TABLE with several clauses"};
      return alter(table);
    }
    return unknown();
  }

 private:
  db::Connection& conn_;
  std::vector<Token> t_;
  std::size_t i_ = 0;

  static EffectProbe unknown() { return {Effect::unknown, "the catalog cannot tell whether this statement ran"}; }
  bool at_end() const { return i_ >= t_.size() || (t_[i_].text == ";" && i_ + 1 == t_.size()); }
  bool peek(const char* w) const { return i_ < t_.size() && t_[i_].upper() == w; }
  bool accept(const char* w) {
    if (!peek(w)) return false;
    ++i_;
    return true;
  }
  bool accept_all(std::initializer_list<const char*> ws) {
    std::size_t save = i_;
    for (const char* w : ws)
      if (!accept(w)) {
        i_ = save;
        return false;
      }
    return true;
  }
  std::string name() {
    if (i_ < t_.size() && t_[i_].word) return t_[i_++].text;
    return "";
  }
  // [db.]table: the database part must be this connection's (or absent).
  std::string table_name() {
    std::string first = name();
    if (first.empty()) return "";
    if (i_ < t_.size() && t_[i_].text == ".") {
      ++i_;
      std::string second = name();
      if (second.empty() || first != current_database()) return "";
      return second;
    }
    return first;
  }
  bool top_level_comma() const {
    int depth = 0;
    for (std::size_t k = i_; k < t_.size(); ++k) {
      if (t_[k].text == "(") ++depth;
      if (t_[k].text == ")") --depth;
      if (t_[k].text == "," && depth == 0) return true;
    }
    return false;
  }

  std::string current_database() { return conn_.query("SELECT DATABASE()").at(0).at(0).value_or(""); }
  bool count(const std::string& sql, const std::vector<std::string>& params) {
    return conn_.query(sql, params).at(0).at(0).value_or("0") != "0";
  }
  bool table_exists(const std::string& t) {
    return count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
                 {t});
  }
  bool column_exists(const std::string& t, const std::string& c) {
    return count(
        "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? "
        "AND COLUMN_NAME = ?",
        {t, c});
  }
  bool index_exists(const std::string& t, const std::string& ix) {
    return count(
        "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
        "? AND INDEX_NAME = ?",
        {t, ix});
  }
  bool constraint_exists(const std::string& t, const std::string& c) {
    return count(
               "SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND "
               "TABLE_NAME = ? AND CONSTRAINT_NAME = ?",
               {t, c}) ||
           index_exists(t, c);
  }
  static EffectProbe present(bool yes, const std::string& what) {
    return yes ? EffectProbe{Effect::took_effect, what + " exists"}
               : EffectProbe{Effect::no_effect, what + " does not exist"};
  }
  static EffectProbe absent(bool exists, const std::string& what) {
    return exists ? EffectProbe{Effect::no_effect, what + " still exists"}
                  : EffectProbe{Effect::took_effect, what + " is gone"};
  }
  static EffectProbe renamed(bool from, bool to, const std::string& a, const std::string& b) {
    if (to && !from) return {Effect::took_effect, b + " exists and " + a + " is gone"};
    if (from && !to) return {Effect::no_effect, a + " still exists and " + b + " does not"};
    return {Effect::unknown, "both or neither of " + a + " and " + b + " exist"};
  }
  static EffectProbe repeatable(const std::string& why) { return {Effect::repeatable, why}; }

  EffectProbe rename_table(const std::string& from, const std::string& to) {
    return renamed(table_exists(from), table_exists(to), "table " + from, "table " + to);
  }

  EffectProbe create() {
    if (accept_all({"OR", "REPLACE"})) return repeatable("CREATE OR REPLACE");
    accept("UNIQUE") || accept("FULLTEXT") || accept("SPATIAL");
    if (accept("TABLE")) {
      if (accept_all({"IF", "NOT", "EXISTS"})) return repeatable("CREATE TABLE IF NOT EXISTS");
      std::string t = table_name();
      return t.empty() ? unknown() : present(table_exists(t), "table " + t);
    }
    if (accept("VIEW")) {
      std::string v = table_name();
      return v.empty() ? unknown() : present(table_exists(v), "view " + v);
    }
    if (accept("INDEX")) {
      if (accept_all({"IF", "NOT", "EXISTS"})) return repeatable("CREATE INDEX IF NOT EXISTS");
      std::string ix = name();
      if (ix.empty() || !accept("ON")) return unknown();
      std::string t = table_name();
      return t.empty() ? unknown() : present(index_exists(t, ix), "index " + ix + " on " + t);
    }
    return unknown();
  }

  EffectProbe drop() {
    bool view = false;
    if (accept("TABLE") || (view = accept("VIEW"))) {
      if (accept_all({"IF", "EXISTS"})) return repeatable("DROP ... IF EXISTS");
      std::string t = table_name();
      if (t.empty() || !at_end()) return unknown();
      return absent(table_exists(t), (view ? "view " : "table ") + t);
    }
    if (accept("INDEX")) {
      if (accept_all({"IF", "EXISTS"})) return repeatable("DROP INDEX IF EXISTS");
      std::string ix = name();
      if (ix.empty() || !accept("ON")) return unknown();
      std::string t = table_name();
      return t.empty() ? unknown() : absent(index_exists(t, ix), "index " + ix + " on " + t);
    }
    return unknown();
  }

  EffectProbe alter(const std::string& t) {
    if (accept("ADD")) {
      if (accept("CONSTRAINT")) {
        std::string c = peek("PRIMARY") || peek("UNIQUE") || peek("FOREIGN") || peek("CHECK") ? "" : name();
        if (c.empty()) return unknown();
        return present(constraint_exists(t, c), "constraint " + c + " on " + t);
      }
      if (accept("UNIQUE") || peek("INDEX") || peek("KEY")) {
        accept("INDEX") || accept("KEY");
        if (accept_all({"IF", "NOT", "EXISTS"})) return repeatable("ADD INDEX IF NOT EXISTS");
        std::string ix = name();
        if (ix.empty()) return unknown();
        return present(index_exists(t, ix), "index " + ix + " on " + t);
      }
      if (peek("PRIMARY") || peek("FOREIGN") || peek("CHECK") || peek("FULLTEXT") || peek("SPATIAL") ||
          peek("PARTITION"))
        return unknown();
      accept("COLUMN");
      if (accept_all({"IF", "NOT", "EXISTS"})) return repeatable("ADD COLUMN IF NOT EXISTS");
      if (peek("(")) return unknown();
      std::string c = name();
      return c.empty() ? unknown() : present(column_exists(t, c), "column " + t + "." + c);
    }
    if (accept("DROP")) {
      if (accept_all({"FOREIGN", "KEY"}) || accept("CONSTRAINT") || accept("CHECK")) {
        if (accept_all({"IF", "EXISTS"})) return repeatable("DROP ... IF EXISTS");
        std::string c = name();
        return c.empty() ? unknown() : absent(constraint_exists(t, c), "constraint " + c + " on " + t);
      }
      if (accept("INDEX") || accept("KEY")) {
        if (accept_all({"IF", "EXISTS"})) return repeatable("DROP INDEX IF EXISTS");
        std::string ix = name();
        return ix.empty() ? unknown() : absent(index_exists(t, ix), "index " + ix + " on " + t);
      }
      if (peek("PRIMARY") || peek("PARTITION")) return unknown();
      accept("COLUMN");
      if (accept_all({"IF", "EXISTS"})) return repeatable("DROP COLUMN IF EXISTS");
      std::string c = name();
      return c.empty() ? unknown() : absent(column_exists(t, c), "column " + t + "." + c);
    }
    if (accept("RENAME")) {
      if (accept("COLUMN")) {
        std::string a = name();
        if (a.empty() || !accept("TO")) return unknown();
        std::string b = name();
        if (b.empty()) return unknown();
        return renamed(column_exists(t, a), column_exists(t, b), "column " + t + "." + a, "column " + t + "." + b);
      }
      if (accept("INDEX") || accept("KEY")) {
        std::string a = name();
        if (a.empty() || !accept("TO")) return unknown();
        std::string b = name();
        if (b.empty()) return unknown();
        return renamed(index_exists(t, a), index_exists(t, b), "index " + a, "index " + b);
      }
      accept("TO") || accept("AS");
      std::string b = table_name();
      return b.empty() ? unknown() : rename_table(t, b);
    }
    if (accept("CHANGE")) {
      accept("COLUMN");
      std::string a = name(), b = name();
      if (a.empty() || b.empty()) return unknown();
      if (a == b) return repeatable("CHANGE without a rename sets the same definition again");
      return renamed(column_exists(t, a), column_exists(t, b), "column " + t + "." + a, "column " + t + "." + b);
    }
    if (accept("MODIFY")) return repeatable("MODIFY COLUMN sets the same definition again");
    if (accept("ALTER")) {
      accept("COLUMN");
      name();
      if (accept("SET") || accept("DROP")) return repeatable("ALTER COLUMN ... SET/DROP DEFAULT");
      return unknown();
    }
    if (accept("COMMENT")) return repeatable("a table comment");
    return unknown();
  }
};

// TiDB runs DDL as jobs that go on after the client is gone: while one for this database is still
// queued or running, nothing can be read from the catalog yet. (MariaDB and MySQL have no such
// jobs: their statement holds the migration lock until it ends.)
std::optional<std::string> running_ddl_job(db::Connection& conn) {
  try {
    for (const auto& r : conn.query("ADMIN SHOW DDL JOBS 30")) {
      // JOB_ID, DB_NAME, TABLE_NAME, JOB_TYPE, SCHEMA_STATE, SCHEMA_ID, TABLE_ID, ROW_COUNT, ..., STATE
      if (r.size() < 2 || r.back() == std::nullopt) continue;
      std::string state = to_lower(r.back().value_or(""));
      if (state == "synced" || state == "cancelled" || state == "done" || state == "rollback done") continue;
      return "DDL job " + r.at(0).value_or("?") + " (" + (r.size() > 3 ? r.at(3).value_or("") : "") + " on " +
             r.at(1).value_or("") + "." + (r.size() > 2 ? r.at(2).value_or("") : "") + ") is " + state;
    }
  } catch (const db::DbError&) {
    // Not TiDB: no DDL jobs.
  }
  return std::nullopt;
}

// The one table a data change writes: INSERT/REPLACE [modifiers] [INTO] t, UPDATE [modifiers] t,
// DELETE [modifiers] FROM t; empty for several tables (joins, lists) or anything else.
std::string dml_target(const std::vector<Token>& t, const std::string& database) {
  std::size_t i = 0;
  auto is = [&](const char* w) { return i < t.size() && t[i].upper() == w; };
  auto skip_modifiers = [&] {
    while (is("LOW_PRIORITY") || is("DELAYED") || is("HIGH_PRIORITY") || is("IGNORE") || is("QUICK")) ++i;
  };
  if (!is("INSERT") && !is("REPLACE") && !is("UPDATE") && !is("DELETE")) return "";
  bool update = is("UPDATE"), del = is("DELETE");
  ++i;
  skip_modifiers();
  if (del && !is("FROM")) return "";
  if (is("INTO") || is("FROM")) ++i;
  if (i >= t.size() || !t[i].word) return "";
  std::string name = t[i++].text;
  if (i + 1 < t.size() && t[i].text == ".") {
    if (name != database || !t[i + 1].word) return "";
    name = t[i + 1].text;
    i += 2;
  }
  for (std::size_t k = i; k < t.size(); ++k)
    if (t[k].upper() == "JOIN" || (update && t[k].text == "," && k == i) || (del && t[k].upper() == "USING")) return "";
  return name;
}

}  // namespace

bool detail::tidb_transactional_dml(db::Connection& conn, const std::string& sql) {
  auto tokens = tokenize(sql);
  if (!tokens.empty() && tokens[0].upper() == "SELECT") return true;  // writes nothing
  std::string database = conn.query("SELECT DATABASE()").at(0).at(0).value_or("");
  std::string table = dml_target(tokens, database);
  if (table.empty()) return false;
  auto r = conn.query("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
                      {table});
  return !r.empty() && to_lower(r[0][0].value_or("")) == "innodb";
}

EffectProbe detail::probe_tidb(db::Connection& conn, const std::string& sql) {
  if (auto job = running_ddl_job(conn))
    return {Effect::still_running, *job + "; wait for it (ADMIN SHOW DDL JOBS) and run again"};
  return Probe(conn, tokenize(sql)).run();
}

}  // namespace schemactl
