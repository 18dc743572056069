// The `doudi` command line as a library: main() calls run_cli, and the golden
// tests call it in-process with their own streams.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace doudi {

// args excludes the program name. Returns the process exit code:
// 0 success, 1 errors in rules or input, 2 usage error, 3 a decision error.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace doudi
