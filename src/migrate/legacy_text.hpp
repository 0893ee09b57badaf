// How files planned by earlier schemactl versions differ from what it plans today, where the
// difference is one of layout: a file is compared with a re-plan of the same change after this.
#pragma once

#include <string>

namespace schemactl::migrate {

// `text` with function bodies as they are written today: up to this version, `CREATE FUNCTION ...
// AS $function$` was followed by a line break that the body does not have (now the body goes
// between the quotes exactly, as pg_get_functiondef prints it).
std::string unframed_function_bodies(const std::string& text);

}  // namespace schemactl::migrate
