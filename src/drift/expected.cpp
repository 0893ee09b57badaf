#include "drift/expected.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "diff/differ.hpp"
#include "migrate/recorded_states.hpp"

namespace schemactl::drift {

Expectation expected_state(const std::vector<apply::HistoryRow>& history, const migrate::Directory& dir,
                           const schema::Schema& registry) {
  Expectation e;
  e.schema = registry;
  std::set<std::string> applied, recorded;
  for (const auto& row : history) {
    recorded.insert(row.version);
    if (row.state == apply::RowState::applied) applied.insert(row.version);
  }
  auto migrations = dir.list();
  std::set<std::string> on_disk;
  for (const auto& m : migrations) {
    on_disk.insert(m.version);
    if (!applied.count(m.version)) e.pending.push_back(m.id());
  }
  for (const auto& row : history)
    if (!on_disk.count(row.version))
      e.notes.push_back("migration " + row.version + "_" + row.name +
                        " is recorded in the history but has no files in " + dir.path().string());
  if (migrations.empty()) {
    e.against = "the registry (there are no migrations)";
  } else if (e.pending.empty()) {
    e.against = "the registry (every migration is applied)";
    if (!diff::diff(dir.snapshot(), registry).empty())
      e.notes.push_back(
          "the registry has changes no migration captures (run `schemactl migrate new NAME`): they show as drift");
  } else if (history.empty()) {
    e.against = "the registry (no migration is recorded in this database)";
    e.notes.push_back(
        "the history is empty: a database built another way (install.sql, by hand, another tool) is compared with "
        "the state after every migration; once it matches, `schemactl migrate baseline VERSION` records it");
  } else {
    // Applied up to a migration and none after it: the state its up file records, when git has it.
    std::size_t prefix = 0;
    while (prefix < migrations.size() && applied.count(migrations[prefix].version)) ++prefix;
    bool rest_pending = std::none_of(migrations.begin() + static_cast<std::ptrdiff_t>(prefix), migrations.end(),
                                     [&](const migrate::Migration& m) { return applied.count(m.version) > 0; });
    std::string why = "the migrations applied are not the first ones of the directory";
    std::optional<schema::Schema> state;
    if (prefix > 0 && rest_pending) state = migrate::RecordedStates(dir).after(migrations[prefix - 1], why);
    if (state) {
      e.schema = std::move(*state);
      e.against = "the state after " + migrations[prefix - 1].id() + ", the last migration applied (as recorded)";
      e.notes.push_back(std::to_string(e.pending.size()) +
                        " migration(s) pending, not part of the comparison: `schemactl migrate up` applies them");
    } else {
      e.against = "the registry (the state after every migration, pending ones included)";
      e.notes.push_back(std::to_string(e.pending.size()) +
                        " migration(s) pending and the state before them is unknown (" + why +
                        "), so what the pending ones change shows as drift below; run `schemactl migrate up`, "
                        "then `diff` again");
    }
  }
  return e;
}

}  // namespace schemactl::drift
