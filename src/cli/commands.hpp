// One function pair per command: options + setup on the CLI11 app, and run -> exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "db/url.hpp"

namespace schemactl::cli {

struct ValidateOptions {
  std::string schema_dir = "schema";
};
void setup_validate(CLI::App& app, ValidateOptions& options);
int run_validate(const ValidateOptions& options);

struct GenerateOptions {
  std::string schema_dir = "schema";
  std::string out_dir = "generated";
  std::string templates_dir;
  bool check = false;
};
void setup_generate(CLI::App& app, GenerateOptions& options);
int run_generate(const GenerateOptions& options);

struct MigrateOptions {
  std::string schema_dir = "schema";
  std::string migrations_dir = "migrations";
  std::string out_dir = "generated";
  std::string templates_dir;
  // migrate new
  std::string name;
  std::string version;
  bool empty = false;
  bool allow_destructive = false;
  CLI::App* new_cmd = nullptr;
  CLI::App* check_cmd = nullptr;
  std::vector<std::string> scratch_urls;  // migrate check: replay on these empty databases
  CLI::App* hash_cmd = nullptr;
  // migrate rebase | rm VERSION
  std::string target_version;
  CLI::App* rebase_cmd = nullptr;
  CLI::App* rm_cmd = nullptr;
  // migrate status | plan | up | down | resolve
  std::string url;
  std::string dialect;
  std::string format = "text";
  int lock_timeout = 60;
  int lock_wait_timeout = 10;
  int lock_retries = 3;
  int statement_timeout = 0;
  bool allow_rewrite = false;
  std::string to;
  int steps = 0;
  bool allow_out_of_order = false;
  bool exit_code = false;
  bool plan_down = false;
  std::string resolve_version;
  bool statement_applied = false;
  bool statement_not_applied = false;
  bool mark_applied = false;
  bool accept_checksum = false;
  CLI::App* status_cmd = nullptr;
  CLI::App* plan_cmd = nullptr;
  CLI::App* up_cmd = nullptr;
  CLI::App* down_cmd = nullptr;
  CLI::App* resolve_cmd = nullptr;
  // migrate baseline
  std::string baseline_version;
  bool force = false;
  CLI::App* baseline_cmd = nullptr;
};
void setup_migrate(CLI::App& app, MigrateOptions& options);
int run_migrate(const MigrateOptions& options);
void setup_apply(CLI::App& migrate, MigrateOptions& options);
int run_apply(const MigrateOptions& options);
int run_baseline(const MigrateOptions& options);

struct DiffOptions {
  std::string url;
  std::string schema_dir = "schema";
  std::string migrations_dir = "migrations";
  std::string dialect;
  std::string format = "text";
  std::string sql_file;
  bool exit_code = false;
};
void setup_diff(CLI::App& app, DiffOptions& options);
int run_diff(const DiffOptions& options);

// --url, else DATABASE_URL, parsed; `dialect` (from --dialect, may be empty) must match it.
db::DatabaseUrl database_url(const std::string& url, const std::string& dialect);

struct InspectOptions {
  std::string url;
  std::string out_dir;  // empty: print to standard output
  std::string format = "yaml";
  std::string pg_schema = "public";
  std::vector<std::string> tables;
  std::vector<std::string> entities;  // NAME=GLOB
  bool force = false;
};
void setup_inspect(CLI::App& app, InspectOptions& options);
int run_inspect(const InspectOptions& options);

}  // namespace schemactl::cli
