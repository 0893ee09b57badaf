// A canonical text of a whole schema, to compare two readings of a catalog (and to show them).
#pragma once

#include <string>

#include "schema/schema.hpp"

namespace schemactl::schema {

std::string dump(const Schema& s);

}  // namespace schemactl::schema
