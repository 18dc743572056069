// Canonical layout of a parsed file, in either dialect. Comments are kept:
// each goes before the line it preceded, or at the end of the line it
// followed. Identifiers are never translated; keywords, units and builtin
// names are.
#pragma once
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "runtime/source/source.h"

namespace doudi {

std::string format_file(const ast::File& file, const SourceManager& sm, Dialect to);

// One expression in canonical form, with the parentheses its structure needs.
std::string format_expr(const ast::Expr& e, Dialect to);

// The expression on one line if it fits in `width` columns; otherwise a
// chain of + − 且 或 broken before each operator (later lines indented).
std::vector<std::string> format_expr_lines(const ast::Expr& e, Dialect to, int width);

}  // namespace doudi
