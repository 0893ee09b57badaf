// The loader's YAML tree: what yaml-cpp's events become.
#include "registry/yaml_tree.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

namespace schemactl::test {

TEST_CASE("yaml tree: maps, sequences, scalars, quoting and positions") {
  yaml::Document doc("a: 1\nb: 'x'\nc: [p, q]\nd:\n  e: ~\n");
  yaml::Node root = doc.root();
  REQUIRE(root.IsMap());
  REQUIRE(root.size() == 4);
  auto it = root.begin();
  CHECK(it->first.Scalar() == "a");
  CHECK(it->second.Scalar() == "1");
  CHECK(it->second.Tag() == "?");
  ++it;
  CHECK(it->second.Tag() == "!");  // quoted
  ++it;
  REQUIRE(it->second.IsSequence());
  CHECK(it->second[1].Scalar() == "q");
  CHECK(it->second.Mark().line == 2);
  CHECK(it->second.Mark().column == 3);
  ++it;
  CHECK(it->second.begin()->second.IsNull());
  CHECK_FALSE(root[10]);
}

TEST_CASE("yaml tree: anchors and aliases resolve to the anchored node") {
  yaml::Document doc("base: &b { type: text }\ncopy: *b\n");
  auto it = doc.root().begin();
  ++it;
  REQUIRE(it->second.IsMap());
  CHECK(it->second.begin()->second.Scalar() == "text");
}

TEST_CASE("yaml tree: a file of comments only has no root, and the loader says it is empty") {
  yaml::Document doc("# nothing here\n");
  CHECK_FALSE(doc.root());
  auto errors = compile_errors(registry_files({{"schema/x.yaml", "# nothing here\n"}}));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "file is empty");
}

TEST_CASE("yaml tree: duplicate keys are kept, so the loader can report them") {
  yaml::Document doc("k: 1\nk: 2\n");
  CHECK(doc.root().size() == 2);
}

}  // namespace schemactl::test
