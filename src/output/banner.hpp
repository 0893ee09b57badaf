// The header every generated SQL file starts with, and the visible list of skipped objects.
#pragma once

#include <string>

#include "schema/schema.hpp"

namespace schemactl {

// A one-line SQL comment: newlines and control characters cannot end it early.
std::string sql_comment_line(const std::string& text);
// "-- schemactl install script ..." naming the registry and the dialect. Nothing in it depends on
// the registry's content (no hash), so two branches that change different parts of the registry
// do not both change the banner (and conflict in it) when merged.
std::string install_banner(const schema::Schema& schema);
// "-- skipped on tidb: ..." lines, one per object this dialect does not get ("" if none).
std::string skipped_section(const schema::Schema& schema);
// "-- Requires tables owned by the application: ..." ("" if there are no external tables).
std::string external_tables_note(const schema::Schema& schema);

}  // namespace schemactl
