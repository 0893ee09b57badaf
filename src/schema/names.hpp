// Names PostgreSQL derives for objects the SQL leaves unnamed; the registry's derived names follow
// the same rule (lower/names.hpp), and the planners and catalog comparisons use it for sequences.
#pragma once

#include <string>

namespace schemactl::schema {

// PostgreSQL's makeObjectName: "<name1>_<name2>_<label>" (name2 and label may be empty), the
// longer of the two names cut first, on a UTF-8 character boundary, so that it fits 63 bytes.
std::string object_name(const std::string& name1, const std::string& name2, const std::string& label);
// The sequence of a serial column: <table>_<column>_seq.
std::string sequence_name(const std::string& table, const std::string& column);

}  // namespace schemactl::schema
