#include "migrate/new_migration.hpp"

#include <future>
#include <optional>

#include "dialect/dialect.hpp"
#include "migrate/directory.hpp"
#include "migrate/lineage.hpp"
#include "migrate/sum.hpp"
#include "migrate/writer.hpp"
#include "output/staged_write.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::migrate {

diff::Renames declared_renames(const registry::Registry& reg) {
  diff::Renames out;
  for (const auto& e : reg.entities)
    for (const auto& t : e.tables) {
      if (!t.renamed_from.empty()) out.tables[t.name] = t.renamed_from;
      for (const auto& f : t.fields)
        if (!f.renamed_from.empty()) out.columns[{t.name, f.name}] = f.renamed_from;
    }
  return out;
}

PlannedPair plan_pair(const schema::Schema& from, const schema::Schema& to, DialectId d, const std::string& id,
                      const std::string& after, const diff::Renames& renames, const plan::Options& options,
                      bool empty) {
  PlannedPair out;
  Directory dir(".", d);
  const Dialect& dialect = dialect_for(d);
  std::string parent = snapshot_hash(dir.snapshot_text(from));
  if (empty) {
    out.text = render_empty_migration(dialect, id, {after, parent, parent}, plan::session_settings(to));
    out.snapshot = dir.snapshot_text(from);
    return out;
  }
  auto changes = diff::diff(from, to, renames);
  out.changed = !changes.empty();
  out.plan = plan::make_plan(changes, from, to, dialect, options);
  out.snapshot = dir.snapshot_text(to);
  out.text = render_migration(*out.plan, dialect, id, {after, parent, snapshot_hash(out.snapshot)});
  return out;
}

namespace {

// One dialect's share of a new migration.
struct DialectPart {
  std::optional<plan::Plan> plan;
  bool changed = false;
  std::vector<std::pair<std::string, std::string>> files;
};

// What migrations/<dialect> holds now; read while the registry compiles.
struct Recorded {
  std::vector<Migration> migrations;
  std::vector<std::string> sum_problems;
  std::optional<schema::Schema> snapshot;  // unset when the sum does not match (not to be trusted)
};

Recorded read_recorded(const Directory& dir) {
  Recorded out;
  out.migrations = dir.list();
  for (auto& p : verify_sum(dir)) out.sum_problems.push_back(std::move(p.message));
  if (out.sum_problems.empty()) out.snapshot = dir.snapshot();
  return out;
}

DialectPart plan_dialect(const Compiled& compiled, const std::filesystem::path& root, DialectId d,
                         const Recorded& state, const std::string& version, const std::string& id,
                         const diff::Renames& renames, const NewOptions& options) {
  DialectPart out;
  Directory dir(root, d);
  if (!state.migrations.empty() && state.migrations.back().version >= version)
    throw Error("version " + version + " is not after the latest " + dialect_name(d) + " migration " +
                state.migrations.back().id() + "; pass a later --version");
  if (!state.sum_problems.empty()) {
    std::string list;
    for (const auto& p : state.sum_problems) list += "\n  " + p;
    throw Error("migrations/" + dialect_name(d) + " does not match its " + Directory::kSum +
                "; fix that first:" + list);
  }
  std::string after = state.migrations.empty() ? "none" : state.migrations.back().id();
  PlannedPair pair = plan_pair(*state.snapshot, compiled.schemas.at(d), d, id, after, renames,
                               plan::Options{options.allow_destructive, options.allow_rewrite}, options.empty);
  out.changed = pair.changed;
  out.plan = std::move(pair.plan);
  MigrationText& text = pair.text;
  std::string& snapshot = pair.snapshot;
  std::vector<std::pair<std::string, std::string>> pending = {
      {id + ".up.sql", text.up}, {id + ".down.sql", text.down}, {Directory::kSnapshot, snapshot}};
  std::string sum = dir.compute_sum(pending);
  std::string sub = dialect_name(d) + "/";
  for (auto& [file, content] : pending) out.files.emplace_back(sub + file, std::move(content));
  out.files.emplace_back(sub + Directory::kSum, sum);
  return out;
}

}  // namespace

NewResult plan_new_migration(const std::function<Compiled()>& compile, const std::filesystem::path& root,
                             const NewOptions& options) {
  NewResult out;
  if (!options.version.empty() && !valid_version(options.version))
    throw Error("version '" + options.version + "' is not YYYYMMDD_HHMMSS", ExitCode::usage);
  std::string name = slug(options.name);
  // The recorded state is read (and its large snapshots parsed) while the registry compiles.
  auto reading = std::async(std::launch::async, [&] {
    return std::make_pair(read_recorded(Directory(root, DialectId::postgres)),
                          read_recorded(Directory(root, DialectId::tidb)));
  });
  Compiled compiled = compile();
  // Not a structured binding: clang (before 16) cannot capture one in the lambda below.
  auto states = reading.get();
  auto& pg_state = states.first;
  auto& tidb_state = states.second;
  // By default, now; or, when the latest migration is as new (two within a second, or a clock
  // behind), the first second after it. An explicit --version is taken as given.
  std::string version = options.version;
  if (version.empty()) {
    version = utc_version();
    for (const Recorded* state : {&pg_state, &tidb_state})
      if (!state->migrations.empty() && state->migrations.back().version >= version)
        version = version_after(state->migrations.back().version);
  }
  out.id = version + "_" + name;
  diff::Renames renames = declared_renames(compiled.registry);
  // The dialects are independent: TiDB on a second thread. A refusal in either is rethrown here.
  auto tidb = std::async(std::launch::async, [&] {
    return plan_dialect(compiled, root, DialectId::tidb, tidb_state, version, out.id, renames, options);
  });
  DialectPart pg = plan_dialect(compiled, root, DialectId::postgres, pg_state, version, out.id, renames, options);
  DialectPart ti = tidb.get();
  if (!options.empty && !pg.changed && !ti.changed) {
    out.nothing_to_do = true;
    return out;
  }
  for (auto* part : {&pg, &ti}) {
    if (part->plan) out.plans[part == &pg ? DialectId::postgres : DialectId::tidb] = std::move(*part->plan);
    for (auto& f : part->files) out.files.push_back(std::move(f));
  }
  return out;
}

NewResult plan_new_migration(const Compiled& compiled, const std::filesystem::path& root, const NewOptions& options) {
  return plan_new_migration([&] { return compiled; }, root, options);
}

void write_new_migration(const NewResult& result, const std::filesystem::path& root, FileSystem& fs) {
  std::vector<FileChange> changes;
  for (const auto& [path, content] : result.files) changes.push_back({path, content});
  write_staged(root, changes, fs);
}

}  // namespace schemactl::migrate
