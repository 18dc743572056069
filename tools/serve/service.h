// The decision service's API, without a transport: a request in, a response
// out. `doudi-serve` puts it behind HTTP (cpp-httplib); `doudi serve
// --request` answers one request from the command line with it. Routes are
// under /v1 (docs/api.md); every error is JSON with the diagnostic code,
// both languages and the place.
#pragma once
#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <variant>

#include "doudi/engine.h"
#include "tools/serve/durable_log.h"
#include "tools/serve/served_rules.h"

namespace doudi::serve {

struct Request {
  std::string method;  // GET, POST, ...
  std::string path;    // without the query
  std::multimap<std::string, std::string> query;
  std::string content_type;  // of the body, as sent (without parameters)
  std::string body;
};

struct Response {
  Response() = default;
  Response(int s, std::string type, std::string text) : status(s), content_type(std::move(type)), body(std::move(text)) {}
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // A streamed body (POST /v1/decide/batch): after the status line, the
  // transport calls `stream`, which writes the body piece by piece and
  // returns false if it stopped early. `write` returns false once the
  // client has gone.
  using Write = std::function<bool(std::string_view)>;
  std::function<bool(const Write& write)> stream;
};

struct ServiceOptions {
  size_t max_body_bytes = 4 << 20;  // larger bodies: 413
  Lang lang = Lang::Zh;             // messages' first language where one is shown alone
  // Where rule text sent to /v1/check and /v1/test may stand (the --rules
  // folders) and where its imports are found besides its own root (-I).
  std::vector<std::string> rule_dirs, import_roots;
  // How long /v1/check may prove before it answers with what it has, and
  // how many jobs for the solver (such checks, why-not and thresholds
  // questions) run at once (more: 503 E6011 or E6012).
  unsigned proof_seconds = 30;
  unsigned full_checks = 2;
  // Random, made at start, in the batch of every decision this server logs:
  // decision ids then cannot be worked out from public data (a digest, a
  // month, a place and a count), so GET /v1/decisions/{id} finds only
  // decisions whose id the caller was given.
  std::string batch_nonce;
};

class Service {
 public:
  // `log` may be null (`--no-log`): decisions are then answered unlogged.
  Service(ServedRules rules, DurableLog* log, ServiceOptions options);
  Response handle(const Request& request);
  // Writes a streamed response's body; false if it stopped early (the
  // client gone, the log failed, an internal error, which is written as a
  // last line).
  bool stream(const Response& response, const Response::Write& write);
  // From now on /v1/health answers 503 "stopping"; requests already
  // received are still answered (the transport stops taking new ones).
  void begin_shutdown() { stopping_ = true; }
  const ServedRules& rules() const { return rules_; }
  const ServiceOptions& options() const { return options_; }

 private:
  Response route(const Request& request);
  Response decide(const Request& request);
  Response decide_batch(const Request& request);
  Response rulesets();
  Response ruleset(const std::string& digest);
  Response schema(const std::string& digest);
  Response parameters(const std::string& digest, const Request& request);
  struct FoundDecision;  // a logged entry and its raw line
  std::variant<FoundDecision, Response> find_decision(const std::string& id);
  Response decision(const std::string& id);
  Response impact(const Request& request);
  Response sources();
  Response source_text(const Request& request);
  Response check_text(const Request& request);
  Response test_text(const Request& request);
  struct Asked;       // the household of a question, decided as it is
  // One of the `full_checks` jobs the solver may run at once (full checks,
  // why-not, thresholds), held until destroyed; null when all are taken.
  struct SolverSlot {
    explicit SolverSlot(std::atomic<unsigned>& r) : running(r) {}
    SolverSlot(const SolverSlot&) = delete;
    SolverSlot& operator=(const SolverSlot&) = delete;
    ~SolverSlot() { --running; }
    std::atomic<unsigned>& running;
  };
  std::unique_ptr<SolverSlot> take_solver_slot();
  // The household a question is about (`fields`: the route's own), or the
  // error answer; `route` names it in errors.
  std::variant<Asked, Response> asked(const Request& request, const std::vector<std::string>& fields,
                                      const std::string& route);
  Response why_not_answer(const Request& request);
  Response thresholds_answer(const Request& request);
  // explain or notice
  Response decision_told(const std::string& id, const std::string& what, const Request& request);
  Engine* engine_for(const ServedRuleSet& r, std::string& error);

  ServedRules rules_;
  DurableLog* log_;
  ServiceOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<unsigned> solver_jobs_{0};  // full checks and questions running now
};

// The JSON body of an error response: {"error": {"status", "code", "zh",
// "en", "diagnostics": [...]}} with each diagnostic as `doudi
// --diagnostics json` writes it.
Response error_response(int status, const std::vector<Diagnostic>& diagnostics, const SourceManager* sources = nullptr);

std::string doudi_version();

}  // namespace doudi::serve
