#include "diff/objects.hpp"

#include "util/overloaded.hpp"

namespace schemactl::diff {

bool ObjectKey::overlaps(const ObjectKey& o) const {
  return owner == o.owner && (part.empty() || o.part.empty() || part == o.part);
}

std::string ObjectKey::describe() const {
  if (part.empty()) return owner.find(' ') == std::string::npos ? "table " + owner : owner;
  auto space = part.find(' ');
  if (space == std::string::npos) return part + " of table " + owner;
  return part.substr(0, space) + " " + owner + "." + part.substr(space + 1);
}

std::vector<ObjectKey> touched_objects(const Change& change) {
  using V = std::vector<ObjectKey>;
  auto view = [](const schema::View& v) { return V{{(v.materialized ? "materialized view " : "view ") + v.name, ""}}; };
  return std::visit(
      overloaded{
          [](const MoveSchema& c) {
            return V{{"schema " + c.from, ""}, {"schema " + c.to, ""}};
          },
          [](const CreateExtension& c) {
            return V{{"extension " + c.extension.name, ""}};
          },
          [](const DropExtension& c) {
            return V{{"extension " + c.extension.name, ""}};
          },
          [](const CreateEnum& c) {
            return V{{"enum type " + c.type.name, ""}};
          },
          [](const DropEnum& c) {
            return V{{"enum type " + c.type.name, ""}};
          },
          [](const AddEnumValues& c) {
            return V{{"enum type " + c.to.name, ""}};
          },
          [](const SetObjectComment& c) {
            return V{{(c.kind == SetObjectComment::Kind::enum_type ? "enum type " : "extension ") + c.name, ""}};
          },
          [](const CreateTable& c) {
            return V{{c.table.name, ""}};
          },
          [](const DropTable& c) {
            return V{{c.table.name, ""}};
          },
          [](const RenameTable& c) {
            return V{{c.from, ""}, {c.to, ""}};
          },
          [](const AddColumn& c) {
            return V{{c.table, "column " + c.column.name}};
          },
          [](const DropColumn& c) {
            return V{{c.table, "column " + c.column.name}};
          },
          [](const RenameColumn& c) {
            return V{{c.table, "column " + c.from}, {c.table, "column " + c.to}};
          },
          [](const AlterColumn& c) {
            return V{{c.table, "column " + c.from.name}, {c.table, "column " + c.to.name}};
          },
          [](const SetTableComment& c) {
            return V{{c.table, "comment"}};
          },
          [](const AddConstraint& c) {
            return V{{c.table, "constraint " + constraint_name(c.constraint)}};
          },
          [](const DropConstraint& c) {
            return V{{c.table, "constraint " + constraint_name(c.constraint)}};
          },
          [](const RenameConstraint& c) {
            return V{{c.table, "constraint " + c.from}, {c.table, "constraint " + c.to}};
          },
          [](const AddIndex& c) {
            return V{{c.index.table, "index " + c.index.name}};
          },
          [](const DropIndex& c) {
            return V{{c.index.table, "index " + c.index.name}};
          },
          [&](const CreateView& c) { return view(c.view); },
          [&](const DropView& c) { return view(c.view); },
          [](const CreateFunction& c) {
            return V{{"function " + c.function.name, ""}};
          },
          [](const DropFunction& c) {
            return V{{"function " + c.function.name, ""}};
          },
          [](const ReplaceFunction& c) {
            return V{{"function " + c.to.name, ""}};
          },
          [](const InsertRows& c) {
            return V{{c.table, "reference rows"}};
          },
          [](const UpdateRows& c) {
            return V{{c.table, "reference rows"}};
          },
          [](const DeleteRows& c) {
            return V{{c.table, "reference rows"}};
          },
      },
      change);
}

std::vector<Overlap> incompatible_overlaps(const std::vector<Change>& a, const std::vector<Change>& b,
                                           const std::vector<Change>& a_b) {
  std::vector<ObjectKey> differ;
  for (const auto& c : a_b)
    for (auto& k : touched_objects(c)) differ.push_back(std::move(k));
  std::vector<Overlap> out;
  for (const auto& ca : a)
    for (const auto& ka : touched_objects(ca))
      for (const auto& cb : b)
        for (const auto& kb : touched_objects(cb)) {
          if (!ka.overlaps(kb)) continue;
          const ObjectKey& narrow = ka.part.empty() ? kb : ka;
          bool same_result = true;  // both sides left the object as the other did
          for (const auto& kd : differ)
            if (kd.overlaps(narrow)) same_result = false;
          if (!same_result) out.push_back({narrow, describe(ca), describe(cb)});
        }
  return out;
}

}  // namespace schemactl::diff
