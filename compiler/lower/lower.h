// Checked program → IR module. Call only on a program without errors.
#pragma once
#include "runtime/ir/ir.h"
#include "compiler/sema/program.h"

namespace doudi {

ir::Module lower_program(const Program& program);

}  // namespace doudi
