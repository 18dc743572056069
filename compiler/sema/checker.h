// Name resolution and type checking of a loaded program. Annotates the AST in
// place and fills Program's tables. Reports every problem it finds; an
// expression that fails gets the error type, which silences follow-on errors.
#pragma once
#include "compiler/sema/program.h"
#include "runtime/types/builtins.h"

namespace doudi {

void check_program(Program& program, DiagSink& diags);

}  // namespace doudi
