// `migrate rm VERSION`: removes the latest migration (both files, every dialect) and puts
// snapshot.json back to the state it was planned from (found by its `schemactl:parent` hash) and
// schemactl.sum in step. Only the latest: every later migration was planned from the state the
// removed one leaves. Whether a database applied it is the caller's check (cli, with --url).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "output/staged_write.hpp"

namespace schemactl::migrate {

struct RemoveResult {
  std::string id;
  std::vector<FileChange> changes;  // relative to the migrations root
};

RemoveResult plan_remove(const std::filesystem::path& root, const std::string& version);

}  // namespace schemactl::migrate
