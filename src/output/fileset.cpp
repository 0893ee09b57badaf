#include "output/fileset.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "util/diagnostic.hpp"
#include "util/parallel.hpp"

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

void write_file_atomic(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw Error("cannot create directory '" + path.parent_path().string() + "': " + ec.message());
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      throw Error("cannot write '" + path.string() + "'");
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error("cannot move the new '" + path.string() + "' into place");
  }
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

std::size_t FileSet::write(const fs::path& root) const {
  auto diffs = compare(root);
  for (const auto& d : diffs)
    if (d.what == "stale (no longer generated)") {
      std::error_code ec;
      fs::remove(root / d.path, ec);
    }
  // Creating directories first keeps the two writers below from racing to create them.
  std::set<fs::path> dirs;
  for (const auto& d : diffs) dirs.insert((root / d.path).parent_path());
  for (const auto& dir : dirs) {
    std::error_code ec;
    fs::create_directories(dir, ec);
  }
  split_in_two(diffs.size(), [&](std::size_t first, std::size_t stride) {
    for (std::size_t i = first; i < diffs.size(); i += stride)
      if (diffs[i].what != "stale (no longer generated)")
        write_file_atomic(root / diffs[i].path, files_.at(diffs[i].path));
  });
  return diffs.size();
}

}  // namespace schemactl
