#include "tools/serve/service.h"

#include <simdjson.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "runtime/bundle/json_text.h"
#include "runtime/record/mask_sensitive.h"
#include "runtime/record/record_json.h"
#include "runtime/source/source.h"
#include "runtime/source/utf8.h"
#include "runtime/value/calendar.h"
#include "runtime/value/money.h"
#include "tools/serve/openapi_document.h"

namespace doudi::serve {
namespace {

using Json = nlohmann::ordered_json;

Response json_response(int status, const Json& body) { return Response{status, "application/json; charset=utf-8", body.dump()}; }

Diagnostic plain(DiagCode code, std::vector<std::string> args) { return Diagnostic{code, Span{}, std::move(args), {}}; }

Response error(int status, DiagCode code, std::vector<std::string> args) { return error_response(status, {plain(code, std::move(args))}); }

// The fields a decide request may have, for E6003's list.
constexpr const char* kDecideFields = "ruleset, jurisdiction, month, household";

// A request body read for its top-level fields; the household is kept as
// its raw text and where it starts in the body, so a record's problems are
// placed at their line and column in what the client sent.
struct DecideBody {
  std::string ruleset, jurisdiction, month;
  bool has_jurisdiction = false, has_month = false, has_household = false;
  std::string_view household;  // into the body
  size_t household_offset = 0;
};

std::optional<Response> read_decide_body(const std::string& body, DecideBody& out) {
  if (auto bad = find_invalid_utf8(body)) return error(400, DiagCode::E2002, {std::to_string(*bad + 1)});
  simdjson::padded_string padded(body);
  auto malformed = [](simdjson::error_code e) { return error(400, DiagCode::E2001, {simdjson::error_message(e)}); };
  {
    // The whole body checked first (on-demand parsing reads only what it is asked for).
    simdjson::dom::parser checker;
    simdjson::dom::element ignored;
    if (auto e = checker.parse(padded).get(ignored)) return malformed(e);
  }
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (auto e = parser.iterate(padded).get(doc)) return malformed(e);
  if (auto e = doc.get_object().get(object)) {
    if (e == simdjson::INCORRECT_TYPE) return error(400, DiagCode::E6002, {"$", bilingual("一个 JSON 对象", "a JSON object")});
    return malformed(e);
  }
  for (auto field : object) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return malformed(e);
    simdjson::ondemand::value value;
    if (auto e = field.value().get(value)) return malformed(e);
    auto text_field = [&](std::string& into, bool* seen) -> std::optional<Response> {
      std::string_view s;
      if (value.get_string().get(s)) return error(400, DiagCode::E6002, {std::string(key), bilingual("文字", "a string")});
      into = std::string(s);
      if (seen) *seen = true;
      return std::nullopt;
    };
    std::optional<Response> problem;
    if (key == "ruleset") problem = text_field(out.ruleset, nullptr);
    else if (key == "jurisdiction") problem = text_field(out.jurisdiction, &out.has_jurisdiction);
    else if (key == "month") problem = text_field(out.month, &out.has_month);
    else if (key == "household") {
      simdjson::ondemand::json_type type;
      if (auto e = value.type().get(type)) return malformed(e);
      if (type != simdjson::ondemand::json_type::object)
        return error(400, DiagCode::E6002, {"household", bilingual("一个 JSON 对象（家庭记录）", "a JSON object (the household record)")});
      simdjson::ondemand::object household;
      std::string_view raw;
      if (auto e = value.get_object().get(household)) return malformed(e);
      if (auto e = household.raw_json().get(raw)) return malformed(e);
      // raw points into the padded copy: the same offsets as in `body`.
      out.household_offset = static_cast<size_t>(raw.data() - padded.data());
      out.household = std::string_view(body).substr(out.household_offset, raw.size());
      out.has_household = true;
    } else {
      return error(400, DiagCode::E6003, {std::string(key), kDecideFields});
    }
    if (problem) return problem;
  }
  if (!out.has_jurisdiction) return error(400, DiagCode::E6001, {"jurisdiction"});
  if (!out.has_month) return error(400, DiagCode::E6001, {"month"});
  if (!out.has_household) return error(400, DiagCode::E6001, {"household"});
  return std::nullopt;
}

// An output's value as the API gives it: money as an exact decimal string
// with its unit, periods with theirs, everything else as in the log.
Json value_json(const ir::Module& m, Value v, TypeId t, bool zh) {
  const TypeId bare = m.types.unwrap(t);
  const TypeKind k = m.types.kind(bare);
  if (m.types.kind(t) == TypeKind::Optional && v.is_absent()) return Json{{"value", nullptr}};
  if (k == TypeKind::Money) return Json{{"value", format_fen_fixed(v.a)}, {"unit", m.type_name(bare, zh)}};
  if (k == TypeKind::Months || k == TypeKind::Days)
    return Json{{"value", v.a}, {"unit", k == TypeKind::Months ? (zh ? "个月" : "months") : (zh ? "日" : "days")}};
  return Json{{"value", Json::parse(value_to_json(m, v, t))}};
}

Json ruleset_summary(const ServedRuleSet& r, bool is_default) {
  const ir::Module& m = r.rules->module();
  Json outputs = Json::array();
  for (const auto& o : m.outputs) outputs.push_back(o.name);
  Json jurisdictions = Json::array();
  for (const auto& j : m.jurisdictions) jurisdictions.push_back(j.name);
  Json j{{"digest", r.rules->digest()}, {"module", m.name}, {"default", is_default}, {"outputs", outputs},
         {"jurisdictions", jurisdictions}, {"engine", engine_name(r.engine)}};
  if (!r.signer.empty()) j["signed_by"] = r.signer;
  return j;
}

// At most kExcerpt code points of `line` around code point `column` (1-based).
std::string excerpt_around(const std::string& line, size_t column) {
  constexpr size_t kExcerpt = 160;
  std::vector<size_t> starts;  // byte offset of each code point
  for (size_t i = 0; i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) starts.push_back(i);
  if (starts.size() <= kExcerpt) return line;
  const size_t at = std::min(column == 0 ? 0 : column - 1, starts.size() - 1);
  const size_t first = at > kExcerpt / 2 ? std::min(at - kExcerpt / 2, starts.size() - kExcerpt) : 0;
  const size_t last = first + kExcerpt;  // one past
  const size_t end = last < starts.size() ? starts[last] : line.size();
  return (first > 0 ? "…" : "") + line.substr(starts[first], end - starts[first]) + (end < line.size() ? "…" : "");
}

std::string query_value(const Request& r, const std::string& key) {
  auto it = r.query.find(key);
  return it == r.query.end() ? std::string() : it->second;
}

}  // namespace

