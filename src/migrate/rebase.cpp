#include "migrate/rebase.hpp"

#include <algorithm>
#include <optional>

#include "diff/objects.hpp"
#include "migrate/directory.hpp"
#include "migrate/legacy_text.hpp"
#include "migrate/lineage.hpp"
#include "migrate/new_migration.hpp"
#include "migrate/recorded_states.hpp"
#include "output/fileset.hpp"
#include "util/diagnostic.hpp"
#include "util/text.hpp"

namespace schemactl::migrate {

namespace {

namespace fs = std::filesystem;

std::string short_hash(const std::string& h) {
  return h.substr(0, 12);
}

// `text` with the id in its first line and the lineage markers replaced.
std::string moved_text(const std::string& text, const std::string& from_id, const std::string& to_id,
                       const Lineage* lineage) {
  std::string out;
  std::size_t pos = 0;
  bool first = true, header = true;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos + 1);
    pos = end == std::string::npos ? text.size() : end + 1;
    if (first) {
      auto at = line.find(from_id);
      if (at != std::string::npos) line.replace(at, from_id.size(), to_id);
      first = false;
    } else if (header && !starts_with(line, "--")) {
      header = false;
    }
    if (header && lineage) {
      if (starts_with(line, std::string(kAfterMarker) + " "))
        line = std::string(kAfterMarker) + " " + lineage->after + "\n";
      else if (starts_with(line, std::string(kParentMarker) + " "))
        line = std::string(kParentMarker) + " " + lineage->parent + "\n";
      else if (starts_with(line, std::string(kSnapshotMarker) + " "))
        line = std::string(kSnapshotMarker) + " " + lineage->snapshot + "\n";
    }
    out += line;
  }
  return out;
}

struct Located {
  std::vector<LineageEntry> entries;
  std::size_t moved = 0, top = 0;  // indexes: the one to move, the latest other one
};

// The migrations of `dir`; two with one version (two branches planned in the same second) are what
// rebase is for, any other layout problem stops it.
std::vector<Migration> rebase_list(const Directory& dir) {
  Directory::Scan found = dir.scan();
  for (const auto& p : found.problems)
    if (!p.same_version) throw Error("migrations: " + p.message);
  return found.migrations;
}

Located locate(const Directory& dir, const std::string& target) {
  Located out;
  out.entries = read_lineages(rebase_list(dir));
  const std::string where = dir.path().string();
  const LineageEntry* moved = nullptr;
  const LineageEntry* top = nullptr;
  std::vector<std::string> matches;
  for (const auto& e : out.entries)
    if (e.migration.version == target || e.migration.id() == target) {
      moved = &e;
      matches.push_back(e.migration.id());
    }
  if (!moved) throw Error("migrate rebase: no migration " + target + " in " + where);
  if (matches.size() > 1)
    throw Error("migrate rebase: " + std::to_string(matches.size()) + " migrations have version " + target + " in " +
                where + " (" + join(matches, ", ") + "): name the one to re-plan, e.g. `schemactl migrate rebase " +
                matches.back() + "`");
  const std::string version = moved->migration.version;
  const LineageEntry& b = *moved;
  if (!b.lineage.recorded())
    throw Error("migrate rebase: " + b.migration.id() + " in " + where + " has no `" + kParentMarker +
                "` marker (it was written before schemactl recorded what a migration was planned from), so the "
                "state it was planned from is unknown; re-plan it by hand (`migrate rm`, then `migrate new`)");
  for (const auto& e : out.entries) {
    if (&e == &b) continue;
    if (e.lineage.recorded() && e.lineage.after == b.migration.id())
      throw Error("migrate rebase: " + e.migration.id() + " was planned on top of " + b.migration.id() +
                  "; only the last migration of a branch can be moved");
    if (e.lineage.recorded() && e.lineage.after == b.lineage.after && e.migration.version > version)
      throw Error("migrate rebase: " + b.migration.id() + " and " + e.migration.id() +
                  " were planned from the same state and " + e.migration.id() +
                  " is the later one: rebase that one (`schemactl migrate rebase " + e.migration.version + "`)");
    top = &e;  // entries are oldest first
  }
  if (!top)
    throw Error("migrate rebase: " + b.migration.id() + " is the only migration: there is nothing to rebase it on");
  bool forked = false;
  for (const auto& e : out.entries)
    if (&e != &b && e.lineage.recorded() && e.lineage.after == b.lineage.after) forked = true;
  if (!forked && b.lineage.after == top->migration.id() && top->migration.version < b.migration.version)
    throw Error("migrate rebase: " + b.migration.id() + " already follows " + top->migration.id() +
                ", the migration before it: there is nothing to rebase");
  if (!top->lineage.recorded())
    throw Error("migrate rebase: " + top->migration.id() + " has no `" + kSnapshotMarker +
                "` marker: the state it leaves is unknown");
  out.moved = static_cast<std::size_t>(moved - out.entries.data());
  out.top = static_cast<std::size_t>(top - out.entries.data());
  return out;
}

schema::Schema need_state(RecordedStates& states, const Directory& dir, const std::string& hash,
                          const std::string& what) {
  auto s = states.find_schema(hash);
  if (!s)
    throw Error("migrate rebase: cannot find " + what + " (snapshot " + short_hash(hash) +
                "): " + (dir.path() / Directory::kSnapshot).string() +
                " holds another state and no version of it in git has that hash; restore it as that branch left it "
                "(e.g. `git checkout BRANCH -- " +
                (dir.path() / Directory::kSnapshot).string() + "`) and run the rebase again");
  return *s;
}

}  // namespace

