#include "diff/change.hpp"

#include "util/overloaded.hpp"

namespace schemactl::diff {

namespace {}  // namespace

std::vector<Constraint> constraints_of(const schema::Table& t) {
  std::vector<Constraint> out;
  if (t.primary_key) out.emplace_back(*t.primary_key);
  for (const auto& u : t.uniques) out.emplace_back(u);
  for (const auto& c : t.checks) out.emplace_back(c);
  for (const auto& x : t.exclusions) out.emplace_back(x);
  for (const auto& f : t.foreign_keys) out.emplace_back(f);
  return out;
}

std::string constraint_name(const Constraint& c) {
  return std::visit([](const auto& x) { return x.name; }, c);
}

std::string constraint_kind(const Constraint& c) {
  return std::visit(overloaded{[](const schema::PrimaryKey&) { return std::string("primary key"); },
                               [](const schema::Unique&) { return std::string("unique constraint"); },
                               [](const schema::Check&) { return std::string("check"); },
                               [](const schema::ForeignKey&) { return std::string("foreign key"); },
                               [](const schema::Exclusion&) { return std::string("exclusion constraint"); }},
                    c);
}

std::string describe(const Change& change) {
  return std::visit(
      overloaded{
          [](const MoveSchema& c) { return "move schema " + c.from + " to " + c.to; },
          [](const CreateExtension& c) { return "create extension " + c.extension.name; },
          [](const DropExtension& c) { return "drop extension " + c.extension.name; },
          [](const CreateEnum& c) { return "create enum type " + c.type.name; },
          [](const DropEnum& c) { return "drop enum type " + c.type.name; },
          [](const AddEnumValues& c) { return "add values to enum type " + c.to.name; },
          [](const CreateTable& c) { return "create table " + c.table.name; },
          [](const DropTable& c) { return "drop table " + c.table.name; },
          [](const RenameTable& c) { return "rename table " + c.from + " to " + c.to; },
          [](const AddColumn& c) { return "add column " + c.table + "." + c.column.name; },
          [](const DropColumn& c) { return "drop column " + c.table + "." + c.column.name; },
          [](const RenameColumn& c) { return "rename column " + c.table + "." + c.from + " to " + c.to; },
          [](const AlterColumn& c) { return "alter column " + c.table + "." + c.to.name; },
          [](const SetTableComment& c) { return "comment on table " + c.table; },
          [](const AddConstraint& c) {
            return "add " + constraint_kind(c.constraint) + " " + constraint_name(c.constraint) + " on " + c.table;
          },
          [](const DropConstraint& c) {
            return "drop " + constraint_kind(c.constraint) + " " + constraint_name(c.constraint) + " on " + c.table;
          },
          [](const RenameConstraint& c) { return "rename constraint " + c.from + " on " + c.table + " to " + c.to; },
          [](const AddIndex& c) { return "create index " + c.index.name + " on " + c.index.table; },
          [](const DropIndex& c) { return "drop index " + c.index.name + " on " + c.index.table; },
          [](const CreateView& c) {
            return std::string(c.view.materialized ? "create materialized view " : "create view ") + c.view.name;
          },
          [](const DropView& c) {
            return std::string(c.view.materialized ? "drop materialized view " : "drop view ") + c.view.name;
          },
          [](const CreateFunction& c) { return "create function " + c.function.name; },
          [](const DropFunction& c) { return "drop function " + c.function.name; },
          [](const ReplaceFunction& c) { return "replace function " + c.to.name; },
          [](const InsertRows& c) {
            return "insert " + std::to_string(c.rows.values.size()) + " reference row(s) into " + c.table;
          },
          [](const SetObjectComment& c) {
            return std::string(c.kind == SetObjectComment::Kind::enum_type ? "comment on enum type "
                                                                           : "comment on extension ") +
                   c.name;
          },
          [](const UpdateRows& c) {
            return "update " + std::to_string(c.rows.size()) + " reference row(s) of " + c.table;
          },
          [](const DeleteRows& c) {
            return "delete " + std::to_string(c.rows.values.size()) + " reference row(s) from " + c.table;
          },
      },
      change);
}

}  // namespace schemactl::diff
