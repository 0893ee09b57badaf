#include "migrate/new_migration.hpp"

#include "dialect/dialect.hpp"
#include "migrate/directory.hpp"
#include "migrate/writer.hpp"
#include "output/fileset.hpp"
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

NewResult plan_new_migration(const Compiled& compiled, const std::filesystem::path& root, const NewOptions& options) {
  NewResult out;
  std::string version = options.version.empty() ? utc_version() : options.version;
  if (!valid_version(version)) throw Error("version '" + version + "' is not YYYYMMDD_HHMMSS", ExitCode::usage);
  out.id = version + "_" + slug(options.name);
  diff::Renames renames = declared_renames(compiled.registry);
  bool any_change = false;
  std::map<DialectId, std::vector<diff::Change>> changes;
  std::map<DialectId, schema::Schema> recorded;
  for (DialectId d : kAllDialects) {
    Directory dir(root, d);
    auto existing = dir.list();
    if (!existing.empty() && existing.back().version >= version)
      throw Error("version " + version + " is not after the latest " + dialect_name(d) + " migration " +
                  existing.back().id() + "; pass a later --version");
    if (auto problems = dir.verify_sum(); !problems.empty())
      throw Error("migrations/" + dialect_name(d) + " does not match its " + Directory::kSum +
                  "; fix that first:\n  " + [&] {
                    std::string s;
                    for (const auto& p : problems) s += (s.empty() ? "" : "\n  ") + p;
                    return s;
                  }());
    recorded[d] = dir.snapshot();
    changes[d] = diff::diff(recorded[d], compiled.schemas.at(d), renames);
    any_change = any_change || !changes[d].empty();
  }
  if (!options.empty && !any_change) {
    out.nothing_to_do = true;
    return out;
  }
  for (DialectId d : kAllDialects) {
    Directory dir(root, d);
    const Dialect& dialect = dialect_for(d);
    MigrationText text;
    schema::Schema next = recorded[d];
    if (options.empty) {
      text = render_empty_migration(dialect, out.id);
    } else {
      plan::Options po;
      po.allow_destructive = options.allow_destructive;
      out.plans[d] = plan::make_plan(changes[d], recorded[d], compiled.schemas.at(d), dialect, po);
      text = render_migration(out.plans[d], dialect, out.id, compiled.registry.content_hash);
      next = compiled.schemas.at(d);
    }
    std::string sub = dialect_name(d) + "/";
    std::vector<std::pair<std::string, std::string>> pending = {
        {out.id + ".up.sql", text.up}, {out.id + ".down.sql", text.down}, {Directory::kSnapshot, dir.snapshot_text(next)}};
    std::string sum = dir.compute_sum(pending);
    for (auto& [file, content] : pending) out.files.emplace_back(sub + file, content);
    out.files.emplace_back(sub + Directory::kSum, sum);
  }
  return out;
}

void write_new_migration(const NewResult& result, const std::filesystem::path& root) {
  for (const auto& [path, content] : result.files) write_file_atomic(root / path, content);
}

}  // namespace schemactl::migrate