RebaseResult plan_rebase(const std::function<Compiled()>& compile, const fs::path& root, const RebaseOptions& options) {
  if (!valid_version(options.version) && !valid_migration_id(options.version))
    throw Error("'" + options.version + "' is neither a version (YYYYMMDD_HHMMSS) nor VERSION_NAME", ExitCode::usage);
  RebaseResult out;
  std::string latest;
  std::map<DialectId, Located> located;
  for (DialectId d : kAllDialects) {
    Directory dir(root, d);
    located.emplace(d, locate(dir, options.version));
    for (const auto& e : located.at(d).entries) latest = std::max(latest, e.migration.version);
  }
  std::string version = utc_version();
  if (version <= latest) version = version_after(latest);
  Compiled compiled = compile();
  diff::Renames renames = declared_renames(compiled.registry);
  for (DialectId d : kAllDialects) {
    Directory dir(root, d);
    const Located& at = located.at(d);
    const LineageEntry& b = at.entries[at.moved];
    const LineageEntry& top = at.entries[at.top];
    out.from_id = b.migration.id();
    out.onto_id = top.migration.id();
    out.to_id = version + "_" + b.migration.name;
    RecordedStates states(dir);
    schema::Schema onto = need_state(states, dir, top.lineage.snapshot, "the state " + top.migration.id() + " leaves");
    std::string up, down;
    if (!read_file(b.migration.up_path, up) || !read_file(b.migration.down_path, down))
      throw Error("migrate rebase: cannot read " + b.migration.up_path.string());
    std::string snapshot;
    std::string summary = dialect_name(d) + ": ";
    if (b.lineage.parent == b.lineage.snapshot) {
      // A blank migration, filled in by hand: its statements stay as they are.
      Lineage moved{top.migration.id(), top.lineage.snapshot, top.lineage.snapshot};
      up = moved_text(up, out.from_id, out.to_id, &moved);
      down = moved_text(down, out.from_id, out.to_id, nullptr);
      snapshot = dir.snapshot_text(onto);
      summary += "moved the hand-written " + out.from_id + " after " + out.onto_id + " (statements unchanged)";
    } else {
      schema::Schema parent =
          need_state(states, dir, b.lineage.parent, "the state " + out.from_id + " was planned from");
      schema::Schema left = need_state(states, dir, b.lineage.snapshot, "the state " + out.from_id + " leaves");
      // Planned as it is? Otherwise a re-plan would drop what was written into it by hand.
      PlannedPair again =
          plan_pair(parent, left, d, out.from_id, b.lineage.after, renames, plan::Options{true, true}, false);
      // (A file planned before function bodies were written exactly counts as planned as it is.)
      auto planned = [](const std::string& now, const std::string& file) {
        return now == file || now == unframed_function_bodies(file);
      };
      if (!planned(again.text.up, up) || !planned(again.text.down, down))
        throw Error("migrate rebase: " + b.migration.up_path.string() +
                    " was edited after `migrate new` planned it, and a re-plan would lose the edit: move the "
                    "hand-written statements into a blank migration (`migrate new NAME --empty`) or rebase by hand");
      auto theirs = diff::diff(parent, onto, renames);
      auto ours = diff::diff(parent, left, renames);
      auto between = diff::diff(onto, left, renames);
      auto overlaps = diff::incompatible_overlaps(theirs, ours, between);
      if (!overlaps.empty()) {
        std::string list;
        for (const auto& o : overlaps)
          list += "\n  " + o.object.describe() + ": the other branch: " + o.a_change + "; " + out.from_id + ": " +
                  o.b_change;
        throw Error("migrate rebase: " + out.from_id + " and the migrations up to " + out.onto_id + " (" +
                    dialect_name(d) +
                    ") change the same object differently; decide in the registry which one "
                    "stands, then `migrate rm " +
                    options.version + "` and `migrate new`:" + list);
      }
      PlannedPair pair = plan_pair(onto, compiled.schemas.at(d), d, out.to_id, top.migration.id(), renames,
                                   plan::Options{options.allow_destructive, options.allow_rewrite}, false);
      if (!pair.changed)
        throw Error("migrate rebase: on top of " + out.onto_id + ", the registry has nothing left for " + out.from_id +
                    " to do (" + dialect_name(d) + "): remove it with `migrate rm " + options.version + "`");
      up = pair.text.up;
      down = pair.text.down;
      snapshot = pair.snapshot;
      summary += "re-planned " + out.from_id + " on top of " + out.onto_id + " as " + out.to_id + " (" +
                 std::to_string(pair.plan->steps.size()) + " step(s))";
    }
    dir.file_hashes(true);
    std::vector<std::pair<std::string, std::string>> pending = {
        {out.to_id + ".up.sql", up}, {out.to_id + ".down.sql", down}, {Directory::kSnapshot, snapshot}};
    std::vector<std::string> removed = {out.from_id + ".up.sql", out.from_id + ".down.sql"};
    std::string sum = dir.compute_sum(pending, removed);
    std::string sub = dialect_name(d) + "/";
    for (const auto& r : removed) out.changes.push_back({sub + r, std::nullopt});
    for (auto& [file, content] : pending) out.changes.push_back({sub + file, std::move(content)});
    out.changes.push_back({sub + Directory::kSum, sum});
    out.lines.push_back(summary);
  }
  return out;
}

}  // namespace schemactl::migrate
