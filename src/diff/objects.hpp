// Which schema objects a change touches, to tell whether two lists of changes (two branches) change
// the same object.
#pragma once

#include <string>
#include <vector>

#include "diff/change.hpp"

namespace schemactl::diff {

// A table ("moments", with `part` empty: the whole table), a part of one ("column speakers",
// "index idx_x", "constraint fk_x", "comment", "reference rows"), or an object of its own
// ("view v", "function f", "enum type e", "extension e", with `part` empty).
struct ObjectKey {
  std::string owner;
  std::string part;
  // The same object, or one contains the other (a table and any of its parts).
  bool overlaps(const ObjectKey& other) const;
  std::string describe() const;  // "column moments.speakers", "table moments", "view v"
};

std::vector<ObjectKey> touched_objects(const Change& change);

// An object both `a` and `b` change, where `a_b` (the changes between the two results) shows they
// did not change it the same way; the first such, with the change of each side.
struct Overlap {
  ObjectKey object;
  std::string a_change, b_change;
};
std::vector<Overlap> incompatible_overlaps(const std::vector<Change>& a, const std::vector<Change>& b,
                                           const std::vector<Change>& a_b);

}  // namespace schemactl::diff
