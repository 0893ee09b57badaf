#include "diff/differ.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "schema/order.hpp"

namespace schemactl::diff {
namespace {

using namespace schema;

bool same_column(const Column& a, const Column& b) {
  return a.type == b.type && a.nullable == b.nullable && a.default_sql == b.default_sql && a.on_update == b.on_update &&
         a.auto_increment == b.auto_increment && a.comment == b.comment;
}

bool same_key(const IndexKey& a, const IndexKey& b) {
  return a.text == b.text && a.expression == b.expression && a.opclass == b.opclass && a.order == b.order &&
         a.nulls == b.nulls && a.prefix == b.prefix;
}

bool same_index(const Index& a, const Index& b) {
  return a.unique == b.unique && a.method == b.method && a.where == b.where && a.include == b.include &&
         a.with == b.with && a.keys.size() == b.keys.size() &&
         std::equal(a.keys.begin(), a.keys.end(), b.keys.begin(), same_key);
}

bool same_constraint(const Constraint& a, const Constraint& b) {
  if (a.index() != b.index()) return false;
  if (auto* x = std::get_if<PrimaryKey>(&a)) return x->columns == std::get<PrimaryKey>(b).columns;
  if (auto* x = std::get_if<Unique>(&a)) return x->columns == std::get<Unique>(b).columns;
  if (auto* x = std::get_if<Check>(&a)) return x->expr == std::get<Check>(b).expr;
  if (auto* x = std::get_if<ForeignKey>(&a)) {
    const auto& y = std::get<ForeignKey>(b);
    return x->columns == y.columns && x->ref_table == y.ref_table && x->ref_columns == y.ref_columns &&
           x->on_delete == y.on_delete && x->on_update == y.on_update;
  }
  const auto& x = std::get<Exclusion>(a);
  const auto& y = std::get<Exclusion>(b);
  if (x.method != y.method || x.where != y.where || x.elements.size() != y.elements.size()) return false;
  for (std::size_t i = 0; i < x.elements.size(); ++i)
    if (x.elements[i].text != y.elements[i].text || x.elements[i].expression != y.elements[i].expression ||
        x.elements[i].op != y.elements[i].op)
      return false;
  return true;
}

bool same_view(const View& a, const View& b) {
  if (a.sql != b.sql || a.materialized != b.materialized || a.comment != b.comment ||
      a.indexes.size() != b.indexes.size())
    return false;
  for (std::size_t i = 0; i < a.indexes.size(); ++i)
    if (a.indexes[i].name != b.indexes[i].name || !same_index(a.indexes[i], b.indexes[i])) return false;
  return true;
}

class Differ {
 public:
  Differ(const Schema& from, const Schema& to, const Renames& renames) : from_(from), to_(to), renames_(renames) {}

  std::vector<Change> run() {
    if (from_.pg_schema != to_.pg_schema) out_.push_back(MoveSchema{from_.pg_schema, to_.pg_schema});
    diff_extensions();
    diff_enums();
    diff_tables();
    diff_functions();
    diff_views();
    return std::move(out_);
  }

 private:
  void diff_extensions() {
    for (const auto& e : to_.extensions) {
      const Extension* old = find_by_name(from_.extensions, e.name);
      if (!old)
        out_.push_back(CreateExtension{e});
      else if (old->comment != e.comment)
        out_.push_back(SetObjectComment{SetObjectComment::Kind::extension, e.name, old->comment, e.comment});
    }
    for (const auto& e : from_.extensions)
      if (!find_by_name(to_.extensions, e.name)) out_.push_back(DropExtension{e});
  }

  void diff_enums() {
    for (const auto& e : to_.enums) {
      const EnumType* old = find_by_name(from_.enums, e.name);
      if (!old) {
        out_.push_back(CreateEnum{e});
      } else if (old->values == e.values) {
        if (old->comment != e.comment)
          out_.push_back(SetObjectComment{SetObjectComment::Kind::enum_type, e.name, old->comment, e.comment});
      } else {
        // Values only added (old ones kept, in order): ALTER TYPE ... ADD VALUE. Otherwise recreate.
        std::vector<std::string> kept;
        for (const auto& v : e.values)
          if (std::find(old->values.begin(), old->values.end(), v) != old->values.end()) kept.push_back(v);
        if (kept == old->values) {
          out_.push_back(AddEnumValues{*old, e});
          if (old->comment != e.comment)
            out_.push_back(SetObjectComment{SetObjectComment::Kind::enum_type, e.name, old->comment, e.comment});
        } else {
          out_.push_back(DropEnum{*old});
          out_.push_back(CreateEnum{e});
        }
      }
    }
    for (const auto& e : from_.enums)
      if (!find_by_name(to_.enums, e.name)) out_.push_back(DropEnum{e});
  }

