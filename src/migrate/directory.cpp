#include "migrate/directory.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <regex>
#include <sstream>

#include "output/fileset.hpp"
#include "schema/json.hpp"
#include "util/diagnostic.hpp"
#include "util/text.hpp"

namespace schemactl::migrate {

namespace fs = std::filesystem;

std::string slug(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.size() > 60) out.resize(60);
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) throw Error("migration name '" + name + "' has no letters or digits", ExitCode::usage);
  return out;
}

std::string utc_version() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d_%H%M%S", &tm);
  return buf;
}

bool valid_version(const std::string& v) {
  static const std::regex re("^[0-9]{8}_[0-9]{6}$");
  return std::regex_match(v, re);
}

Directory::Directory(fs::path root, DialectId dialect)
    : dir_(std::move(root) / dialect_name(dialect)), dialect_(dialect) {}

std::vector<Migration> Directory::list(std::vector<std::string>* problems) const {
  std::map<std::string, Migration> by_id;
  std::map<std::string, std::string> version_owner;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return {};
  static const std::regex name_re("^([0-9]{8}_[0-9]{6})_([a-z0-9_]+)\\.(up|down)\\.sql$");
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::string file = p.filename().string();
    if (file == kSnapshot || file == kSum) continue;
    std::smatch m;
    if (!std::regex_match(file, m, name_re))
      throw Error("migrations: unexpected file " + p.string() +
                  " (migration files are named YYYYMMDD_HHMMSS_name.up.sql / .down.sql)");
    Migration& mig = by_id[m[1].str() + "_" + m[2].str()];
    mig.version = m[1];
    mig.name = m[2];
    (m[3] == "up" ? mig.up_path : mig.down_path) = p;
    auto [it, inserted] = version_owner.emplace(mig.version, mig.name);
    if (!inserted && it->second != mig.name)
      throw Error("migrations: two migrations have version " + mig.version + ": " + mig.version + "_" + it->second +
                  " and " + mig.version + "_" + mig.name + " in " + dir_.string());
  }
  std::vector<Migration> out;
  for (auto& [id, mig] : by_id) {
    std::string missing;
    if (mig.up_path.empty())
      missing = "migrations: " + (dir_ / (id + ".up.sql")).string() + " is missing (its down file exists)";
    if (mig.down_path.empty())
      missing = "migrations: " + (dir_ / (id + ".down.sql")).string() + " is missing (its up file exists)";
    if (!missing.empty()) {
      if (!problems) throw Error(missing);
      problems->push_back(missing);
    }
    out.push_back(mig);
  }
  return out;
}

schema::Schema Directory::snapshot() const {
  fs::path p = dir_ / kSnapshot;
  std::string text;
  if (!read_file(p, text)) {
    if (!list().empty()) throw Error("migrations: " + p.string() + " is missing: the recorded state is gone");
    schema::Schema empty;
    empty.dialect = dialect_;
    return empty;
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error("migrations: " + p.string() + " is not valid JSON (byte " + std::to_string(e.byte) +
                "): the recorded state is corrupted; restore it from version control");
  }
  try {
    schema::Schema s = schema::schema_from_json(j);
    if (s.dialect != dialect_) throw Error("it records dialect " + dialect_name(s.dialect));
    return s;
  } catch (const Error& e) {
    throw Error("migrations: " + p.string() + ": " + e.what() + "; restore it from version control");
  }
}

std::string Directory::snapshot_text(const schema::Schema& s) const {
  return schema::to_snapshot_text(s);
}

const std::map<std::string, std::string>& Directory::file_hashes(bool fresh) const {
  if (hashed_ && !fresh) return hashes_;
  hashes_.clear();
  std::error_code ec;
  if (fs::is_directory(dir_, ec))
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
      std::string file = entry.path().filename().string();
      if (file == kSum || !entry.is_regular_file()) continue;
      std::string content;
      if (read_file(entry.path(), content)) hashes_[file] = sha256_hex(content);
    }
  hashed_ = true;
  return hashes_;
}

std::string Directory::compute_sum(const std::vector<std::pair<std::string, std::string>>& pending) const {
  std::map<std::string, std::string> hashes = file_hashes();
  for (const auto& [file, content] : pending) hashes[file] = sha256_hex(content);
  std::string body;
  for (const auto& [file, hash] : hashes) body += file + " " + hash + "\n";
  return "total " + sha256_hex(body) + "\n" + body;
}

std::vector<std::string> Directory::verify_sum() const {
  std::vector<std::string> problems;
  std::string recorded;
  std::error_code ec;
  bool has_files = fs::is_directory(dir_, ec) && !fs::is_empty(dir_, ec);
  if (!read_file(dir_ / kSum, recorded)) {
    if (has_files) problems.push_back((dir_ / kSum).string() + " is missing");
    return problems;
  }
  auto parse = [](const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      auto space = line.rfind(' ');
      if (space == std::string::npos || starts_with(line, "total ")) continue;
      out[line.substr(0, space)] = line.substr(space + 1);
    }
    return out;
  };
  file_hashes(true);  // what is on disk now; compute_sum() below (and later) reuses it
  std::string current = compute_sum();
  auto want = parse(recorded), have = parse(current);
  for (const auto& [file, hash] : want) {
    auto it = have.find(file);
    if (it == have.end())
      problems.push_back("deleted: " + (dir_ / file).string());
    else if (it->second != hash)
      problems.push_back("edited: " + (dir_ / file).string());
  }
  for (const auto& [file, hash] : have)
    if (!want.count(file)) problems.push_back("added: " + (dir_ / file).string() + " (not in " + kSum + ")");
  if (problems.empty() && recorded != current)
    problems.push_back((dir_ / kSum).string() + " itself was edited (its total does not match)");
  return problems;
}

}  // namespace schemactl::migrate
