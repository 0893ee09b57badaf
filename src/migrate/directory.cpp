#include "migrate/directory.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <regex>

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

std::string version_after(const std::string& version) {
  std::tm tm{};
  tm.tm_year = std::stoi(version.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(version.substr(4, 2)) - 1;
  tm.tm_mday = std::stoi(version.substr(6, 2));
  tm.tm_hour = std::stoi(version.substr(9, 2));
  tm.tm_min = std::stoi(version.substr(11, 2));
  tm.tm_sec = std::stoi(version.substr(13, 2));
  std::time_t t = timegm(&tm) + 1;
  std::tm next{};
  gmtime_r(&t, &next);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d_%H%M%S", &next);
  return buf;
}

Directory::Directory(fs::path root, DialectId dialect)
    : dir_(std::move(root) / dialect_name(dialect)), dialect_(dialect) {}

std::vector<Migration> Directory::list(std::vector<std::string>* problems) const {
  Scan found = scan();
  for (const auto& p : found.problems) {
    if (!problems || !p.missing_half) throw Error("migrations: " + p.message);
    problems->push_back("migrations: " + p.message);
  }
  return found.migrations;
}

Directory::Scan Directory::scan() const {
  Scan out;
  std::map<std::string, Migration> by_id;
  std::map<std::string, std::string> version_owner;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return out;
  static const std::regex name_re("^([0-9]{8}_[0-9]{6})_([a-z0-9_]+)\\.(up|down)\\.sql$");
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::string file = p.filename().string();
    if (file == kSnapshot || file == kSum) continue;
    std::smatch m;
    if (!std::regex_match(file, m, name_re)) {
      out.problems.push_back({p, "unexpected file " + p.string() +
                                     " (migration files are named YYYYMMDD_HHMMSS_name.up.sql / .down.sql)"});
      continue;
    }
    Migration& mig = by_id[m[1].str() + "_" + m[2].str()];
    mig.version = m[1];
    mig.name = m[2];
    (m[3] == "up" ? mig.up_path : mig.down_path) = p;
    auto [it, inserted] = version_owner.emplace(mig.version, mig.name);
    if (!inserted && it->second != mig.name && m[3] == "up")
      out.problems.push_back({p,
                              "two migrations have version " + mig.version + ": " + mig.version + "_" + it->second +
                                  " and " + mig.version + "_" + mig.name + " in " + dir_.string() +
                                  " (after a merge: re-plan one with `schemactl migrate rebase " + mig.version + "_" +
                                  mig.name + "`)",
                              false, true});
  }
  for (auto& [id, mig] : by_id) {
    if (mig.up_path.empty()) {
      fs::path missing = dir_ / (id + ".up.sql");
      out.problems.push_back({missing, missing.string() + " is missing (its down file exists)", true});
    } else if (mig.down_path.empty()) {
      fs::path missing = dir_ / (id + ".down.sql");
      out.problems.push_back({missing, missing.string() + " is missing (its up file exists)", true});
    }
    out.migrations.push_back(mig);
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

std::string Directory::compute_sum(const std::vector<std::pair<std::string, std::string>>& pending,
                                   const std::vector<std::string>& removed) const {
  std::map<std::string, std::string> hashes = file_hashes();
  for (const auto& file : removed) hashes.erase(file);
  for (const auto& [file, content] : pending) hashes[file] = sha256_hex(content);
  std::string body;
  for (const auto& [file, hash] : hashes) body += file + " " + hash + "\n";
  return "total " + sha256_hex(body) + "\n" + body;
}

}  // namespace schemactl::migrate
