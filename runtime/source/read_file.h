// Reading whole files (rules, records, bundles, keys), and the one E0007
// diagnostic for a file that cannot be read.
#pragma once
#include <string>

#include "runtime/diag/diagnostic.h"

namespace doudi {

// The whole file, bytes as they are; false if it cannot be opened or read.
bool read_source_file(const std::string& path, std::string& out);

// E0007 "cannot read `path`: no such file or not readable", with no position.
Diagnostic unreadable_file(const std::string& path);

}  // namespace doudi
