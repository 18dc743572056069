// Fixture for include_layers: ...but tools reach it through an analysis header,
// and ANTLR and LLVM directly.
#include "compiler/analysis/smt.h"
#include "antlr4-runtime.h"
#include <llvm/IR/Module.h>
