// libdoudi_compile.so's one entry point (everything else in it is hidden):
// the compile side, for the program that loaded it (compile_side_loader.cc).
#include "tools/cli/compile_side_impl.h"

extern "C" __attribute__((visibility("default"))) const doudi::cli::CompileSide* doudi_compile_side(int abi) {
  return abi == doudi::cli::kCompileSideAbi ? &doudi::cli::compile_side_impl() : nullptr;
}
