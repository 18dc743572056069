// Reading whole files (rules, records, bundles, keys), and the one E0007
// diagnostic for a file that cannot be read.
#pragma once
#include <string>

#include "runtime/diag/diagnostic.h"

namespace doudi {

// The whole file, bytes as they are; false if it cannot be opened or read.
bool read_source_file(const std::string& path, std::string& out);

// A small file that must be a regular file of at most `max_bytes` (keys,
// checkpoints, proofs): a device or a pipe would be read without end. False,
// with why in both languages in `error`, otherwise.
bool read_regular_file(const std::string& path, std::string& out, std::string& error, long max_bytes);

// "not a regular file (a device, a pipe or a folder)", in both languages.
std::string not_a_regular_file();

// E0007 "cannot read `path`: no such file or not readable" (or "it is a
// folder, not a file"), with no position.
Diagnostic unreadable_file(const std::string& path);

}  // namespace doudi
