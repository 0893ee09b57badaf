#include "drift/compare.hpp"

#include <algorithm>
#include <optional>
#include <variant>

#include "apply/history.hpp"
#include "dialect/catalog_form.hpp"
#include "dialect/dialect.hpp"
#include "diff/differ.hpp"
#include "plan/plan.hpp"
#include "util/overloaded.hpp"
#include "util/text.hpp"

namespace schemactl::drift {
namespace {

using namespace schema;
using namespace diff;

template <typename T>
const T* named(const std::vector<T>& items, const std::string& name) {
  for (const auto& i : items)
    if (i.name == name) return &i;
  return nullptr;
}

std::optional<Constraint> constraint_named(const Schema& s, const std::string& table, const std::string& name,
                                           std::size_t kind) {
  const Table* t = s.table(table);
  if (!t) return std::nullopt;
  for (const auto& c : constraints_of(*t))
    if (constraint_name(c) == name && c.index() == kind) return c;
  for (const auto& c : constraints_of(*t))
    if (constraint_name(c) == name) return c;
  return std::nullopt;
}

const Index* index_named(const Schema& s, const std::string& table, const std::string& name) {
  if (const Table* t = s.table(table))
    if (const Index* ix = named(t->indexes, name)) return ix;
  if (const View* v = named(s.views, table))
    if (const Index* ix = named(v->indexes, name)) return ix;
  return nullptr;
}

// The live schema and the expected one as they are compared: the history table left out, each
// external table reduced to the columns the registry declares (and compared, as a table of its own).
struct Scoped {
  Schema live, expected;
  std::vector<std::string> notes;
};

Scoped scope(const Schema& live, const Schema& expected) {
  Scoped s{live, expected, {}};
  s.live.tables.erase(std::remove_if(s.live.tables.begin(), s.live.tables.end(),
                                     [](const Table& t) { return t.name == apply::History::kTable; }),
                      s.live.tables.end());
  std::vector<Table> tables;
  for (auto t : s.expected.tables) {
    if (!t.external) {
      tables.push_back(std::move(t));
      continue;
    }
    auto live_table =
        std::find_if(s.live.tables.begin(), s.live.tables.end(), [&](const Table& l) { return l.name == t.name; });
    if (live_table == s.live.tables.end()) {
      s.notes.push_back("external table " + t.name +
                        " is not in the database (the application owns it: schemactl does not create it)");
      continue;
    }
    auto only_columns = [&](Table& x) {
      std::vector<Column> columns;
      for (const auto& c : t.columns)
        if (const Column* found = x.column(c.name)) columns.push_back(*found);
      Table bare;
      bare.name = x.name;
      bare.columns = columns;
      x = bare;
    };
    only_columns(*live_table);
    Table declared;
    declared.name = t.name;
    declared.columns = t.columns;
    tables.push_back(declared);
  }
  s.expected.tables = tables;
  return s;
}

// A change found between the two comparable forms, made of the objects the planner renders:
// what the registry lowered (the target) and what the catalog holds (the source).
Change rehydrate(const Change& change, const Schema& live, const Schema& want) {
  return std::visit(
      overloaded{
          [&](const CreateExtension& c) -> Change {
            const Extension* e = named(want.extensions, c.extension.name);
            return CreateExtension{e ? *e : c.extension};
          },
          [&](const DropExtension& c) -> Change {
            const Extension* e = named(live.extensions, c.extension.name);
            return DropExtension{e ? *e : c.extension};
          },
          [&](const CreateEnum& c) -> Change {
            const EnumType* e = named(want.enums, c.type.name);
            return CreateEnum{e ? *e : c.type};
          },
          [&](const DropEnum& c) -> Change {
            const EnumType* e = named(live.enums, c.type.name);
            return DropEnum{e ? *e : c.type};
          },
          [&](const AddEnumValues& c) -> Change {
            const EnumType* a = named(live.enums, c.from.name);
            const EnumType* b = named(want.enums, c.to.name);
            return AddEnumValues{a ? *a : c.from, b ? *b : c.to};
          },
          [&](const CreateTable& c) -> Change {
            const Table* t = want.table(c.table.name);
            if (!t) return c;
            Table bare = *t;
            bare.foreign_keys.clear();
            bare.indexes.clear();
            bare.rows = RowSet{};
            bare.external = false;
            return CreateTable{bare};
          },
          [&](const DropTable& c) -> Change {
            const Table* t = live.table(c.table.name);
            if (!t) return c;
            Table bare = *t;
            bare.foreign_keys.clear();
            return DropTable{bare};
          },
          [&](const AddColumn& c) -> Change {
            const Table* t = want.table(c.table);
            const Column* col = t ? t->column(c.column.name) : nullptr;
            return AddColumn{c.table, col ? *col : c.column};
          },
          [&](const DropColumn& c) -> Change {
            const Table* t = live.table(c.table);
            const Column* col = t ? t->column(c.column.name) : nullptr;
            return DropColumn{c.table, col ? *col : c.column};
          },
          [&](const AlterColumn& c) -> Change {
            const Table* wt = want.table(c.table);
            const Table* lt = live.table(c.table);
            const Column* to = wt ? wt->column(c.to.name) : nullptr;
            const Column* is = lt ? lt->column(c.from.name) : nullptr;
            if (!to || !is) return c;
            // The target column, with what differs taken from the live one: the planner sees
            // exactly the differences the comparison found, not the two spellings.
            Column from = *to;
            // (A Postgres identity column's type as its catalog form spells it, identity included.)
            const std::string live_type =
                is->identity.empty() ? is->type : is->type + " GENERATED " + is->identity + " AS IDENTITY";
            if (c.from.type != c.to.type) from.type = live_type;
            Column target = *to;
            // Nullability as the catalog form has it on both sides: a SERIAL / AUTO_INCREMENT column
            // is NOT NULL in the catalog whatever the registry says, so a live one that became
            // nullable needs NOT NULL back (with the registry's own `nullable` the planner would
            // see no change and plan nothing).
            if (c.from.nullable != c.to.nullable) {
              from.nullable = is->nullable;
              target.nullable = c.to.nullable;
            }
            if (c.from.default_sql != c.to.default_sql) from.default_sql = is->default_sql;
            if (c.from.on_update != c.to.on_update) from.on_update = is->on_update;
            if (c.from.auto_increment != c.to.auto_increment) from.auto_increment = is->auto_increment;
            if (c.from.comment != c.to.comment) from.comment = is->comment;
            // The target's default comes with its type (Postgres SERIAL: the sequence it owns), so
            // the live column lacks what the type makes: it is of the live type. Its nullability,
            // where the two agree, is the live one on both sides (SERIAL is NOT NULL in the catalog,
            // whatever the registry says).
            if (c.from.default_sql != c.to.default_sql && to->default_sql.empty() && !c.to.default_sql.empty()) {
              from.type = live_type;
              if (c.from.nullable == c.to.nullable) from.nullable = target.nullable = is->nullable;
            }
            return AlterColumn{c.table, from, target};
          },
          [&](const AddConstraint& c) -> Change {
            auto found = constraint_named(want, c.table, constraint_name(c.constraint), c.constraint.index());
            return AddConstraint{c.table, found ? *found : c.constraint, c.table_is_new};
          },
          [&](const DropConstraint& c) -> Change {
            auto found = constraint_named(live, c.table, constraint_name(c.constraint), c.constraint.index());
            return DropConstraint{c.table, found ? *found : c.constraint};
          },
          [&](const AddIndex& c) -> Change {
            if (const Index* ix = index_named(want, c.index.table, c.index.name)) return AddIndex{*ix, c.table_is_new};
            // A unique constraint the catalog lists as an index (the MySQL family).
            if (auto u = constraint_named(want, c.index.table, c.index.name, 1))
              return AddConstraint{c.index.table, *u};
            return c;
          },
          [&](const DropIndex& c) -> Change {
            const Index* ix = index_named(live, c.index.table, c.index.name);
            return DropIndex{ix ? *ix : c.index};
          },
          [&](const CreateView& c) -> Change {
            const View* v = named(want.views, c.view.name);
            return CreateView{v ? *v : c.view};
          },
          [&](const DropView& c) -> Change {
            const View* v = named(live.views, c.view.name);
            return DropView{v ? *v : c.view};
          },
          [&](const CreateFunction& c) -> Change {
            const Function* f = named(want.functions, c.function.name);
            return CreateFunction{f ? *f : c.function};
          },
          [&](const DropFunction& c) -> Change {
            const Function* f = named(live.functions, c.function.name);
            return DropFunction{f ? *f : c.function};
          },
          [&](const ReplaceFunction& c) -> Change {
            const Function* a = named(live.functions, c.from.name);
            const Function* b = named(want.functions, c.to.name);
            return ReplaceFunction{a ? *a : c.from, b ? *b : c.to};
          },
          [&](const auto& c) -> Change { return c; },
      },
      change);
}

// When `repair` is refused only because a step scans or rewrites a table under ACCESS EXCLUSIVE:
// what it does and its statements, for the report.
std::optional<std::string> rewrite_by_hand(const Change& repair, const Schema& live, const Schema& expected,
                                           const Dialect& dialect, plan::Options options) {
  options.allow_rewrite = true;
  plan::Plan p;
  try {
    p = plan::make_plan({repair}, live, expected, dialect, options);
  } catch (const Error&) {
    return std::nullopt;
  }
  std::vector<std::string> notes, statements;
  for (const auto& s : p.steps) {
    if (s.rewrites && !s.up_note.empty()) notes.push_back(s.up_note);
    for (const auto& sql : s.up) statements.push_back(sql);
  }
  if (notes.empty()) return std::nullopt;
  return join(notes, "; ") +
         "; readers and writers of the table wait until it is done, so diff writes no repair for it. Where that "
         "lock is acceptable (a small or idle table), run by hand: " +
         join(statements, " ");
}

}  // namespace

bool Difference::destructive() const {
  return std::any_of(steps.begin(), steps.end(), [](const plan::Step& s) { return s.destructive; });
}

std::vector<plan::Step> DriftReport::repair_steps() const {
  std::vector<plan::Step> out;
  for (const auto& d : differences) out.insert(out.end(), d.steps.begin(), d.steps.end());
  std::stable_sort(out.begin(), out.end(), [](const plan::Step& a, const plan::Step& b) { return a.phase < b.phase; });
  return out;
}

DriftReport compare(const Schema& live_raw, const Schema& expected_raw, db::Connection* conn) {
  DriftReport report;
  report.dialect = live_raw.dialect;
  Scoped scoped = scope(live_raw, expected_raw);
  Schema live = scoped.live, want = scoped.expected;
  CatalogFormNotes notes = catalog_form(want, live, conn);
  report.unchecked = scoped.notes;
  report.unchecked.insert(report.unchecked.end(), notes.unchecked.begin(), notes.unchecked.end());
  report.probe_statements = notes.probe_statements;
  const Dialect& dialect = dialect_for(live_raw.dialect);
  plan::Options options;
  options.allow_destructive = true;
  for (const auto& change : diff::diff(live, want)) {
    Change repair = rehydrate(change, scoped.live, expected_raw);
    Difference d;
    d.what = describe(repair);
    try {
      d.steps = plan::make_plan({repair}, scoped.live, expected_raw, dialect, options).steps;
    } catch (const plan::PlanRefused& e) {
      d.problem = join(e.why, "; ");  // (the change is d.what: not named twice)
      // Refused for a scan or rewrite under ACCESS EXCLUSIVE: `diff` has no --allow-rewrite (that
      // is `migrate new`'s), so the problem says what the repair does and the statements to run
      // by hand where that lock is acceptable.
      if (auto by_hand = rewrite_by_hand(repair, scoped.live, expected_raw, dialect, options)) d.problem = *by_hand;
    } catch (const Error& e) {
      d.problem = e.what();
    }
    report.differences.push_back(std::move(d));
  }
  return report;
}

DriftReport compare(db::Connection& conn, const Schema& expected) {
  PinnedSearchPath pinned(conn, expected.pg_schema);
  return compare(read_catalog(conn, expected.pg_schema), expected, &conn);
}

}  // namespace schemactl::drift
