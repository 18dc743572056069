// Parse tree → owned AST. Internal to compiler/parse.
#pragma once
#include "DoudiParser.h"
#include "compiler/ast/ast.h"
#include "runtime/diag/diagnostic.h"

namespace doudi::parse_detail {

ast::ItemNode build_item(doudi_gen::DoudiParser::ItemContext* ctx, const std::string& text,
                         const std::vector<uint32_t>& cp_to_byte, FileId file, DiagSink& diags);

// Records the module name and imports from the items; reports a missing or
// repeated module line.
void finish_file(ast::File& f, DiagSink& diags);

}  // namespace doudi::parse_detail
