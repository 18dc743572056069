#include "tools/serve/service.h"

#include <cstdio>

#include "runtime/source/utf8.h"
#include "tools/serve/console_files.h"
#include "tools/serve/openapi_document.h"
#include "tools/serve/service_json.h"

namespace doudi::serve {
namespace {

struct Resource {
  std::string collection, name, aspect;
};

// /v1/COLLECTION/NAME[/ASPECT]; empty parts where the path has none, and
// all empty for any other shape (more parts, an empty one).
Resource split_resource(const std::string& path) {
  constexpr std::string_view kPrefix = "/v1/";
  if (path.rfind(kPrefix, 0) != 0) return {};
  std::vector<std::string> parts;
  for (size_t start = kPrefix.size();;) {
    const size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (parts.back().empty() || slash == std::string::npos) break;
    start = slash + 1;
  }
  for (const auto& part : parts)
    if (part.empty()) return {};
  if (parts.size() == 2) return {parts[0], parts[1], ""};
  if (parts.size() == 3) return {parts[0], parts[1], parts[2]};
  return {};
}

}  // namespace

std::string doudi_version() { return DOUDI_VERSION; }

Response error_response(int status, const std::vector<Diagnostic>& diagnostics, const SourceManager* sources) {
  static const SourceManager kNoSources;
  std::string lines;
  for (const auto& d : diagnostics) lines += render(d, sources ? *sources : kNoSources, RenderOptions{Lang::Zh, false, true}) + "\n";
  return error_from_rendered(status, lines);
}

Service::Service(ServedRules rules, DurableLog* log, ServiceOptions options)
    : rules_(std::move(rules)), log_(log), options_(options) {}

Response Service::handle(const Request& request) {
  try {
    return route(request);
  } catch (const std::exception& e) {
    // A bug in doudi, not the client's doing: logged for the operator, and
    // answered as JSON all the same.
    std::fprintf(stderr, "doudi serve: internal error on %s: %s\n", request.method.c_str(), e.what());
    return Response{500, "application/json; charset=utf-8",
                    R"({"error":{"status":500,"zh":"服务内部错误","en":"internal error"}})"};
  }
}

bool Service::stream(const Response& response, const Response::Write& write) {
  try {
    return response.stream(write);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "doudi serve: internal error while streaming: %s\n", e.what());
    write(R"({"stopped":{"status":500,"zh":"服务内部错误","en":"internal error"}})" "\n");
    return false;
  }
}

Response Service::route(const Request& request) {
  const std::string& p = request.path;
  // The path goes into messages: bytes that are not UTF-8 (a percent-encoded
  // 0xFF) are refused first.
  if (auto bad = find_invalid_utf8(p)) return error(400, DiagCode::E2002, {std::to_string(*bad + 1)});
  // While stopping, requests already received are answered as usual (the
  // listening socket is closed, so no new ones come); only the health check
  // says so, for a load balancer to send elsewhere.
  if (p == "/v1/health" && request.method == "GET")
  {
    // 503 while draining, or when the log takes no more entries (a failed write).
    const bool down = stopping_ || (log_ && log_->failed());
    return json_response(down ? 503 : 200, Json{{"status", stopping_ ? "stopping" : down ? "log failed" : "ok"}});
  }
  // The query's keys and values go into messages too.
  for (const auto& [key, value] : request.query)
    for (const std::string* text : {&key, &value})
      if (auto bad = find_invalid_utf8(*text)) return error(400, DiagCode::E2002, {std::to_string(*bad + 1)});
  // A body of a type a web page can send to another site without asking
  // (a form, plain text) is refused: no page open in an officer's browser
  // can append decisions to the log. JSON and NDJSON need the browser to
  // ask first (CORS), which this server never allows.
  if (request.method == "POST" && request.content_type != "application/json" &&
      request.content_type != "application/x-ndjson")
    return error(415, DiagCode::E6010, {request.content_type.empty() ? "(none)" : request.content_type});
  if (request.body.size() > options_.max_body_bytes)
    return error(413, DiagCode::E6005, {std::to_string(request.body.size()), std::to_string(options_.max_body_bytes)});
  if (request.method == "GET")
    if (const ConsoleFile* page = console_file(p)) return Response{200, std::string(page->content_type), std::string(page->body)};
  if (p == "/v1/version" && request.method == "GET")
    return json_response(200, Json{{"doudi", doudi_version()}, {"api", "v1"}});
  if (p == "/v1/openapi.json" && request.method == "GET")
    return Response{200, "application/json; charset=utf-8", std::string(openapi_document())};
  if (p == "/v1/decide" && request.method == "POST") return decide(request);
  if (p == "/v1/decide/batch" && request.method == "POST") return decide_batch(request);
  if (p == "/v1/impact" && request.method == "POST") return impact(request);
  if (p == "/v1/sources" && request.method == "GET") return sources();
  if (p == "/v1/source" && request.method == "GET") return source_text(request);
  if (p == "/v1/check" && request.method == "POST") return check_text(request);
  if (p == "/v1/test" && request.method == "POST") return test_text(request);
  if (p == "/v1/why-not" && request.method == "POST") return why_not_answer(request);
  if (p == "/v1/thresholds" && request.method == "POST") return thresholds_answer(request);
  if (p == "/v1/rulesets" && request.method == "GET") return rulesets();
  // /v1/rulesets/{digest}[/schema|/parameters], /v1/decisions/{id}[/explain|/notice]
  const auto [collection, name, aspect] = split_resource(p);
  if (request.method == "GET" && collection == "rulesets" && !name.empty()) {
    if (aspect.empty()) return ruleset(name);
    if (aspect == "schema") return schema(name);
    if (aspect == "parameters") return parameters(name, request);
  }
  if (request.method == "GET" && collection == "decisions" && !name.empty()) {
    if (aspect.empty()) return decision(name);
    if (aspect == "explain" || aspect == "notice") return decision_told(name, aspect, request);
  }
  return error(404, DiagCode::E6006, {request.method, p});
}

Engine* Service::engine_for(const ServedRuleSet& r, std::string& error) {
  // Engines are not thread-safe: one per thread and rule set, kept for the
  // thread's life (a rule set is never unloaded).
  thread_local std::map<const RuleSet*, std::unique_ptr<Engine>> engines;
  auto& engine = engines[r.rules.get()];
  if (!engine) engine = make_engine(r.engine, r.rules, error);
  return engine.get();
}

}  // namespace doudi::serve
