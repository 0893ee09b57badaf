#include "migrate/remove.hpp"

#include "migrate/directory.hpp"
#include "migrate/lineage.hpp"
#include "migrate/recorded_states.hpp"
#include "migrate/sum.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::migrate {

RemoveResult plan_remove(const std::filesystem::path& root, const std::string& version) {
  if (!valid_version(version)) throw Error("version '" + version + "' is not YYYYMMDD_HHMMSS", ExitCode::usage);
  RemoveResult out;
  for (DialectId d : kAllDialects) {
    Directory dir(root, d);
    auto problems = verify_sum(dir);
    if (!problems.empty()) {
      std::string list;
      for (const auto& p : problems) list += "\n  " + p.message;
      throw Error("migrate rm: " + dir.path().string() + " does not match its " + Directory::kSum +
                  "; fix that first (after a merge: `migrate rebase`):" + list);
    }
  }
  for (DialectId d : kAllDialects) {
    Directory dir(root, d);
    auto entries = read_lineages(dir.list());
    std::size_t at = entries.size();
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (entries[i].migration.version == version) at = i;
    if (at == entries.size())
      throw Error("migrate rm: no migration with version " + version + " in " + dir.path().string());
    const LineageEntry& e = entries[at];
    out.id = e.migration.id();
    if (at + 1 != entries.size()) {
      std::string later;
      for (std::size_t i = at + 1; i < entries.size(); ++i)
        later += (later.empty() ? "" : ", ") + entries[i].migration.id();
      throw Error("migrate rm: " + out.id + " is not the latest migration (" + later +
                  " came after it and was planned from the state it leaves); remove those first, latest first");
    }
    std::string sub = dialect_name(d) + "/";
    out.changes.push_back({sub + e.migration.id() + ".up.sql", std::nullopt});
    out.changes.push_back({sub + e.migration.id() + ".down.sql", std::nullopt});
    if (entries.size() == 1) {
      // Nothing left: the directory goes back to having no recorded state at all.
      out.changes.push_back({sub + Directory::kSnapshot, std::nullopt});
      out.changes.push_back({sub + Directory::kSum, std::nullopt});
      continue;
    }
    if (!e.lineage.recorded())
      throw Error("migrate rm: " + out.id + " has no `" + kParentMarker +
                  "` marker (it was written before schemactl recorded what a migration was planned from): the "
                  "state before it is unknown; remove it by hand, restore snapshot.json from version control, then "
                  "`migrate hash`");
    RecordedStates states(dir);
    auto before = states.find(e.lineage.parent);
    if (!before)
      throw Error("migrate rm: cannot find the state " + out.id + " was planned from (snapshot " +
                  e.lineage.parent.substr(0, 12) + ") in " + dir.path().string() +
                  " or in git; restore snapshot.json as it was before it, remove the two files, then `migrate hash`");
    dir.file_hashes(true);
    std::string sum = dir.compute_sum({{Directory::kSnapshot, *before}},
                                      {e.migration.id() + ".up.sql", e.migration.id() + ".down.sql"});
    out.changes.push_back({sub + Directory::kSnapshot, *before});
    out.changes.push_back({sub + Directory::kSum, sum});
  }
  return out;
}

}  // namespace schemactl::migrate