  void diff_tables() {
    std::map<std::string, const Table*> old_tables;
    for (const auto& t : from_.tables) old_tables[t.name] = &t;
    std::set<std::string> new_names;
    for (const auto& t : to_.tables) new_names.insert(t.name);
    // Declared table renames: the old table continues under its new name.
    std::map<std::string, std::string> renamed;  // new -> old
    for (const auto& t : to_.tables) {
      auto it = renames_.tables.find(t.name);
      if (it == renames_.tables.end() || old_tables.count(t.name)) continue;
      for (const auto& before : it->second)
        if (old_tables.count(before) && !new_names.count(before)) {
          renamed[t.name] = before;
          out_.push_back(RenameTable{before, t.name});
          break;
        }
    }
    for (const auto& [now_name, old_name] : renamed) renamed_tables_[old_name] = now_name;
    for (const auto& t : to_.tables) {
      std::string old_name = renamed.count(t.name) ? renamed[t.name] : t.name;
      auto it = old_tables.find(old_name);
      if (it == old_tables.end() || t.external) continue;
      for (const auto& [before, after] : column_renames(*it->second, t)) renamed_columns_[old_name][before] = after;
    }
    // Columns whose type changes (by their new table and name): a foreign key on them, or
    // pointing at them, is dropped before and added again after the change (MySQL-family servers
    // refuse to change a column a key uses; PostgreSQL cannot keep a key between types that no
    // longer compare).
    for (const auto& t : to_.tables) {
      std::string old_name = renamed.count(t.name) ? renamed[t.name] : t.name;
      auto it = old_tables.find(old_name);
      if (it == old_tables.end() || t.external || it->second->external) continue;
      std::map<std::string, std::string> before;  // new column name -> old
      const auto& moved = renamed_columns_[old_name];
      for (const auto& [was, now] : moved) before[now] = was;
      for (const auto& c : t.columns) {
        std::string source = before.count(c.name) ? before[c.name] : moved.count(c.name) ? "" : c.name;
        const Column* was = source.empty() ? nullptr : find_column(*it->second, source);
        if (was && was->type != c.type) retyped_.insert({t.name, c.name});
      }
    }
    std::set<std::string> consumed;
    for (const auto& t : to_.tables) {
      if (t.external) continue;
      std::string old_name = renamed.count(t.name) ? renamed[t.name] : t.name;
      auto it = old_tables.find(old_name);
      if (it == old_tables.end() || it->second->external) {
        create_table(t);
      } else {
        consumed.insert(old_name);
        diff_table(*it->second, t);
      }
    }
    for (const auto& t : from_.tables) {
      if (t.external || consumed.count(t.name)) continue;
      const Table* now = find_by_name(to_.tables, t.name);
      if (now && !now->external) continue;
      for (const auto& fk : t.foreign_keys) out_.push_back(DropConstraint{t.name, fk});
      Table bare = t;
      bare.foreign_keys.clear();
      out_.push_back(DropTable{bare});
      changed_tables_.insert(t.name);
    }
  }

  void create_table(const Table& t) {
    Table bare = t;
    bare.foreign_keys.clear();
    bare.indexes.clear();
    bare.rows = RowSet{};
    out_.push_back(CreateTable{bare});
    for (const auto& fk : t.foreign_keys) out_.push_back(AddConstraint{t.name, fk, true});
    for (const auto& ix : t.indexes) out_.push_back(AddIndex{ix, true});
    if (!t.rows.values.empty()) out_.push_back(InsertRows{t.name, t.rows});
  }

