// Parse tree → owned AST. Internal to compiler/parse.
#pragma once
#include "DoudiParser.h"
#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"

namespace doudi::parse_detail {

ast::File build_ast(doudi_gen::DoudiParser::FileContext* ctx, const std::string& text,
                    const std::vector<uint32_t>& cp_to_byte, FileId file, Dialect dialect, DiagSink& diags);

}  // namespace doudi::parse_detail
