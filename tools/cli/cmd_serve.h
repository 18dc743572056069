// The decision service's set-up, shared by doudi-serve and `doudi serve
// --request POST /v1/decide --body FILE`, which answers one request in this
// process, with no port: the same answer the server gives (scripts, and the
// golden tests of the API's errors).
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "tools/cli/commands.h"
#include "tools/cli/serve_options.h"
#include "tools/serve/service.h"

namespace doudi::cli {

struct ServeSetup {
  serve::ServedRules rules;
  std::unique_ptr<serve::DurableLog> log;  // null with --no-log
  serve::ServiceOptions options;
};
// Loads the rule sets, the log key and the log; reports problems and returns
// the exit code (0 when `out` is ready).
int serve_setup(const Common& c, const ServeArgs& a, ServeSetup& out);

// doudi serve --request: answers one request in this process.
int cmd_serve_request(const Common& c, const ServeArgs& a);

}  // namespace doudi::cli
