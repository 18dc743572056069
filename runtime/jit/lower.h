// The IR lowered to LLVM IR (lower.cc): part of libdoudi_jit.so only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/jit/jit_abi.h"

namespace llvm {
class Module;
}

namespace doudi::jit {

// Adds one internal function per IR function of `m` to `out`, the entry
// point kDecideRunSymbol that calls them (jit_abi.h), and declarations of the
// helpers. False with `error` if LLVM's verifier rejects the result (a
// lowering bug, never the rules' fault).
bool lower_module(const ir::Module& m, const HelperAddress* helpers, size_t helper_count, llvm::Module& out,
                  std::string& error);

}  // namespace doudi::jit
