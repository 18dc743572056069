// Fixture for include_layers: the compiler may not include tools.
#include "tools/cli/cli.h"
// ... nor the analysis home, below it.
#include "compiler/analysis/smt.h"