  // The declared column renames of one table: (name before, name now). Resolved before columns
  // are matched by name, so that a rename wins over a name the new state reuses: a new column
  // taking a renamed column's old name, a chain (b -> c, then a -> b) or a swap (a <-> b).
  // A declaration is stale (the rename happened in an earlier migration) when the old table
  // already has the column under its new name and that column is not itself renamed away; unless
  // the old state records its declarations and did not have this one: then the column of that name
  // is replaced by the renamed one (dropped, and the source renamed onto its name), provided the
  // source column does not stay either.
  std::vector<std::pair<std::string, std::string>> column_renames(const Table& old, const Table& now) const {
    std::map<std::string, std::string> source;  // new name -> old name
    std::set<std::string> taken;                // old names renamed away
    auto declared = [&](const Column& c) {
      std::vector<std::string> out;
      auto it = renames_.columns.find({now.name, c.name});
      if (it != renames_.columns.end())
        for (const auto& before : it->second)
          if (before != c.name && find_column(old, before)) out.push_back(before);
      return out;
    };
    auto replaces = [&](const Column& c) {
      if (!from_.renames_recorded) return false;
      auto was = from_.column_renames.find({old.name, c.name});
      for (const auto& before : declared(c)) {
        bool known = was != from_.column_renames.end() &&
                     std::find(was->second.begin(), was->second.end(), before) != was->second.end();
        if (!known && !find_column(now, before)) return true;
      }
      return false;
    };
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& c : now.columns) {
        if (source.count(c.name)) continue;
        // A column the old table has under this name is that column, unless it was renamed away.
        if (find_column(old, c.name) && !taken.count(c.name) && !replaces(c)) continue;
        for (const auto& before : declared(c))
          if (!taken.count(before)) {
            source[c.name] = before;
            taken.insert(before);
            grew = true;
            break;
          }
      }
    }
    // What is left are cycles (a <-> b): each column renamed from the next, all of them in both
    // states. Follow the first declaration of each until it closes.
    for (const auto& c : now.columns) {
      if (source.count(c.name) || taken.count(c.name) || !find_column(old, c.name)) continue;
      std::vector<std::pair<std::string, std::string>> cycle;  // (new, old)
      std::set<std::string> seen;
      std::string at = c.name;
      bool closed = false;
      while (true) {
        const Column* n = find_column(now, at);
        if (!n || source.count(at) || seen.count(at)) break;
        seen.insert(at);
        auto d = declared(*n);
        if (d.empty() || taken.count(d.front())) break;
        cycle.emplace_back(at, d.front());
        if (d.front() == c.name) {
          closed = true;
          break;
        }
        at = d.front();
      }
      if (!closed) continue;
      for (const auto& [to, from] : cycle) {
        source[to] = from;
        taken.insert(from);
      }
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& c : now.columns)
      if (auto it = source.find(c.name); it != source.end()) out.emplace_back(it->second, c.name);
    return out;
  }

