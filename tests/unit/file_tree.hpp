// A directory tree as data (every file, hidden ones too, with its bytes; every directory), so a
// test can check that a failed command left the tree exactly as it was.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace schemactl::test {

// Where scratch trees go: tmpfs when there is one (/dev/shm), where the writers' fsyncs cost nothing.
inline std::string scratch_base() {
  return std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
}

// A scratch directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& base = scratch_base()) {
    std::string tmpl = base + "/schemactl-test-XXXXXX";
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Relative path -> "dir <mode>" or "file <mode> <content>" (a link: "link <target>").
inline std::map<std::string, std::string> file_tree(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = fs::relative(it->path(), root).generic_string();
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    std::string mode = std::to_string(st.st_mode);
    if (it->is_symlink())
      out[rel] = "link " + fs::read_symlink(it->path()).string();
    else if (it->is_directory())
      out[rel] = "dir " + mode;
    else {
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream buf;
      buf << in.rdbuf();
      out[rel] = "file " + mode + " " + buf.str();
    }
  }
  return out;
}

// The first difference between two trees, for a readable failure ("" when equal).
inline std::string tree_difference(const std::map<std::string, std::string>& want,
                                   const std::map<std::string, std::string>& have) {
  for (const auto& [path, what] : want) {
    auto it = have.find(path);
    if (it == have.end()) return path + " is gone";
    if (it->second != what) return path + " changed";
  }
  for (const auto& [path, what] : have)
    if (!want.count(path)) return path + " is new";
  return "";
}

}  // namespace schemactl::test
