// Postgres dollar quoting: a tag that the quoted text cannot end early.
#pragma once

#include <string>
#include <string_view>

namespace schemactl {

// The first of `$<base>$`, `$<base>1$`, `$<base>2$` ... that closes `body` only at its end: the
// tag does not occur in `body` followed by the tag (so neither inside the body nor straddling its
// last characters). `base` is empty or letters, digits and underscores, not starting with a digit;
// an empty base tries `$$` first and then `$schemactl$`, `$schemactl1$` ...
std::string dollar_tag(std::string_view body, std::string_view base = "");

// `tag + body + tag` with dollar_tag(body, base).
std::string dollar_quote(std::string_view body, std::string_view base = "");

}  // namespace schemactl
