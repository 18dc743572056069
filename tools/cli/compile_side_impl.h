// The compile side's one implementation: the commands and answers of
// compile_side.h, run in the process that has them (linked in, or the
// libdoudi_compile.so that `doudi` loaded).
#pragma once
#include "tools/cli/compile_side.h"

namespace doudi::cli {

const CompileSide& compile_side_impl();

}  // namespace doudi::cli
