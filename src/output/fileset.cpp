#include "output/fileset.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace schemactl {

namespace fs = std::filesystem;

namespace {
bool owned(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".sql" || ext == ".hpp";
}
}  // namespace

void FileSet::add(const std::string& relative_path, std::string content) {
  files_[relative_path] = std::move(content);
}

bool read_file(const fs::path& path, std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  content = buf.str();
  return true;
}

std::vector<FileSet::Difference> FileSet::compare(const fs::path& root) const {
  std::vector<Difference> out;
  for (const auto& [rel, content] : files_) {
    std::string existing;
    if (!read_file(root / rel, existing))
      out.push_back({rel, "missing"});
    else if (existing != content)
      out.push_back({rel, "differs"});
  }
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    std::vector<std::string> stale;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); ++it) {
      if (!it->is_regular_file() || !owned(it->path())) continue;
      std::string rel = fs::relative(it->path(), root).generic_string();
      if (!files_.count(rel)) stale.push_back(rel);
    }
    std::sort(stale.begin(), stale.end());
    for (auto& s : stale) out.push_back({s, "stale (no longer generated)"});
  }
  return out;
}

std::vector<FileChange> FileSet::changes(const fs::path& root) const {
  std::vector<FileChange> out;
  for (const auto& d : compare(root)) {
    auto it = files_.find(d.path);
    if (it == files_.end())
      out.push_back({d.path, std::nullopt});
    else
      out.push_back({d.path, it->second});
  }
  return out;
}

std::size_t FileSet::write(const fs::path& root, FileSystem& fs) const {
  auto todo = changes(root);
  write_staged(root, todo, fs);
  return todo.size();
}

}  // namespace schemactl
