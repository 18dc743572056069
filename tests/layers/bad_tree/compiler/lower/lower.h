// Fixture for include_layers: the compiler may not include tools.
#include "tools/cli/cli.h"
