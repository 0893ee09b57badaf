// What the live database should hold, given its history: the state the drift check compares with.
#pragma once

#include <string>
#include <vector>

#include "apply/history.hpp"
#include "migrate/directory.hpp"
#include "schema/schema.hpp"

namespace schemactl::drift {

struct Expectation {
  schema::Schema schema;
  std::string against;               // e.g. "the registry (every migration is applied)"
  std::vector<std::string> pending;  // migrations of the directory not (fully) applied, by id
  std::vector<std::string> notes;    // how pending migrations are treated, and anything else to know
};

// The registry's lowered schema (`registry`), the state after every migration. With migrations
// pending after the ones applied, the state after the last one applied, found through the snapshot
// hash its up file records (snapshot.json, or a version of it in git); when that cannot be found,
// still the registry, and the notes say that the changes of the pending migrations show as drift.
Expectation expected_state(const std::vector<apply::HistoryRow>& history, const migrate::Directory& dir,
                           const schema::Schema& registry);

}  // namespace schemactl::drift
