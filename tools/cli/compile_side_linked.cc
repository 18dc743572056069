// In a program that links the compile side (the tests, doudi-serve, the
// benchmarks, and libdoudi_compile.so itself): it is here, nothing is loaded.
#include "tools/cli/compile_side_impl.h"

namespace doudi::cli {

const CompileSide* compile_side_in_process() { return &compile_side_impl(); }

// Nothing to compare a library named by $DOUDI_COMPILE_LIBRARY with.
const char* compile_side_expected_build() { return ""; }

}  // namespace doudi::cli
