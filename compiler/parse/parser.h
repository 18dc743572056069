// The only door between ANTLR and the rest of Doudi: text in, owned AST out.
#pragma once
#include <cstddef>
#include <optional>

#include "compiler/ast/ast.h"
#include "runtime/diag/diagnostic.h"

namespace doudi {

// The largest rule file read (E0018 beyond): a policy module is tens of KB.
inline constexpr size_t kMaxRuleFileBytes = 4 << 20;

// Parses one file. Returns nullopt when the file has syntax errors (they are
// reported to `diags`; several per file, recovery is bounded).
std::optional<ast::File> parse_file(const SourceManager& sm, FileId file, DiagSink& diags);

}  // namespace doudi
