// Fixture for include_layers: the runtime may not include the compiler.
#include "compiler/lower/lower.h"
