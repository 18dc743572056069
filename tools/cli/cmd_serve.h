// doudi serve: the decision service. The HTTP server is its own program,
// doudi-serve (cpp-httplib and what it links cost every other command ~5 ms
// at start, so `doudi` does not link them): `doudi serve` runs it with the
// same arguments. `doudi serve --request POST /v1/decide --body FILE`
// answers one request in this process, with no port: the same answer the
// server gives (scripts, and the golden tests of the API's errors).
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "tools/cli/commands.h"
#include "tools/serve/service.h"

namespace CLI {
class App;
}

namespace doudi::cli {

struct ServeArgs {
  std::vector<std::string> bundles, rule_dirs, import_roots;
  std::string log, key_file, signing_key, trusted_keys, engine;
  bool no_log = false;
  std::string bind = "127.0.0.1";
  int port = 8080;
  unsigned threads = 0;  // 0: four per core, at least 16
  size_t max_body = 4 << 20;
  int full_checks = -1;  // -1: one per two cores (at least one)
  std::vector<std::string> request;  // --request METHOD PATH[?QUERY]
  std::string body;                  // --body FILE
  std::string content_type = "application/json";  // --content-type, for --request
};

// The options both `doudi serve` and `doudi-serve` take.
void add_serve_options(CLI::App* cmd, ServeArgs& a);

struct ServeSetup {
  serve::ServedRules rules;
  std::unique_ptr<serve::DurableLog> log;  // null with --no-log
  serve::ServiceOptions options;
};
// Loads the rule sets, the log key and the log; reports problems and returns
// the exit code (0 when `out` is ready).
int serve_setup(const Common& c, const ServeArgs& a, ServeSetup& out);

int cmd_serve(const Common& c, const ServeArgs& a, const std::vector<std::string>& args);

}  // namespace doudi::cli
