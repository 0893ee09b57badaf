#include "registry/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <sstream>

namespace schemactl::yaml {

namespace {
const std::string kEmpty;
const std::vector<Entry> kNoChildren;
}  // namespace

bool Node::IsMap() const {
  return data_ && data_->kind == Data::Kind::map;
}
bool Node::IsSequence() const {
  return data_ && data_->kind == Data::Kind::sequence;
}
bool Node::IsScalar() const {
  return data_ && data_->kind == Data::Kind::scalar;
}
bool Node::IsNull() const {
  return data_ && data_->kind == Data::Kind::null;
}
const std::string& Node::Scalar() const {
  return data_ ? data_->scalar : kEmpty;
}
const std::string& Node::Tag() const {
  return data_ ? data_->tag : kEmpty;
}
YAML::Mark Node::Mark() const {
  return data_ ? data_->mark : YAML::Mark::null_mark();
}
std::size_t Node::size() const {
  return data_ ? data_->children.size() : 0;
}
std::vector<Entry>::const_iterator Node::begin() const {
  return (data_ ? data_->children : kNoChildren).begin();
}
std::vector<Entry>::const_iterator Node::end() const {
  return (data_ ? data_->children : kNoChildren).end();
}
Node Node::operator[](std::size_t i) const {
  return data_ && i < data_->children.size() ? data_->children[i].second : Node();
}

// Turns parser events into Data nodes: a stack of open collections, with the pending map key.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(Document& doc) : doc_(doc) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Data& d = make(Data::Kind::null, mark, "");
    d.tag = "?";
    add(d, anchor);
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it != anchors_.end()) place(Node(it->second));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Data& d = make(Data::Kind::scalar, mark, tag);
    d.scalar = value;
    add(d, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(make(Data::Kind::sequence, mark, tag), anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(make(Data::Kind::map, mark, tag), anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    Data* data;
    Node pending_key;
    bool has_key = false;
  };

  Data& make(Data::Kind kind, const YAML::Mark& mark, const std::string& tag) {
    Data& d = doc_.nodes_.emplace_back();
    d.kind = kind;
    d.mark = mark;
    d.tag = tag;
    return d;
  }
  void add(Data& d, YAML::anchor_t anchor) {
    if (anchor) anchors_[anchor] = &d;
    place(Node(&d));
  }
  void open(Data& d, YAML::anchor_t anchor) {
    add(d, anchor);
    stack_.push_back(Open{&d, Node(), false});
  }
  void close() { stack_.pop_back(); }
  void place(Node n) {
    if (stack_.empty()) {
      if (!doc_.root_) doc_.root_ = n;
      return;
    }
    Open& top = stack_.back();
    if (top.data->kind == Data::Kind::sequence) {
      top.data->children.emplace_back(Node(), n);
    } else if (!top.has_key) {
      top.pending_key = n;
      top.has_key = true;
    } else {
      top.data->children.emplace_back(top.pending_key, n);
      top.has_key = false;
    }
  }

  Document& doc_;
  std::vector<Open> stack_;
  std::map<YAML::anchor_t, const Data*> anchors_;
};

Document::Document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  TreeBuilder builder(*this);
  parser.HandleNextDocument(builder);
}

}  // namespace schemactl::yaml
