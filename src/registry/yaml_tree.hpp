// A read-only YAML tree built from yaml-cpp's event parser. It offers the small part of
// YAML::Node's interface the loader uses, without yaml-cpp's per-node shared state, which made
// up most of the time spent loading large registries.
#pragma once

#include <yaml-cpp/mark.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace schemactl::yaml {

struct Data;
struct Entry;

class Node {
 public:
  Node() = default;
  explicit Node(const Data* data) : data_(data) {}

  explicit operator bool() const { return data_ != nullptr; }
  bool operator!() const { return data_ == nullptr; }
  bool IsMap() const;
  bool IsSequence() const;
  bool IsScalar() const;
  bool IsNull() const;
  const std::string& Scalar() const;
  // "!" for a quoted scalar, "?" for a plain one (as yaml-cpp reports them).
  const std::string& Tag() const;
  YAML::Mark Mark() const;
  std::size_t size() const;
  std::vector<Entry>::const_iterator begin() const;
  std::vector<Entry>::const_iterator end() const;
  Node operator[](std::size_t i) const;

 private:
  const Data* data_ = nullptr;
};

// A child: in a map, `first` is the key and `second` the value; in a sequence the entry itself is
// the element (and `second` too).
struct Entry : Node {
  Node first;
  Node second;
  Entry(Node key, Node value) : Node(value), first(key), second(value) {}
};

struct Data {
  enum class Kind { null, scalar, sequence, map } kind = Kind::null;
  std::string scalar;
  std::string tag;
  YAML::Mark mark;
  std::vector<Entry> children;
};

// Owns the nodes of one parsed document.
class Document {
 public:
  // Parses the first document of `text`; throws YAML::ParserException on a syntax error.
  explicit Document(const std::string& text);
  Node root() const { return root_; }

 private:
  std::deque<Data> nodes_;
  Node root_;
  friend class TreeBuilder;
};

}  // namespace schemactl::yaml
