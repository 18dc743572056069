// doudi serve: the decision service. The HTTP server is its own program,
// doudi-serve (cpp-httplib and what it links cost every other command ~5 ms
// at start, so `doudi` does not link them): `doudi serve` runs it with the
// same arguments; `--request` answers one request in this process
// (cmd_serve.h).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "tools/cli/commands.h"

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

// Runs doudi-serve (beside this program, else on PATH) with the arguments
// after `serve` in `args`; returns only when it cannot be started.
int exec_server(const Common& c, const std::vector<std::string>& args);

}  // namespace doudi::cli
