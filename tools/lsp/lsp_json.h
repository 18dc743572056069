// Our spans and diagnostics in the protocol's shapes: ranges in UTF-16
// positions, locations, Diagnostic objects with related information.
#pragma once
#include <nlohmann/json.hpp>

#include "compiler/index/name_index.h"
#include "tools/lsp/documents.h"
#include "tools/lsp/positions.h"

namespace doudi::lsp {

nlohmann::json position_json(Position p);
// The range of `span` in its file's text.
nlohmann::json range_json(const SourceManager& sm, const Span& span);
nlohmann::json location_json(const SourceManager& sm, const Span& span);
// SymbolKind numbers of the protocol, and the one a name's kind is shown as.
namespace symbol_kind {
enum : int { kModule = 2, kNamespace = 3, kMethod = 6, kProperty = 7, kField = 8, kEnum = 10, kFunction = 12,
             kVariable = 13, kConstant = 14, kEnumMember = 22, kStruct = 23, kEvent = 24 };
}
int symbol_kind_of(NameKind k);

// The position of a request (textDocument + position) as a byte offset.
uint32_t offset_in(const std::string& text, const nlohmann::json& position);

// The diagnostics of `doc`'s file in `a`, in `lang`. Those placed in a file
// it imports are shown at the top of the document, naming where they are.
nlohmann::json diagnostics_json(const Analysis& a, const Document& doc, Lang lang);

// One diagnostic of `sm` for the file `here` (elsewhere: at the top, naming
// where); a counterexample household (`data_json`) is related information.
nlohmann::json diagnostic_json(const Diagnostic& d, const SourceManager& sm, FileId here, Lang lang);

}  // namespace doudi::lsp