std::string doudi_version() { return DOUDI_VERSION; }

namespace {

// The error body from diagnostics rendered as JSON lines (`--diagnostics
// json`): code, zh and en of the first, then all of them. A minified body is
// one long line, so each excerpt keeps the part around its column and the
// answer stays about as small as the problems.
Response error_from_rendered(int status, std::string_view lines) {
  Json list = Json::array();
  for (size_t start = 0; start < lines.size();) {
    size_t end = lines.find('\n', start);
    if (end == std::string_view::npos) end = lines.size();
    if (end > start) {
      Json d = Json::parse(lines.substr(start, end - start));
      if (d["source"].is_string() && d["column"].is_number())
        d["source"] = excerpt_around(d["source"].get<std::string>(), d["column"].get<size_t>());
      list.push_back(std::move(d));
    }
    start = end + 1;
  }
  Json e{{"status", status}};
  if (!list.empty()) {
    e["code"] = list[0]["code"];
    e["zh"] = list[0]["message"]["zh"];
    e["en"] = list[0]["message"]["en"];
  }
  e["diagnostics"] = list;
  return json_response(status, Json{{"error", e}});
}

}  // namespace

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
  if (request.body.size() > options_.max_body_bytes)
    return error(413, DiagCode::E6005, {std::to_string(request.body.size()), std::to_string(options_.max_body_bytes)});
  if (p == "/v1/version" && request.method == "GET")
    return json_response(200, Json{{"doudi", doudi_version()}, {"api", "v1"}});
  if (p == "/v1/openapi.json" && request.method == "GET")
    return Response{200, "application/json; charset=utf-8", std::string(openapi_document())};
  if (p == "/v1/rulesets" && request.method == "GET") return rulesets();
  if (p.rfind("/v1/rulesets/", 0) == 0 && request.method == "GET") return ruleset(p.substr(13));
  if (p == "/v1/decide" && request.method == "POST") return decide(request);
  return error(404, DiagCode::E6006, {request.method, p});
}

Response Service::rulesets() {
  Json list = Json::array();
  for (const auto& d : rules_.digests()) list.push_back(ruleset_summary(*rules_.find(d), d == rules_.default_digest()));
  return json_response(200, Json{{"rulesets", list}});
}

Response Service::ruleset(const std::string& digest) {
  const ServedRuleSet* r = digest.empty() ? nullptr : rules_.find(digest);
  if (!r) return error(404, DiagCode::E6004, {digest});
  const ir::Module& m = r->rules->module();
  Json j = ruleset_summary(*r, digest == rules_.default_digest());
  Json flags = Json::array();
  for (const auto& f : m.flags) flags.push_back(Json{{"name", f.name}, {"message", f.message}, {"citations", f.citations}});
  j["flags"] = flags;
  j["origin"] = r->origin;
  return json_response(200, j);
}

