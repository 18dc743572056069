// Fixture for include_layers: the runtime may not include the compiler.
#include "compiler/lower/lower.h"
// Angle brackets do not hide our own headers.
#include <tools/cli/cli.h>
