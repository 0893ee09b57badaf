// `schemactl migrate baseline VERSION --url URL`: record an existing database as being at VERSION,
// once the drift check shows it holds the state recorded with VERSION.
#include <algorithm>
#include <iostream>
#include <optional>

#include "apply/applier.hpp"
#include "cli/commands.hpp"
#include "drift/compare.hpp"
#include "drift/report.hpp"
#include "migrate/recorded_states.hpp"
#include "util/text.hpp"

namespace schemactl::cli {

int run_baseline(const MigrateOptions& o) {
  db::DatabaseUrl url = database_url(o.url, o.dialect);
  migrate::Directory dir(o.migrations_dir, url.dialect);
  auto migrations = dir.list();
  auto it = std::find_if(migrations.begin(), migrations.end(),
                         [&](const migrate::Migration& m) { return m.version == o.baseline_version; });
  if (it == migrations.end()) {
    std::vector<std::string> versions;
    for (const auto& m : migrations) versions.push_back(m.version);
    throw Error("cannot baseline: no migration has version " + o.baseline_version + " in " + dir.path().string() +
                (versions.empty() ? " (it holds no migrations)" : " (versions: " + join(versions, ", ") + ")"));
  }
  const bool latest = &*it == &migrations.back();
  // The state recorded with VERSION: snapshot.json for the latest, else the one its up file names.
  std::string why;
  std::optional<schema::Schema> state =
      latest ? std::optional<schema::Schema>(dir.snapshot()) : migrate::RecordedStates(dir).after(*it, why);
  auto conn = db::connect(url);
  const std::string where = url.redacted();
  if (!state && !o.force)
    throw Error("cannot baseline at " + it->id() + ": the state at that version is not recorded (" + why +
                "), so the database cannot be checked against it; baseline at " + migrations.back().version +
                ", or pass --force to record " + it->version + " without a check");
  apply::Format format = o.format == "json"       ? apply::Format::json
                         : o.format == "markdown" ? apply::Format::markdown
                                                  : apply::Format::text;
  if (state) {
    if (!apply::History(*conn).rows().empty()) {
      apply::Applier applier(*conn, o.migrations_dir, {});
      applier.baseline(o.baseline_version);  // refuses, naming the recorded rows
    }
    drift::Expectation expected;
    expected.schema = std::move(*state);
    expected.against = "the state after " + it->id() +
                       (latest ? " (" + std::string(migrate::Directory::kSnapshot) + ")" : " (as recorded)");
    drift::DriftReport report = drift::compare(*conn, expected.schema);
    if (!report.clean()) {
      std::cerr << drift::render_drift(report, expected, format, where);
      if (!o.force)
        throw Error("cannot baseline at " + it->id() + ": the database differs from the state at that version (" +
                    std::to_string(report.differences.size()) +
                    " difference(s) above); repair it (`schemactl diff --sql FILE`) or pass --force");
      std::cerr << "--force: recording it anyway\n";
    }
  }
  apply::Options options;
  options.lock_timeout_seconds = o.lock_timeout;
  apply::Applier applier(*conn, o.migrations_dir, options);
  std::cout << applier.baseline(o.baseline_version) << " on " << where << "\n";
  return 0;
}

}  // namespace schemactl::cli
