// The closed vocabulary of schema changes. The differ produces them from two concrete schemas;
// each dialect's planner turns every one into SQL steps, each with its reverse.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "schema/schema.hpp"

namespace schemactl::diff {

using Constraint =
    std::variant<schema::PrimaryKey, schema::Unique, schema::Check, schema::ForeignKey, schema::Exclusion>;
std::string constraint_name(const Constraint& c);
std::string constraint_kind(const Constraint& c);  // "primary key", "unique constraint", ...
// Every constraint of `table`: primary key, uniques, checks, exclusions, foreign keys, in that order.
std::vector<Constraint> constraints_of(const schema::Table& table);

struct CreateExtension {
  schema::Extension extension;
};
struct DropExtension {
  schema::Extension extension;
};
struct CreateEnum {
  schema::EnumType type;
};
struct DropEnum {
  schema::EnumType type;
};
struct AddEnumValues {
  schema::EnumType from, to;
};  // `to` appends values to `from`
// The comment of an enum type or an extension changed (tables, columns, views and functions carry
// theirs in their own changes).
struct SetObjectComment {
  enum class Kind { enum_type, extension } kind;
  std::string name;
  std::string from, to;
};
struct CreateTable {
  schema::Table table;
};
struct DropTable {
  schema::Table table;
};
struct RenameTable {
  std::string from, to;
};
struct AddColumn {
  std::string table;
  schema::Column column;
};
struct DropColumn {
  std::string table;
  schema::Column column;
};
struct RenameColumn {
  std::string table;
  std::string from;
  std::string to;
};
// Any of type, nullability, default, on-update, auto-increment and comment differ.
struct AlterColumn {
  std::string table;
  schema::Column from, to;
};
struct SetTableComment {
  std::string table;
  std::string from, to;
};
struct AddConstraint {
  std::string table;
  Constraint constraint;
  bool table_is_new = false;
};
struct DropConstraint {
  std::string table;
  Constraint constraint;
};
// Same constraint, new name (a primary key named after a renamed table).
struct RenameConstraint {
  std::string table;
  std::string from, to;
};
struct AddIndex {
  schema::Index index;
  bool table_is_new = false;
};
struct DropIndex {
  schema::Index index;
};
struct CreateView {
  schema::View view;
  // A view the old state lacks, over a table this migration changes (or over such a view): a
  // second run of the up file finds it there, in the way of the change.
  bool over_changed_table = false;
};
struct DropView {
  schema::View view;
};
struct CreateFunction {
  schema::Function function;
};
struct DropFunction {
  schema::Function function;
};
struct ReplaceFunction {
  schema::Function from, to;
};
// Reference rows the new state has and the old one does not (by conflict key).
struct InsertRows {
  std::string table;
  schema::RowSet rows;
};

// A reference row whose key both states have and whose other values differ: `set` holds the new
// value of each column that changed, `was` the old one (column names as they are in the new state;
// "DEFAULT" where a state gives no value).
struct RowChange {
  std::vector<std::string> key;  // the values of the conflict columns
  std::vector<std::string> columns;
  std::vector<std::string> set, was;
};
struct UpdateRows {
  std::string table;
  std::vector<std::string> key_columns;
  std::vector<RowChange> rows;
};
// Reference rows the old state has and the new one does not (by key): `rows` as the old state
// wrote them, with the columns under their new names (columns the new table lacks left out).
struct DeleteRows {
  std::string table;
  schema::RowSet rows;
};

// Postgres: the schema the registry's objects live in changed (`postgres.schema`): the objects of
// the old state move along (none: the new schema is only created).
struct MoveSchema {
  std::string from, to;
};

using Change =
    std::variant<MoveSchema, CreateExtension, DropExtension, CreateEnum, DropEnum, AddEnumValues, CreateTable,
                 DropTable, RenameTable, AddColumn, DropColumn, RenameColumn, AlterColumn, SetTableComment,
                 AddConstraint, DropConstraint, RenameConstraint, AddIndex, DropIndex, CreateView, DropView,
                 CreateFunction, DropFunction, ReplaceFunction, InsertRows, UpdateRows, DeleteRows, SetObjectComment>;

// A one-line description, e.g. "add column moments.speakers".
std::string describe(const Change& change);

}  // namespace schemactl::diff
