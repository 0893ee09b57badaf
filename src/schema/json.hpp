// schema::Schema <-> JSON: the recorded state of migrations/ (one snapshot per dialect).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "schema/schema.hpp"

namespace schemactl::schema {

// The text of snapshot.json: one object per line in each list.
std::string to_snapshot_text(const Schema& schema);
// Throws Error naming the first field that is missing or of the wrong type.
Schema schema_from_json(const nlohmann::json& j);

}  // namespace schemactl::schema