  // The renames as RenameColumn changes in an order that never renames onto a name still in use
  // (columns dropped are gone by then: drops run first). A cycle goes through a temporary name.
  void rename_columns(const Table& old, const Table& now,
                      const std::vector<std::pair<std::string, std::string>>& pairs) {
    auto renamed_away = [&](const std::string& n) {
      return std::any_of(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == n; });
    };
    auto replaced = [&](const std::string& n) {  // dropped: a renamed column takes its name
      return !renamed_away(n) && std::any_of(pairs.begin(), pairs.end(), [&](const auto& p) { return p.second == n; });
    };
    std::set<std::string> occupied;
    for (const auto& c : old.columns)
      if ((find_column(now, c.name) && !replaced(c.name)) || renamed_away(c.name)) occupied.insert(c.name);
    std::vector<std::pair<std::string, std::string>> pending = pairs;
    while (!pending.empty()) {
      auto free =
          std::find_if(pending.begin(), pending.end(), [&](const auto& p) { return !occupied.count(p.second); });
      if (free != pending.end()) {
        out_.push_back(RenameColumn{now.name, free->first, free->second});
        occupied.erase(free->first);
        occupied.insert(free->second);
        pending.erase(free);
        continue;
      }
      // Every target is taken: a cycle. Move the first source out of the way.
      std::string temp = pending.front().first.substr(0, 50) + "_renaming";
      for (int i = 2; occupied.count(temp) || find_column(now, temp) || find_column(old, temp); ++i)
        temp = pending.front().first.substr(0, 50) + "_renaming" + std::to_string(i);
      out_.push_back(RenameColumn{now.name, pending.front().first, temp});
      occupied.erase(pending.front().first);
      occupied.insert(temp);
      pending.front().first = temp;
    }
  }

  // The old table as its keys and indexes read after the declared renames (of its columns, and of
  // the tables and columns its foreign keys point at), so that a rename alone changes no key.
  Table renamed_view(const Table& old) const {
    auto map_column = [&](const std::string& table, const std::string& column) {
      auto t = renamed_columns_.find(table);
      if (t == renamed_columns_.end()) return column;
      auto c = t->second.find(column);
      return c == t->second.end() ? column : c->second;
    };
    auto map_all = [&](const std::string& table, std::vector<std::string>& columns) {
      for (auto& c : columns) c = map_column(table, c);
    };
    Table t = old;
    if (t.primary_key) map_all(old.name, t.primary_key->columns);
    for (auto& u : t.uniques) map_all(old.name, u.columns);
    for (auto& f : t.foreign_keys) {
      map_all(old.name, f.columns);
      map_all(f.ref_table, f.ref_columns);
      if (auto r = renamed_tables_.find(f.ref_table); r != renamed_tables_.end()) f.ref_table = r->second;
    }
    for (auto& x : t.exclusions)
      for (auto& e : x.elements)
        if (!e.expression) e.text = map_column(old.name, e.text);
    for (auto& ix : t.indexes) {
      for (auto& k : ix.keys)
        if (!k.expression) k.text = map_column(old.name, k.text);
      map_all(old.name, ix.include);
    }
    return t;
  }

  void diff_table(const Table& old_table, const Table& now) {
    const Table old = renamed_view(old_table);
    std::set<std::string> renamed_away, renamed_to;
    const auto renames = column_renames(old_table, now);
    rename_columns(old_table, now, renames);
    for (const auto& [before, after] : renames) {
      renamed_away.insert(before);
      renamed_to.insert(after);
      Column was = *find_column(old_table, before);
      was.name = after;
      const Column& c = *find_column(now, after);
      if (!same_column(was, c)) out_.push_back(AlterColumn{now.name, was, c});
      changed_tables_.insert(now.name);
    }
    for (const auto& c : now.columns) {
      if (renamed_to.count(c.name)) continue;
      const Column* was = renamed_away.count(c.name) ? nullptr : find_column(old_table, c.name);
      if (!was) {
        out_.push_back(AddColumn{now.name, c});
      } else if (!same_column(*was, c)) {
        out_.push_back(AlterColumn{now.name, *was, c});
        if (was->type != c.type) changed_tables_.insert(now.name);
      }
    }
    for (const auto& c : old_table.columns)
      if ((!find_column(now, c.name) || renamed_to.count(c.name)) && !renamed_away.count(c.name)) {
        out_.push_back(DropColumn{old.name, c});  // drops run before a declared table rename
        changed_tables_.insert(now.name);
      }
    if (old.comment != now.comment) out_.push_back(SetTableComment{now.name, old.comment, now.comment});
    auto old_constraints = constraints_of(old);
    auto new_constraints = constraints_of(now);
    auto find_constraint = [](const std::vector<Constraint>& list, const std::string& name) -> const Constraint* {
      for (const auto& c : list)
        if (constraint_name(c) == name) return &c;
      return nullptr;
    };
    // A primary key whose name alone changed (it is named after a renamed table) is renamed.
    if (old.primary_key && now.primary_key && old.primary_key->name != now.primary_key->name &&
        old.primary_key->columns == now.primary_key->columns) {
      out_.push_back(RenameConstraint{now.name, old.primary_key->name, now.primary_key->name});
      auto is_key = [](const Constraint& c) { return std::holds_alternative<PrimaryKey>(c); };
      old_constraints.erase(std::remove_if(old_constraints.begin(), old_constraints.end(), is_key),
                            old_constraints.end());
      new_constraints.erase(std::remove_if(new_constraints.begin(), new_constraints.end(), is_key),
                            new_constraints.end());
    }
    // Compared as they read after the renames; dropped as they are (their reverse runs after the
    // renames are undone).
    auto original_constraints = constraints_of(old_table);
    auto retyped = [&](const Constraint& c) {
      const auto* f = std::get_if<ForeignKey>(&c);
      if (!f) return false;
      for (const auto& col : f->columns)
        if (retyped_.count({now.name, col})) return true;
      for (const auto& col : f->ref_columns)
        if (retyped_.count({f->ref_table, col})) return true;
      return false;
    };
    for (const auto& c : old_constraints) {
      const Constraint* n = find_constraint(new_constraints, constraint_name(c));
      if (!n || !same_constraint(c, *n) || retyped(*n))
        out_.push_back(DropConstraint{old.name, *find_constraint(original_constraints, constraint_name(c))});
    }
    for (const auto& c : new_constraints) {
      const Constraint* o = find_constraint(old_constraints, constraint_name(c));
      if (!o || !same_constraint(*o, c) || retyped(c)) out_.push_back(AddConstraint{now.name, c, false});
    }
    for (const auto& ix : old.indexes) {
      const Index* n = find_by_name(now.indexes, ix.name);
      if (!n || !same_index(ix, *n))
        out_.push_back(DropIndex{with_table(*find_by_name(old_table.indexes, ix.name), old.name)});
    }
    for (const auto& ix : now.indexes) {
      const Index* o = find_by_name(old.indexes, ix.name);
      if (!o || !same_index(*o, ix)) out_.push_back(AddIndex{ix, false});
    }
    diff_rows(old_table, now);
  }

  // Reference rows by key: new keys are inserted, keys gone are deleted, rows whose values
  // differ are updated (a fresh install of the new state has exactly the new rows).
  void diff_rows(const Table& old_table, const Table& now) {
    // The old rows with their columns under the new names, keyed the way the new rows are.
    RowSet was = old_table.rows;
    auto t = renamed_columns_.find(old_table.name);
    for (auto& c : was.columns)
      if (t != renamed_columns_.end())
        if (auto r = t->second.find(c); r != t->second.end()) c = r->second;
    for (auto& c : was.conflict_columns)
      if (t != renamed_columns_.end())
        if (auto r = t->second.find(c); r != t->second.end()) c = r->second;
    auto value = [](const RowSet& set, const std::vector<std::string>& row, const std::string& column) {
      auto it = std::find(set.columns.begin(), set.columns.end(), column);
      return it == set.columns.end() ? std::string("DEFAULT") : row[static_cast<std::size_t>(it - set.columns.begin())];
    };
    const bool same_key = was.values.empty() || was.conflict_columns == now.rows.conflict_columns;
    std::map<std::vector<std::string>, const std::vector<std::string>*> old_by_key, new_by_key;
    if (same_key)
      for (const auto& r : was.values) old_by_key[was.key_of(r)] = &r;
    for (const auto& r : now.rows.values) new_by_key[now.rows.key_of(r)] = &r;

    RowSet added = now.rows;
    added.values.clear();
    UpdateRows updated{now.name, now.rows.conflict_columns, {}};
    for (const auto& r : now.rows.values) {
      auto key = now.rows.key_of(r);
      auto o = old_by_key.find(key);
      if (o == old_by_key.end()) {
        added.values.push_back(r);
        continue;
      }
      // Every column either state gives a value for and the new table has, key columns aside.
      std::vector<std::string> columns;
      for (const auto& c : now.rows.columns) columns.push_back(c);
      for (const auto& c : was.columns)
        if (std::find(columns.begin(), columns.end(), c) == columns.end() && find_column(now, c)) columns.push_back(c);
      RowChange change{key, {}, {}, {}};
      for (const auto& c : columns) {
        if (std::find(now.rows.conflict_columns.begin(), now.rows.conflict_columns.end(), c) !=
            now.rows.conflict_columns.end())
          continue;
        std::string a = value(was, *o->second, c), b = value(now.rows, r, c);
        if (a == b) continue;
        change.columns.push_back(c);
        change.set.push_back(b);
        change.was.push_back(a);
      }
      if (!change.columns.empty()) updated.rows.push_back(std::move(change));
    }
    // Rows gone: all the old ones when the key itself changed.
    RowSet removed;
    removed.conflict_columns = was.conflict_columns;
    std::vector<std::size_t> kept_columns;
    for (std::size_t i = 0; i < was.columns.size(); ++i)
      if (find_column(now, was.columns[i])) {
        kept_columns.push_back(i);
        removed.columns.push_back(was.columns[i]);
      }
    for (const auto& r : was.values)
      if (!same_key || !new_by_key.count(was.key_of(r))) {
        std::vector<std::string> row;
        for (auto i : kept_columns) row.push_back(r[i]);
        removed.values.push_back(std::move(row));
      }
    bool key_kept = std::all_of(removed.conflict_columns.begin(), removed.conflict_columns.end(), [&](const auto& k) {
      return std::find(removed.columns.begin(), removed.columns.end(), k) != removed.columns.end();
    });
    if (!removed.values.empty() && key_kept) out_.push_back(DeleteRows{now.name, removed});
    if (!updated.rows.empty()) out_.push_back(std::move(updated));
    if (!added.values.empty()) out_.push_back(InsertRows{now.name, added});
  }

  void diff_functions() {
    for (const auto& f : to_.functions) {
      const Function* old = find_by_name(from_.functions, f.name);
      if (!old) {
        out_.push_back(CreateFunction{f});
      } else if (old->arguments != f.arguments || old->returns != f.returns) {
        out_.push_back(DropFunction{*old});  // a changed signature cannot be replaced in place
        out_.push_back(CreateFunction{f});
      } else if (old->body != f.body || old->language != f.language || old->volatility != f.volatility ||
                 old->comment != f.comment) {
        out_.push_back(ReplaceFunction{*old, f});
      }
    }
    for (const auto& f : from_.functions)
      if (!find_by_name(to_.functions, f.name)) out_.push_back(DropFunction{f});
  }

  // A view is recreated when it changed, or when something it depends on changed shape.
  void diff_views() {
    std::set<std::string> recreate;
    bool grew = true;
    while (grew) {
      grew = false;
      for (const auto& v : to_.views) {
        if (recreate.count(v.name)) continue;
        const View* old = find_by_name(from_.views, v.name);
        if (!old) continue;
        bool dirty = !same_view(*old, v);
        for (const auto& dep : v.depends_on) dirty = dirty || changed_tables_.count(dep) || recreate.count(dep);
        if (dirty) {
          recreate.insert(v.name);
          grew = true;
        }
      }
    }
    // Dependents are dropped before what they depend on, and created after it.
    auto old_order = order_views(from_);
    for (auto it = old_order.rbegin(); it != old_order.rend(); ++it)
      if (!find_by_name(to_.views, (*it)->name) || recreate.count((*it)->name)) out_.push_back(DropView{**it});
    std::set<std::string> over_changed;  // new views over changed tables, or over such new views
    for (const View* v : order_views(to_)) {
      bool is_new = !find_by_name(from_.views, v->name);
      bool over = is_new && std::any_of(v->depends_on.begin(), v->depends_on.end(), [&](const std::string& dep) {
                    return changed_tables_.count(dep) || over_changed.count(dep);
                  });
      if (over) over_changed.insert(v->name);
      if (is_new || recreate.count(v->name)) out_.push_back(CreateView{*v, over});
    }
  }

  static Index with_table(Index ix, const std::string& table) {
    ix.table = table;
    return ix;
  }
  static const Column* find_column(const Table& t, const std::string& name) { return t.column(name); }
  template <typename T>
  static const T* find_by_name(const std::vector<T>& items, const std::string& name) {
    for (const auto& i : items)
      if (i.name == name) return &i;
    return nullptr;
  }

  const Schema& from_;
  const Schema& to_;
  const Renames& renames_;
  std::vector<Change> out_;
  std::set<std::string> changed_tables_;
  std::map<std::string, std::string> renamed_tables_;      // old name -> new name
  std::set<std::pair<std::string, std::string>> retyped_;  // (new table, new column) whose type changes
  std::map<std::string, std::map<std::string, std::string>>
      renamed_columns_;  // old table -> old column -> new  // tables whose columns changed shape (views on them are
                         // rebuilt)
};

}  // namespace

std::vector<Change> diff(const Schema& from, const Schema& to, const Renames& renames) {
  if (from.pg_schema == to.pg_schema) return Differ(from, to, renames).run();
  // The schema moves first (MoveSchema): the old state's column types that name it (enum types,
  // `public.color`, `"My Schema".color[]`) are compared as they read after the move.
  std::set<std::string> new_types;
  for (const auto& t : to.tables)
    for (const auto& c : t.columns) new_types.insert(c.type);
  Schema moved = from;
  for (auto& t : moved.tables)
    for (auto& c : t.columns)
      for (const std::string& prefix : {from.pg_schema + ".", "\"" + from.pg_schema + "\"."})
        if (c.type.rfind(prefix, 0) == 0)
          for (const std::string& now : {to.pg_schema + ".", "\"" + to.pg_schema + "\"."})
            if (new_types.count(now + c.type.substr(prefix.size()))) {
              c.type = now + c.type.substr(prefix.size());
              break;
            }
  return Differ(moved, to, renames).run();
}

}  // namespace schemactl::diff
