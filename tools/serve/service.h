// The decision service's API, without a transport: a request in, a response
// out. `doudi-serve` puts it behind HTTP (cpp-httplib); `doudi serve
// --request` answers one request from the command line with it. Routes are
// under /v1 (docs/api.md); every error is JSON with the diagnostic code,
// both languages and the place.
#pragma once
#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "doudi/engine.h"
#include "tools/serve/durable_log.h"
#include "tools/serve/served_rules.h"

namespace doudi::serve {

struct Request {
  std::string method;  // GET, POST, ...
  std::string path;    // without the query
  std::multimap<std::string, std::string> query;
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
};

struct ServiceOptions {
  size_t max_body_bytes = 4 << 20;  // larger bodies: 413
  Lang lang = Lang::Zh;             // messages' first language where one is shown alone
};

class Service {
 public:
  // `log` may be null (`--no-log`): decisions are then answered unlogged.
  Service(ServedRules rules, DurableLog* log, ServiceOptions options);
  Response handle(const Request& request);
  // From now on /v1/health answers 503 "stopping"; requests already
  // received are still answered (the transport stops taking new ones).
  void begin_shutdown() { stopping_ = true; }
  const ServedRules& rules() const { return rules_; }
  const ServiceOptions& options() const { return options_; }

 private:
  Response route(const Request& request);
  Response decide(const Request& request);
  Response ruleset(const std::string& digest);
  Response rulesets();
  Engine* engine_for(const ServedRuleSet& r, std::string& error);

  ServedRules rules_;
  DurableLog* log_;
  ServiceOptions options_;
  std::atomic<bool> stopping_{false};
};

// The JSON body of an error response: {"error": {"status", "code", "zh",
// "en", "diagnostics": [...]}} with each diagnostic as `doudi
// --diagnostics json` writes it.
Response error_response(int status, const std::vector<Diagnostic>& diagnostics, const SourceManager* sources = nullptr);

std::string doudi_version();

}  // namespace doudi::serve
