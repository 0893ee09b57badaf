// What the adopt tests compare: the catalog as the server itself reports it (queries written here,
// not the tool's inspection), and the inspect -> validate -> generate -> install round trip.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli_support.hpp"

namespace schemactl::test {

using Rows = std::vector<std::vector<std::optional<std::string>>>;
// One line per row ("a | b | <NULL> | "), sorted: rows compared whatever order the server sent.
std::string rows_text(const Rows& rows);

std::string server_catalog(const FreshDatabase& db);
// The lines only one side has ("- " the expected's, "+ " the actual's): what a failure shows.
std::string line_diff(const std::string& expected, const std::string& actual);

#define CHECK_SAME_CATALOG(expected, actual)                            \
  do {                                                                  \
    const std::string e_ = (expected), a_ = (actual);                   \
    CHECK_MESSAGE(e_ == a_, "catalog differs:\n" << line_diff(e_, a_)); \
  } while (0)

// inspect -> validate -> generate -> install.sql (twice, with the dialect's own client) on a fresh
// database: the same catalog as the database it was read from; `diff --url` of the original
// against the registry it was read as finds nothing; and inspect prints the same bytes for both.
// Returns what `generate` wrote (all_files() of its directory).
std::string adopt_round_trip(const FreshDatabase& original, const db::DatabaseUrl& server, const std::string& label);

}  // namespace schemactl::test
