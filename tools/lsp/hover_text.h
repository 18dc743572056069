// What hovering over a name shows: its kind, type and unit, and for a
// parameter every value set for it (per jurisdiction, with dates and
// citations, as written); for a definition or rule its citations and 解释;
// for a field the comment above it in the schema. Markdown.
#pragma once
#include <string>

#include "compiler/index/name_index.h"

namespace doudi::lsp {

std::string hover_text(const Program& program, const NameIndex& names, const NameRef& ref, Lang lang);

}  // namespace doudi::lsp
