// gen_registry: writes a synthetic schemactl registry for benchmarking.
//
//   gen_registry N OUTDIR [--seed S] [--variant base|changed]
//
// OUTDIR/registry.yaml (`registry: bench`, default types) and N entity files entity_00001.yaml ...
// Entity i holds one enum `e<i>_state` and one table `t<i>` of 13 columns: a uuid primary key
// (default uuid), string(n), text, int, bigint, double, decimal(12,2), bool, timestamptz (default
// now), json (nullable), date, the entity's enum, and `prev_id`, a nullable uuid referencing
// t<i-1>.id ON DELETE SET NULL (absent on the first table). Two indexes per table: one single-column
// and one two-column with a DESC key.
//
// The output depends only on (N, seed, variant). Every random choice is drawn from a generator
// seeded by (seed, i), so the `changed` variant differs from `base` exactly where intended:
//   - every tenth table (t00010, t00020, ...) gains two columns (extra_note text, extra_rank int
//     NOT NULL DEFAULT 0) and loses its single-column index;
//   - one extra entity file (entity_<N+1>.yaml, table t<N+1>, referencing t<N>) is added.
// Stale entity_*.yaml files in OUTDIR (from an earlier, larger N) are removed.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// splitmix64: tiny, and (unlike the std distributions) gives the same sequence everywhere.
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for benchmark data.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};

Rng rng_for(std::uint64_t seed, std::uint64_t i) {
  Rng r{seed * 0x100000001B3ULL ^ (i + 0x51ED27ULL)};
  r.next();
  r.next();
  return r;
}

int usage(const char* argv0) {
  std::cerr << "usage: " << argv0 << " N OUTDIR [--seed S] [--variant base|changed]\n";
  return 2;
}

bool parse_u64(const std::string& s, std::uint64_t& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  try {
    out = std::stoull(s);
  } catch (...) {
    return false;
  }
  return true;
}

std::string pad(std::size_t i, int width) {
  std::string s = std::to_string(i);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  return s;
}

const std::vector<std::string> kNouns = {"order",   "invoice", "shipment", "account", "ledger",   "device",
                                         "session", "ticket",  "report",   "channel", "contract", "asset"};
const std::vector<std::string> kAdjectives = {"primary", "archived", "pending", "external", "regional",
                                              "shared",  "internal", "legacy",  "scheduled"};
const std::vector<std::string> kStates = {"draft", "active", "paused",   "blocked", "review",
                                          "done",  "failed", "archived", "expired", "queued"};
// Columns that may carry the single-column index (all plain B-tree-able, no TEXT/JSON).
const std::vector<std::string> kIndexable = {"name", "quantity", "total_count", "created_at", "due_on", "amount"};

struct Options {
  std::uint64_t n = 0;
  fs::path out;
  std::uint64_t seed = 42;
  bool changed = false;
};

void write_file(const fs::path& p, const std::string& content) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << content;
  f.flush();
  if (!f) {
    std::cerr << "gen_registry: cannot write " << p << "\n";
    std::exit(1);
  }
}