Engine* Service::engine_for(const ServedRuleSet& r, std::string& error) {
  // Engines are not thread-safe: one per thread and rule set, kept for the
  // thread's life (a rule set is never unloaded).
  thread_local std::map<const RuleSet*, std::unique_ptr<Engine>> engines;
  auto& engine = engines[r.rules.get()];
  if (!engine) engine = make_engine(r.engine, r.rules, error);
  return engine.get();
}

Response Service::decide(const Request& request) {
  DecideBody body;
  if (auto problem = read_decide_body(request.body, body)) return *problem;
  const std::string explain = query_value(request, "explain");
  if (!explain.empty() && explain != "summary" && explain != "full")
    return error(400, DiagCode::E6002, {"explain", bilingual(" summary 或 full", "summary or full")});
  const std::string lang_name = query_value(request, "lang");
  if (!lang_name.empty() && lang_name != "zh" && lang_name != "en")
    return error(400, DiagCode::E6002, {"lang", bilingual(" zh 或 en", "zh or en")});
  const Lang lang = lang_name.empty() ? options_.lang : lang_name == "en" ? Lang::En : Lang::Zh;
  const bool zh = lang == Lang::Zh;

  const ServedRuleSet* served = rules_.find(body.ruleset);
  if (!served) return error(404, DiagCode::E6004, {body.ruleset});
  const RuleSet& rules = *served->rules;
  const ir::Module& m = rules.module();
  std::vector<Diagnostic> errors;
  const auto context = rules.context(body.jurisdiction, body.month, errors);
  if (!context) return error_response(400, errors);

  const LoadedRecord record = load_household(rules, body.household);
  if (!record.ok()) {
    // Placed in the body; 敏感 values masked in the messages and excerpts.
    std::vector<RecordProblem> problems = problems_without_sensitive_values(m, record.problems, body.household, stars_for);
    for (auto& p : problems) p.offset += static_cast<uint32_t>(body.household_offset);
    std::string shown = request.body;
    const std::string masked = mask_sensitive_values(m, body.household);
    shown.replace(body.household_offset, body.household.size(), masked);
    return error_from_rendered(400, render_record_problems(problems, "request", shown, RenderOptions{Lang::Zh, false, true}));
  }

  std::string engine_error;
  Engine* engine = engine_for(*served, engine_error);
  if (!engine) return error(503, DiagCode::E3011, {engine_error});
  engine->set_context(*context);
  // The answer and the log entry come from an untraced decision (a traced
  // one has a smaller step budget); an explanation traces it again.
  const Decision d = engine->decide(record.data);

  Json logged = nullptr;
  if (log_) {
    LogContext where;
    where.month = format_year_month(context->month);
    where.jurisdiction = context->jurisdiction_name;
    where.bundle = rules.digest();
    where.defaults = schema_defaults_json(m);
    where.outputs = output_names_json(m);
    where.bundle_signer = served->signer;
    where.key_id = served->key ? served->key->id : "";
    // One batch per rule set, month and jurisdiction, so that consecutive
    // decisions in one context share a context line.
    where.batch = batch_id(rules.digest(), where.month, where.jurisdiction, "serve");
    LogFields f = decided_entry(m, record.data, d, served->key);
    f.index = 0;
    std::string why;
    auto entry = log_->append(where, f, why);
    if (!entry) {
      std::fprintf(stderr, "doudi serve: cannot log a decision: %s\n", why.c_str());
      // The server's file name and the system's error stay in its own output.
      return error(503, DiagCode::E4003, {bilingual("决定日志", "the decision log"), bilingual("写入失败", "a write failed")});
    }
    logged = Json{{"id", entry->id}, {"log_seq", entry->seq}};
  }

  Json out{{"ruleset", rules.digest()}, {"jurisdiction", context->jurisdiction_name},
           {"month", format_year_month(context->month)}};
  if (d.error) {
    out["outputs"] = nullptr;
    out["flags"] = Json::array();
    out["error"] = Json::parse(error_json(m, d, lang, false));
  } else {
    Json outputs = Json::object();
    for (size_t i = 0; i < m.outputs.size(); ++i)
      outputs[m.outputs[i].name] = value_json(m, d.outputs[i], m.functions[m.outputs[i].function].result, zh);
    out["outputs"] = outputs;
    Json flags = Json::array();
    for (auto fi : d.flags) flags.push_back(Json{{"name", m.flags[fi].name}, {"message", m.flags[fi].message}});
    out["flags"] = flags;
    out["error"] = nullptr;
  }
  out["decision"] = logged;
  if (!explain.empty()) {
    TraceRecorder trace;
    const Decision traced = engine->decide(record.data, &trace);
    const SummaryResult summary = explain_summary(m, traced, trace.root(), lang, &record.data);
    out["explanation"] = Json{{"text", explain == "summary" ? summary.text : explain_decision(m, traced, trace.root(), lang)},
                              {"tree", Json::parse(explain_json(m, trace.root(), &summary.deciding))}};
  }
  return json_response(200, out);
}

}  // namespace doudi::serve
