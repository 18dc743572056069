// Quick fixes for the diagnostics that have an obvious one, made when the
// diagnostics are published and carried in each diagnostic's `data` (the
// client sends them back with textDocument/codeAction):
//   - a "did you mean" note (N0402): the name replaced by the suggestion;
//   - a value that overlaps the next (E0117 with N0408): `至 DATE` added;
//   - a declaration without a citation (W0301): a citation placeholder.
#pragma once
#include <nlohmann/json.hpp>

#include "tools/lsp/documents.h"

namespace doudi::lsp {

// The fixes of `d` (in `doc`'s file of `a`) as [{title, edits: [TextEdit]}];
// empty when it has none.
nlohmann::json quick_fixes(const Analysis& a, const Document& doc, const Diagnostic& d, Lang lang);

}  // namespace doudi::lsp
