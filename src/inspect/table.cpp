#include "inspect/table.hpp"

#include <algorithm>

#include "dialect/dialect.hpp"
#include "inspect/check.hpp"
#include "inspect/column_default.hpp"
#include "inspect/column_type.hpp"
#include "lower/names.hpp"
#include "registry/model.hpp"
#include "registry/types.hpp"
#include "schema/names.hpp"
#include "util/text.hpp"

namespace schemactl::inspect {
namespace {

DialectId other(DialectId d) {
  return d == DialectId::postgres ? DialectId::tidb : DialectId::postgres;
}

Tree only_here(DialectId d) {
  return Tree::array({dialect_name(d)});
}

Tree names(const std::vector<std::string>& v) {
  Tree out = Tree::array();
  for (const auto& s : v) out.push_back(s);
  return out;
}

std::string action(const std::string& a) {
  return to_lower(a);
}

// A logical type as the other dialect lowers it (for its key, index and default rules).
std::string other_sql_type(DialectId inspected, const std::string& logical) {
  std::string error;
  auto t = registry::parse_logical_type(logical, error);
  if (!t) return "TEXT";
  registry::Registry empty;
  return dialect_for(other(inspected)).sql_type(*t, empty);
}

// TiDB/MySQL types that take no plain literal default and no key without a prefix.
bool long_on_tidb(const std::string& sql_type) {
  std::string t = to_upper(sql_type);
  for (const char* p : {"TEXT", "BLOB", "JSON", "LONGBLOB", "LONGTEXT", "MEDIUMTEXT", "TINYTEXT"})
    if (starts_with(t, p)) return true;
  return false;
}

// A Postgres check definition "CHECK ((a > 0))" -> "(a > 0)"; `not_valid` when it is NOT VALID.
std::string check_body(const std::string& def, bool& not_valid) {
  std::string d = trim(def);
  not_valid = false;
  if (d.size() > 10 && d.compare(d.size() - 10, 10, " NOT VALID") == 0) {
    not_valid = true;
    d = trim(d.substr(0, d.size() - 10));
  }
  if (starts_with(d, "CHECK (") && d.back() == ')') return trim(d.substr(7, d.size() - 8));
  return d;
}

class TableReader {
 public:
  TableReader(const schema::Schema& s, const schema::Table& t, bool external, const std::set<std::string>& enums)
      : s_(s), t_(t), d_(s.dialect), external_(external), enums_(enums) {}

  TableReading run() {
    if (!t_.comment.empty()) out_.body["description"] = t_.comment;
    if (external_) out_.body["external"] = true;
    pk_ = t_.primary_key ? t_.primary_key->columns : std::vector<std::string>{};
    if (!external_) collect_constraints();
    Tree columns = Tree::object();
    for (const auto& c : t_.columns) columns[c.name] = column(c);
    out_.body["columns"] = columns;
    if (external_) return std::move(out_);
    if (pk_.size() > 1) out_.body["primary_key"] = names(pk_);
    if (t_.primary_key && d_ == DialectId::postgres && t_.primary_key->name != lower::primary_key_name(t_.name))
      out_.notes.push_back("table " + t_.name + ": its primary key is named " + t_.primary_key->name +
                           "; the registry names it " + lower::primary_key_name(t_.name));
    if (!uniques_.empty()) out_.body["unique"] = uniques_;
    if (!checks_.empty()) out_.body["checks"] = checks_;
    if (!fks_.empty()) out_.body["foreign_keys"] = fks_;
    Tree indexes = read_indexes();
    if (!indexes.empty()) out_.body["indexes"] = indexes;
    Tree exclusions = read_exclusions();
    if (!exclusions.empty()) out_.body["exclusions"] = exclusions;
    return std::move(out_);
  }

 private:
  bool in_pk(const std::string& c) const { return std::find(pk_.begin(), pk_.end(), c) != pk_.end(); }