// One entity file. `i` is 1-based; `width` the zero-padding of names.
std::string entity_yaml(const Options& o, std::size_t i, int width, bool extra_table) {
  Rng r = rng_for(o.seed, i);
  const std::string id = pad(i, width);
  const std::string table = "t" + id;
  const std::string en = "e" + id + "_state";

  // All random draws happen here, in a fixed order, independently of the variant.
  const std::string noun = r.pick(kNouns);
  const std::string adj = r.pick(kAdjectives);
  const std::size_t name_len = 32 + 8 * r.below(28);  // 32 .. 248
  const std::size_t code_len = 8 + r.below(57);       // 8 .. 64
  std::vector<std::string> states;
  {
    const std::size_t nstates = 3 + r.below(5);  // 3 .. 7 distinct values
    std::size_t start = r.below(kStates.size());
    for (std::size_t k = 0; k < nstates; ++k) states.push_back(kStates[(start + k) % kStates.size()]);
  }
  const std::string idx_col = r.pick(kIndexable);
  const bool active_default = r.below(2) == 0;

  std::ostringstream y;
  y << "# Synthetic benchmark entity " << i << " (gen_registry, seed " << o.seed << ").\n";
  y << "entity: Entity" << id << "\n";
  y << "description: Synthetic " << adj << " " << noun << " records, entity " << i << ".\n";
  y << "enums:\n";
  y << "  " << en << ":\n";
  y << "    values: [";
  for (std::size_t k = 0; k < states.size(); ++k) y << (k ? ", " : "") << states[k];
  y << "]\n";
  y << "    description: Lifecycle of a " << noun << ".\n";
  y << "tables:\n";
  y << "  " << table << ":\n";
  y << "    description: " << (adj == "archived" ? "Archived" : "Live") << " " << noun << " rows of entity " << i
    << ".\n";
  y << "    columns:\n";
  y << "      id: { type: uuid, primary_key: true, default: { expr: uuid } }\n";
  y << "      name: { type: string(" << name_len << "), nullable: false, description: Display name of the " << noun
    << ". }\n";
  y << "      code: { type: string(" << code_len << ") }\n";
  y << "      notes: text\n";
  y << "      quantity: { type: int, nullable: false, default: 0 }\n";
  y << "      total_count: bigint\n";
  y << "      score: { type: double, description: Relevance score. }\n";
  y << "      amount: { type: \"decimal(12,2)\", nullable: false, default: 0 }\n";
  y << "      is_active: { type: bool, nullable: false, default: " << (active_default ? "true" : "false") << " }\n";
  y << "      created_at: { type: timestamptz, nullable: false, default: { expr: now } }\n";
  y << "      payload: { type: json, nullable: true }\n";
  y << "      due_on: date\n";
  y << "      state: { type: enum(" << en << "), nullable: false, default: " << states[0] << " }\n";
  if (i > 1) {
    y << "      prev_id:\n";
    y << "        type: uuid\n";
    y << "        nullable: true\n";
    y << "        references: { table: t" << pad(i - 1, width) << ", column: id, on_delete: set null }\n";
    y << "        description: The previous entity's row.\n";
  }
  const bool tenth = o.changed && !extra_table && i % 10 == 0;
  if (tenth) {
    y << "      extra_note: text\n";
    y << "      extra_rank: { type: int, nullable: false, default: 0 }\n";
  }
  y << "    indexes:\n";
  if (!tenth) y << "      - { columns: [" << idx_col << "] }\n";
  y << "      - { columns: [state, { column: created_at, order: desc }] }\n";
  return y.str();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::vector<std::string> pos;
  for (int a = 1; a < argc; ++a) {
    std::string arg = argv[a];
    if (arg == "--seed" || arg == "--variant") {
      if (a + 1 >= argc) return usage(argv[0]);
      std::string v = argv[++a];
      if (arg == "--seed") {
        if (!parse_u64(v, o.seed)) return usage(argv[0]);
      } else if (v == "base" || v == "changed") {
        o.changed = v == "changed";
      } else {
        return usage(argv[0]);
      }
    } else if (arg == "-h" || arg == "--help") {
      usage(argv[0]);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage(argv[0]);
    } else {
      pos.push_back(arg);
    }
  }
  if (pos.size() != 2 || !parse_u64(pos[0], o.n) || o.n == 0) return usage(argv[0]);
  o.out = pos[1];

  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) {
    std::cerr << "gen_registry: cannot create " << o.out << ": " << ec.message() << "\n";
    return 1;
  }

  const std::size_t total = o.n + (o.changed ? 1 : 0);
  // Same width for both variants (the changed one has N+1 entities), so names line up.
  const int width = std::max<int>(5, static_cast<int>(std::to_string(o.n + 1).size()));

  // Remove entity files of an earlier run that this one does not write.
  for (const auto& e : fs::directory_iterator(o.out, ec)) {
    const std::string f = e.path().filename().string();
    if (f.rfind("entity_", 0) == 0 && e.path().extension() == ".yaml") fs::remove(e.path(), ec);
  }

  // Identical for both variants, so that a diff of the two registries is only the intended changes.
  std::ostringstream reg;
  reg << "# Synthetic benchmark registry (gen_registry, seed " << o.seed << ").\n";
  reg << "registry: bench\n";
  reg << "description: Synthetic registry for benchmarking schemactl.\n";
  write_file(o.out / "registry.yaml", reg.str());

  for (std::size_t i = 1; i <= total; ++i)
    write_file(o.out / ("entity_" + pad(i, width) + ".yaml"), entity_yaml(o, i, width, i > o.n));
  return 0;
}
