// Everything `schemactl generate` writes, computed in memory.
#pragma once

#include <filesystem>

#include "lower/compile.hpp"
#include "output/fileset.hpp"

namespace schemactl {

// postgres/install.sql, tidb/install.sql and include/<registry>/*.hpp, relative to the output dir.
FileSet generate_outputs(const Compiled& compiled, const std::filesystem::path& templates);

}  // namespace schemactl