  // Sorts the table's constraints into column-level and table-level entries.
  void collect_constraints() {
    uniques_ = Tree::array();
    checks_ = Tree::array();
    fks_ = Tree::array();
    // MariaDB makes a JSON column LONGTEXT with a json_valid() check named after it.
    for (const auto& c : t_.checks)
      if (d_ == DialectId::tidb && t_.column(c.name) && c.expr == "json_valid(`" + c.name + "`)")
        json_columns_.insert(c.name);
    std::vector<schema::Unique> uniques = t_.uniques;
    if (d_ == DialectId::tidb) {
      // The MySQL family lists unique constraints as unique indexes: plain ones are read as such.
      for (const auto& ix : t_.indexes) {
        bool plain = ix.unique && ix.catalog.kind != "FULLTEXT" && ix.catalog.kind != "SPATIAL";
        std::vector<std::string> cols;
        for (const auto& k : ix.catalog.keys) {
          if (k.expression || k.prefix || !k.order.empty()) plain = false;
          cols.push_back(k.text);
        }
        if (plain) {
          uniques.push_back({ix.name, cols});
          unique_indexes_.insert(ix.name);
        }
      }
    }
    std::sort(uniques.begin(), uniques.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& u : uniques) {
      bool implicit = u.name == lower::unique_name(t_.name, u.columns);
      bool here_only = false;
      if (d_ == DialectId::postgres)
        for (const auto& c : u.columns)
          if (const auto* col = t_.column(c); col && long_on_tidb(other_sql_type(d_, logical_of(*col))))
            here_only = true;
      if (u.columns.size() == 1 && !here_only && !column_unique_.count(u.columns[0])) {
        column_unique_[u.columns[0]] = implicit ? std::string() : u.name;
        continue;
      }
      Tree entry{{"columns", names(u.columns)}};
      if (!implicit) entry["name"] = u.name;
      if (here_only) entry["dialects"] = only_here(d_);
      uniques_.push_back(entry);
    }
    std::vector<schema::Check> checks = t_.checks;
    std::sort(checks.begin(), checks.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    int unnamed = 0;
    for (const auto& c : checks) {
      if (json_columns_.count(c.name) && c.expr == "json_valid(`" + c.name + "`)") continue;
      bool not_valid = false;
      std::string expr = d_ == DialectId::postgres ? check_body(c.expr, not_valid) : trim(c.expr);
      if (not_valid)
        out_.notes.push_back("check " + c.name + " on " + t_.name +
                             " is NOT VALID in the database; the registry's install validates it");
      CheckReading reading = read_check(d_, expr, t_);
      // A check named <table>_<column>_check belongs to that column.
      std::string column;
      for (const auto& col : t_.columns)
        if (c.name == lower::column_check_name(t_.name, col.name) && !column_check_.count(col.name) &&
            (reading.column.empty() || reading.column == col.name))
          column = col.name;
      if (!column.empty()) {
        column_check_[column] = reading.body;
        continue;
      }
      Tree named = Tree::object();
      if (reading.column.empty() && c.name == lower::table_check_name(t_.name, unnamed + 1))
        ++unnamed;
      else
        named["name"] = c.name;
      if (!reading.column.empty()) named["column"] = reading.column;
      named.update(reading.body);
      checks_.push_back(named);
    }
    std::vector<schema::ForeignKey> fks = t_.foreign_keys;
    std::sort(fks.begin(), fks.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& fk : fks) {
      fk_names_.insert(fk.name);
      bool implicit = fk.name == lower::foreign_key_name(t_.name, fk.columns);
      if (fk.columns.size() == 1 && !column_fk_.count(fk.columns[0])) {
        Tree ref{{"table", fk.ref_table}, {"column", fk.ref_columns.at(0)}};
        if (!fk.on_delete.empty()) ref["on_delete"] = action(fk.on_delete);
        if (!fk.on_update.empty()) ref["on_update"] = action(fk.on_update);
        if (!implicit) ref["name"] = fk.name;
        column_fk_[fk.columns[0]] = ref;
        continue;
      }
      Tree entry = Tree::object();
      if (!implicit) entry["name"] = fk.name;
      entry["columns"] = names(fk.columns);
      entry["references"] = Tree{{"table", fk.ref_table}, {"columns", names(fk.ref_columns)}};
      if (!fk.on_delete.empty()) entry["on_delete"] = action(fk.on_delete);
      if (!fk.on_update.empty()) entry["on_update"] = action(fk.on_update);
      fks_.push_back(entry);
    }
  }

  bool serial(const schema::Column& c) const {
    if (d_ == DialectId::tidb) return c.auto_increment;
    if (!c.identity.empty()) return c.type == "integer" || c.type == "bigint";
    return !c.sequence.empty() && c.default_sql == "nextval('" + quoted_regclass(c.sequence) + "'::regclass)" &&
           (c.type == "integer" || c.type == "bigint");
  }

  // How nextval() names a sequence of this schema: quoted where needed, qualified outside public.
  std::string quoted_regclass(const std::string& seq) const {
    std::string q = dialect_for(d_).quote(seq);
    return s_.pg_schema == "public" ? q : dialect_for(d_).quote(s_.pg_schema) + "." + q;
  }

  std::string logical_of(const schema::Column& c) const {
    if (json_columns_.count(c.name)) return "json";
    std::vector<std::string> values;
    if (d_ == DialectId::tidb && parse_mysql_enum(c.type, values)) return "enum(" + t_.name + "_" + c.name + ")";
    return read_column_type(d_, c.type, enums_, serial(c)).logical;
  }

  Tree column(const schema::Column& c) {
    Tree out = Tree::object();
    Tree override = Tree::object();
    bool is_serial = serial(c);
    std::vector<std::string> enum_values;
    ColumnType type;
    if (json_columns_.count(c.name) && to_lower(c.type) == "longtext") {
      type = {"json", ""};
    } else if (d_ == DialectId::tidb && parse_mysql_enum(c.type, enum_values)) {
      std::string name = t_.name + "_" + c.name;
      type = {"enum(" + name + ")", ""};
      out_.enums[name] = enum_values;
    } else {
      type = read_column_type(d_, c.type, enums_, is_serial);
    }
    if (d_ == DialectId::postgres && !c.identity.empty())
      type.override = c.type + " GENERATED " + c.identity + " AS IDENTITY";
    out["type"] = type.logical;
    if (!type.override.empty()) override["type"] = type.override;
    if (!c.nullable && !in_pk(c.name)) out["nullable"] = false;
    if (pk_.size() == 1 && pk_[0] == c.name) out["primary_key"] = true;
    if (auto u = column_unique_.find(c.name); u != column_unique_.end())
      out["unique"] = u->second.empty() ? Tree(true) : Tree{{"name", u->second}};
    if (!is_serial && !(d_ == DialectId::postgres && !c.identity.empty())) read_default(c, type, out, override);
    if (is_serial && d_ == DialectId::postgres && c.identity.empty()) note_sequence(c);
    if (d_ == DialectId::postgres && !c.identity.empty()) note_identity_sequence(c);
    if (auto ch = column_check_.find(c.name); ch != column_check_.end()) out["check"] = ch->second;
    if (auto f = column_fk_.find(c.name); f != column_fk_.end()) out["references"] = f->second;
    if (!c.comment.empty()) out["description"] = c.comment;
    // The catalog reader keeps only ON UPDATE CURRENT_TIMESTAMP[(n)] (anything else is refused), and the
    // registry's `now` takes the column's precision, as the server requires.
    if (!c.on_update.empty()) override["on_update"] = "now";
    if (!override.empty()) out[dialect_name(d_)] = override;
    // TiDB keys no TEXT/BLOB column without a prefix: a key column gets a type TiDB can key.
    if (d_ == DialectId::postgres && in_pk(c.name) && long_on_tidb(other_sql_type(d_, type.logical))) {
      out["tidb"] = Tree{{"type", "VARCHAR(255)"}};
      out_.notes.push_back("primary-key column " + t_.name + "." + c.name + " is " + c.type +
                           "; TiDB cannot key that type, so the registry gives it VARCHAR(255) on TiDB");
    }
    if (d_ == DialectId::tidb && c.auto_increment && !is_serial)
      out_.problems.push_back("column " + t_.name + "." + c.name + " is AUTO_INCREMENT but " + c.type +
                              " is no integer type the registry can make a serial column");
    return out;
  }

  void read_default(const schema::Column& c, const ColumnType& type, Tree& out, Tree& override) {
    ColumnDefault def = read_column_default(d_, c.default_sql, type.logical, c.type);
    if (def.kind == ColumnDefault::Kind::none) return;
    std::string here = dialect_name(d_);
    if (def.kind == ColumnDefault::Kind::sql) {
      override["default"] = Tree{{"sql", def.value["sql"][here]}};
      return;
    }
    // A column whose type has an override keeps its default with it (the logical type's default
    // might not fit the other dialect's mapping).
    bool literal = def.kind == ColumnDefault::Kind::literal;
    bool long_here = d_ == DialectId::tidb && long_on_tidb(c.type);
    bool long_there = d_ == DialectId::postgres && long_on_tidb(other_sql_type(d_, type.logical));
    if (literal && long_here) {
      override["default"] = Tree{{"sql", c.default_sql}};  // TiDB takes no literal default on TEXT/BLOB
      return;
    }
    if ((literal && long_there) || !type.override.empty()) {
      override["default"] = def.value;
      return;
    }
    out["default"] = def.value;
  }

  // A sequence with the options CREATE SEQUENCE gives one of its type.
  static bool plain_sequence(const schema::Sequence& q) {
    std::string max = q.type == "smallint" ? "32767" : q.type == "integer" ? "2147483647" : "9223372036854775807";
    return q.start == "1" && q.increment == "1" && q.min == "1" && q.max == max && q.cache == "1" && !q.cycle;
  }

  static std::string sequence_options(const schema::Sequence& q) {
    return "start " + q.start + ", increment " + q.increment + ", min " + q.min + ", max " + q.max + ", cache " +
           q.cache + (q.cycle ? ", cycle" : "");
  }

  // An identity column's sequence: the registry's override says ALWAYS or BY DEFAULT, never the
  // sequence options, so install.sql starts it at 1 by 1.
  void note_identity_sequence(const schema::Column& c) {
    for (const auto& q : s_.sequences)
      if (q.owner_kind == "identity" && q.owner_table == t_.name && q.owner_column == c.name && !plain_sequence(q))
        out_.notes.push_back("the identity sequence of " + t_.name + "." + c.name + " (" + sequence_options(q) +
                             ") is not expressed: the registry's identity columns take the default options "
                             "(start 1, increment 1)");
  }

  void note_sequence(const schema::Column& c) {
    for (const auto& q : s_.sequences) {
      if (q.name != c.sequence) continue;
      bool plain = plain_sequence(q);
      if (q.name != schema::sequence_name(t_.name, c.name))
        out_.notes.push_back("serial column " + t_.name + "." + c.name + " uses the sequence " + q.name +
                             "; the registry's install names it " + schema::sequence_name(t_.name, c.name));
      if (!plain)
        out_.notes.push_back("sequence " + q.name + " of " + t_.name + "." + c.name + " (" + sequence_options(q) +
                             ") is not expressed: the registry's serial columns take the default options");
    }
  }

  // The other dialect's view of this table, for its index rules.
  schema::Table other_table() const {
    schema::Table out;
    out.name = t_.name;
    for (const auto& c : t_.columns) {
      schema::Column oc = c;
      oc.type = other_sql_type(d_, logical_of(c));
      out.columns.push_back(oc);
    }
    return out;
  }

  Tree read_indexes() {
    Tree out = Tree::array();
    std::vector<const schema::Index*> indexes;
    for (const auto& ix : t_.indexes) indexes.push_back(&ix);
    std::sort(indexes.begin(), indexes.end(), [](auto* a, auto* b) { return a->name < b->name; });
    schema::Table there = other_table();
    static const std::vector<std::string> kMethods = {"btree", "gin", "gist", "ivfflat", "hnsw", "hash", "brin"};
    for (const auto* ix : indexes) {
      if (unique_indexes_.count(ix->name)) continue;
      const schema::CatalogIndex& ci = ix->catalog;
      std::vector<std::string> key_columns;
      for (const auto& k : ci.keys) key_columns.push_back(k.text);
      // The index the MySQL family made for a foreign key is made again with the key.
      if (d_ == DialectId::tidb && fk_names_.count(ix->name)) {
        bool same = false;
        for (const auto& fk : t_.foreign_keys)
          if (fk.name == ix->name && fk.columns == key_columns) same = true;
        if (same) continue;
      }
      std::string what = "index " + ix->name + " on " + t_.name;
      std::string method = d_ == DialectId::postgres ? ix->method : to_lower(ci.kind);
      if (method == "btree" || (d_ == DialectId::tidb && method.empty())) method.clear();
      if (!method.empty() && std::find(kMethods.begin(), kMethods.end(), method) == kMethods.end()) {
        out_.problems.push_back(what + " is a " + (d_ == DialectId::postgres ? method : ci.kind) +
                                " index, which the registry cannot express");
        continue;
      }
      if (d_ == DialectId::tidb && method == "hash") method.clear();  // InnoDB makes BTREE of HASH
      Tree cols = Tree::array();
      std::vector<std::string> parts;
      schema::Index lowered;  // the same index as the registry would lower it, for the other dialect's rules
      lowered.name = ix->name;
      lowered.table = t_.name;
      lowered.unique = ix->unique;
      lowered.method = method;
      lowered.where = ci.where;
      lowered.include = ci.include;
      lowered.with = ci.with;
      for (const auto& k : ci.keys) {
        parts.push_back(k.expression ? "expr" : k.text);
        lowered.keys.push_back(k);
        if (!k.expression && k.opclass.empty() && k.order.empty() && k.nulls.empty() && k.prefix == 0) {
          cols.push_back(k.text);
          continue;
        }
        Tree key = Tree::object();
        key[k.expression ? "expression" : "column"] = k.text;
        if (!k.order.empty()) key["order"] = to_lower(k.order);
        if (!k.nulls.empty()) key["nulls"] = to_lower(k.nulls);
        if (!k.opclass.empty()) key["opclass"] = k.opclass;
        if (k.prefix) key["prefix"] = number(std::to_string(k.prefix));
        cols.push_back(key);
      }
      if (ci.keys.empty()) {
        out_.problems.push_back(what + " has no keys the catalog lists");
        continue;
      }
      Tree entry = Tree::object();
      if (ix->name != lower::index_name(t_.name, parts)) entry["name"] = ix->name;
      entry["columns"] = cols;
      if (ix->unique) entry["unique"] = true;
      if (!method.empty()) entry["method"] = method;
      if (!ci.where.empty()) entry["where"] = ci.where;
      if (!ci.include.empty()) entry["include"] = names(ci.include);
      if (!ci.with.empty()) {
        Tree with = Tree::object();
        for (const auto& [k, v] : ci.with) {
          bool numeric = !v.empty() && std::all_of(v.begin(), v.end(), [](char ch) { return std::isdigit(ch); });
          with[k] = numeric ? number(v) : Tree(v);
        }
        entry["with"] = with;
      }
      if (d_ == DialectId::postgres && !dialect_for(DialectId::tidb).adapt_index(lowered, there).empty())
        entry["dialects"] = only_here(d_);
      out.push_back(entry);
    }
    return out;
  }

  Tree read_exclusions() {
    Tree out = Tree::array();
    std::vector<const schema::Exclusion*> xs;
    for (const auto& x : t_.exclusions) xs.push_back(&x);
    std::sort(xs.begin(), xs.end(), [](auto* a, auto* b) { return a->name < b->name; });
    for (const auto* x : xs) {
      Tree elements = Tree::array();
      std::vector<std::string> parts;
      for (const auto& e : x->catalog.elements) {
        parts.push_back(e.expression ? "expr" : e.text);
        elements.push_back(Tree{{e.expression ? "expression" : "column", e.text}, {"operator", e.op}});
      }
      if (x->catalog.elements.empty() || x->catalog.method.empty()) {
        out_.problems.push_back("exclusion constraint " + x->name + " on " + t_.name +
                                ": the catalog does not list its elements");
        continue;
      }
      Tree entry = Tree::object();
      if (x->name != lower::exclusion_name(t_.name, parts)) entry["name"] = x->name;
      if (x->catalog.method != "gist") entry["method"] = x->catalog.method;
      entry["elements"] = elements;
      if (!x->catalog.where.empty()) entry["where"] = x->catalog.where;
      entry["dialects"] = only_here(d_);
      out.push_back(entry);
    }
    return out;
  }

  const schema::Schema& s_;
  const schema::Table& t_;
  DialectId d_;
  bool external_;
  const std::set<std::string>& enums_;
  std::vector<std::string> pk_;
  TableReading out_;
  Tree uniques_, checks_, fks_;
  std::map<std::string, std::string> column_unique_;  // column -> name ("" implicit)
  std::map<std::string, Tree> column_check_, column_fk_;
  std::set<std::string> json_columns_, unique_indexes_, fk_names_;
};

}  // namespace

TableReading read_table(const schema::Schema& s, const schema::Table& t, bool external,
                        const std::set<std::string>& enums) {
  return TableReader(s, t, external, enums).run();
}

}  // namespace schemactl::inspect
