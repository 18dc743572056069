// Name resolution and type checking of a loaded program. Annotates the AST in
// place and fills Program's tables. Reports every problem it finds; an
// expression that fails gets the error type, which silences follow-on errors.
#pragma once
#include "compiler/sema/program.h"

namespace doudi {

void check_program(Program& program, DiagSink& diags);

// Builtin functions and names, identified in Expr::ref_sub.
enum class Builtin : uint8_t {
  PerMonth, PerYear, MonthsBetween, Present, RoundDown, RoundUp, RoundHalfUp, Lesser, Greater, DecisionMonth, FirstDay
};

}  // namespace doudi
