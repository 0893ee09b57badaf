#include "migrate/lineage.hpp"

#include <map>
#include <sstream>

#include "output/fileset.hpp"
#include "util/text.hpp"

namespace schemactl::migrate {

std::string lineage_lines(const Lineage& l) {
  if (!l.recorded()) return {};
  return std::string(kAfterMarker) + " " + l.after + "\n" + kParentMarker + " " + l.parent + "\n" + kSnapshotMarker +
         " " + l.snapshot + "\n";
}

namespace {

bool is_hash(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

Lineage read_lineage(const std::string& text) {
  Lineage out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!starts_with(line, "--")) break;  // the header ends at the first line that is not a comment
    for (auto [marker, field] : {std::pair{kParentMarker, &out.parent}, std::pair{kSnapshotMarker, &out.snapshot}}) {
      std::string prefix = std::string(marker) + " ";
      if (starts_with(line, prefix)) {
        std::string value = trim(line.substr(prefix.size()));
        if (is_hash(value)) *field = value;
      }
    }
    const std::string after = std::string(kAfterMarker) + " ";
    if (starts_with(line, after)) {
      std::string value = trim(line.substr(after.size()));
      if (value == "none" || valid_migration_id(value)) out.after = value;
    }
  }
  return out;
}

bool valid_migration_id(const std::string& id) {
  if (id.size() < 17 || !valid_version(id.substr(0, 15)) || id[15] != '_') return false;
  for (char c : id.substr(16))
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string without_lineage_lines(const std::string& text) {
  std::string out;
  std::size_t pos = 0;
  bool header = true;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos + 1);
    pos = end == std::string::npos ? text.size() : end + 1;
    header = header && starts_with(line, "--");
    if (header &&
        (starts_with(line, "-- registry sha256: ") || starts_with(line, std::string(kAfterMarker) + " ") ||
         starts_with(line, std::string(kParentMarker) + " ") || starts_with(line, std::string(kSnapshotMarker) + " ")))
      continue;
    out += line;
  }
  return out;
}

std::string snapshot_hash(const std::string& snapshot_json) {
  return sha256_hex(snapshot_json);
}

std::vector<LineageEntry> read_lineages(const std::vector<Migration>& migrations) {
  std::vector<LineageEntry> out;
  for (const auto& m : migrations) {
    LineageEntry e{m, {}};
    std::string text;
    if (!m.up_path.empty() && read_file(m.up_path, text)) e.lineage = read_lineage(text);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Fork> find_forks(const std::vector<LineageEntry>& entries) {
  std::vector<Fork> out;
  std::map<std::string, const LineageEntry*> first_by_after;
  for (const auto& e : entries) {
    if (!e.lineage.recorded()) continue;
    auto [it, inserted] = first_by_after.emplace(e.lineage.after, &e);
    if (!inserted) out.push_back({it->second->migration, e.migration, e.lineage.after, e.lineage.parent});
  }
  return out;
}

std::vector<std::string> chain_breaks(const std::vector<LineageEntry>& entries) {
  std::vector<std::string> out;
  std::map<std::string, int> afters;
  for (const auto& e : entries)
    if (e.lineage.recorded()) ++afters[e.lineage.after];
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (!e.lineage.recorded() || afters[e.lineage.after] > 1) continue;
    if (i > 0 && entries[i - 1].lineage.recorded() && afters[entries[i - 1].lineage.after] > 1) continue;
    std::string before = i == 0 ? "none" : entries[i - 1].migration.id();
    if (e.lineage.after != before)
      out.push_back("migration " + e.migration.id() + " was planned after " + e.lineage.after + ", but " +
                    (i == 0 ? std::string("it is the first migration") : "it follows " + before) +
                    ": it was planned on another branch; re-plan it with `schemactl migrate rebase " +
                    e.migration.version + "`");
  }
  return out;
}

}  // namespace schemactl::migrate
