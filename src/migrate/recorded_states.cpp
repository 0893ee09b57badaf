#include "migrate/recorded_states.hpp"

#include <set>
#include <sstream>

#include "migrate/lineage.hpp"
#include "output/fileset.hpp"
#include "schema/json.hpp"
#include "util/diagnostic.hpp"
#include "util/process.hpp"
#include "util/text.hpp"

namespace schemactl::migrate {

void RecordedStates::load_git() {
  git_loaded_ = true;
  const std::string dir = dir_.path().string();
  std::set<std::string> blobs;
  // Every version of snapshot.json committed on any branch (--full-history -m: a merge that took
  // one side's file must not hide the commits of the other side) ...
  if (auto log = run_capture({"git", "-C", dir, "log", "--all", "--full-history", "-m", "--format=", "--raw",
                              "--no-abbrev", "--", Directory::kSnapshot})) {
    std::istringstream in(*log);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] != ':') continue;
      std::istringstream fields(line.substr(1));
      std::string mode_a, mode_b, before, after;
      fields >> mode_a >> mode_b >> before >> after;
      for (const auto& b : {before, after})
        if (b.size() == 40 && b.find_first_not_of('0') != std::string::npos) blobs.insert(b);
    }
  }
  // ... and the base and both sides of a merge that is still in conflict.
  if (auto staged = run_capture({"git", "-C", dir, "ls-files", "-s", "--", Directory::kSnapshot})) {
    std::istringstream in(*staged);
    std::string mode, blob;
    while (in >> mode >> blob) {
      blobs.insert(blob);
      std::string rest;
      std::getline(in, rest);
    }
  }
  for (const auto& b : blobs)
    if (auto text = run_capture({"git", "-C", dir, "cat-file", "blob", b})) {
      std::string hash = snapshot_hash(*text);
      git_states_.emplace(std::move(hash), std::move(*text));
    }
}

std::optional<std::string> RecordedStates::find(const std::string& hash) {
  std::string text;
  if (read_file(dir_.path() / Directory::kSnapshot, text) && snapshot_hash(text) == hash) return text;
  schema::Schema empty;
  empty.dialect = dir_.dialect();
  std::string none = dir_.snapshot_text(empty);
  if (snapshot_hash(none) == hash) return none;
  if (!git_loaded_) load_git();
  if (auto it = git_states_.find(hash); it != git_states_.end()) return it->second;
  return std::nullopt;
}

std::optional<schema::Schema> RecordedStates::find_schema(const std::string& hash) {
  auto text = find(hash);
  if (!text) return std::nullopt;
  try {
    return schema::schema_from_json(nlohmann::json::parse(*text));
  } catch (const std::exception& e) {
    throw Error("migrations: the recorded state " + hash.substr(0, 12) + " of " + dir_.path().string() +
                " does not parse: " + e.what());
  }
}

std::optional<schema::Schema> RecordedStates::after(const Migration& m, std::string& why) {
  std::string up;
  if (!read_file(m.up_path, up)) {
    why = "cannot read " + m.up_path.string();
    return std::nullopt;
  }
  Lineage lineage = read_lineage(up);
  if (!lineage.recorded()) {
    why = m.up_path.filename().string() + " records no state (it was planned before the " +
          std::string(kSnapshotMarker) + " marker existed)";
    return std::nullopt;
  }
  auto state = find_schema(lineage.snapshot);
  if (!state)
    why = "no version of " + dir_.path().string() + "/" + Directory::kSnapshot + " in git has the hash " +
          lineage.snapshot.substr(0, 12) + " that " + m.up_path.filename().string() +
          " records (commit snapshot.json with each migration)";
  return state;
}

}  // namespace schemactl::migrate
