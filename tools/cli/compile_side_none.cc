// In `doudi`, which links only the runtime: the compile side is loaded from
// libdoudi_compile.so when a command first needs it (compile_side.h).
#include "tools/cli/compile_side.h"

namespace doudi::cli {

const CompileSide* compile_side_in_process() { return nullptr; }

}  // namespace doudi::cli
