#include "migrate/sum.hpp"

#include <map>
#include <sstream>

#include "output/fileset.hpp"
#include "util/text.hpp"

namespace schemactl::migrate {

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> parse_sum(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto space = line.rfind(' ');
    if (space == std::string::npos || starts_with(line, "total ")) continue;
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

}  // namespace

std::vector<SumProblem> verify_sum(const Directory& dir) {
  using Kind = SumProblem::Kind;
  std::vector<SumProblem> problems;
  const fs::path& path = dir.path();
  for (auto& p : dir.scan().problems) problems.push_back({Kind::layout, p.file, p.message});
  const fs::path sum_path = path / Directory::kSum;
  std::string recorded;
  std::error_code ec;
  bool has_files = fs::is_directory(path, ec) && !fs::is_empty(path, ec);
  if (!read_file(sum_path, recorded)) {
    if (has_files) problems.push_back({Kind::sum_missing, sum_path, sum_path.string() + " is missing"});
    return problems;
  }
  dir.file_hashes(true);  // what is on disk now; compute_sum() below (and later) reuses it
  std::string current = dir.compute_sum();
  auto want = parse_sum(recorded), have = parse_sum(current);
  std::size_t before = problems.size();
  for (const auto& [file, hash] : want) {
    auto it = have.find(file);
    if (it == have.end())
      problems.push_back({Kind::deleted, path / file, "deleted: " + (path / file).string()});
    else if (it->second != hash)
      problems.push_back({Kind::edited, path / file, "edited: " + (path / file).string()});
  }
  for (const auto& [file, hash] : have)
    if (!want.count(file))
      problems.push_back(
          {Kind::added, path / file, "added: " + (path / file).string() + " (not in " + Directory::kSum + ")"});
  if (problems.size() == before && recorded != current)
    problems.push_back(
        {Kind::sum_edited, sum_path, sum_path.string() + " itself was edited (its total does not match)"});
  return problems;
}

std::vector<SumProblem> verify_sum(const fs::path& migrations_root, DialectId dialect) {
  return verify_sum(Directory(migrations_root, dialect));
}

std::vector<FileChange> rehash(const fs::path& migrations_root) {
  std::vector<FileChange> out;
  for (DialectId d : kAllDialects) {
    Directory dir(migrations_root, d);
    std::error_code ec;
    if (!fs::is_directory(dir.path(), ec) || fs::is_empty(dir.path(), ec)) continue;
    dir.list();      // throws on a broken layout
    dir.snapshot();  // throws when the recorded state is unreadable
    dir.file_hashes(true);
    std::string sum = dir.compute_sum();
    std::string recorded;
    if (read_file(dir.path() / Directory::kSum, recorded) && recorded == sum) continue;
    out.push_back({dialect_name(d) + "/" + Directory::kSum, sum});
  }
  return out;
}

}  // namespace schemactl::migrate
