// GET /v1/decisions/{id}: a decision as this server's log holds it, and
// /explain and /notice: the decision made again from the logged record with
// the rule set it names (which must be served), traced, and told.
#include "runtime/explain/notice.h"
#include "runtime/log/log_reader.h"
#include "runtime/replay/replay.h"
#include "tools/serve/service.h"
#include "tools/serve/service_json.h"

namespace doudi::serve {
namespace {

Response unreadable() {
  return error(503, DiagCode::E4003, {bilingual("决定日志", "the decision log"), bilingual("该条无法读取", "the entry cannot be read")});
}

}  // namespace

// The logged entry and its raw line, or the error response.
struct Service::FoundDecision {
  LogEntry entry;
  Json line;
};

std::variant<Service::FoundDecision, Response> Service::find_decision(const std::string& id) {
  if (!log_)
    return error(404, DiagCode::E6007, {id, bilingual("（本服务不记录决定：--no-log）", " (this server keeps no log: --no-log)")});
  const auto lines = log_->find(id);
  if (!lines) return error(404, DiagCode::E6007, {id, ""});
  auto entry = read_logged_decision(lines->context, lines->decision);
  Json line = Json::parse(lines->decision, nullptr, false);
  if (!entry || line.is_discarded()) return unreadable();
  return FoundDecision{std::move(*entry), std::move(line)};
}

Response Service::decision(const std::string& id) {
  auto found = find_decision(id);
  if (auto* r = std::get_if<Response>(&found)) return *r;
  const auto& [e, line] = std::get<FoundDecision>(found);
  Json out{{"id", e.id}, {"log_seq", e.seq}, {"ruleset", e.bundle}, {"jurisdiction", e.jurisdiction},
           {"month", e.month}, {"index", e.index}};
  if (!e.bundle_signer.empty()) out["signed_by"] = e.bundle_signer;
  RawJson raw;  // as the log holds them
  out["household"] = raw.hold(e.input_json);
  out["outputs"] = raw.hold(e.outputs_json);
  out["flags"] = raw.hold(e.flags_json);
  out["error"] = line.contains("error") ? line["error"] : Json(nullptr);
  out["rejected"] = e.rejected;
  return json_response(200, out, raw);
}

Response Service::decision_told(const std::string& id, const std::string& what, const Request& request) {
  Lang lang = options_.lang;
  if (auto bad = read_lang(request, options_.lang, lang)) return *bad;
  const std::string level = query_value(request, "level");
  if (what == "explain" && !level.empty() && level != "summary" && level != "full")
    return error(400, DiagCode::E6002, {"level", bilingual(" summary 或 full", "summary or full")});
  auto found = find_decision(id);
  if (auto* r = std::get_if<Response>(&found)) return *r;
  const LogEntry& e = std::get<FoundDecision>(found).entry;
  if (e.rejected) {
    const std::string why = rejection_reasons(e);
    return error(404, DiagCode::E6008,
                 {id, bilingual("该记录被拒收，没有决定：" + in_lang(why, Lang::Zh),
                                "the record was rejected: there is no decision: " + in_lang(why, Lang::En))});
  }
  const ServedRuleSet* served = rules_.find(e.bundle);
  if (!served)
    return error(404, DiagCode::E6008, {id, bilingual("作出它的规则集（摘要 " + e.bundle + "）不在本服务中",
                                                      "the rule set it was made with (digest " + e.bundle + ") is not served here")});
  const RuleSet& rules = *served->rules;
  const ir::Module& m = rules.module();
  const LoadedRecord record = load_household(rules, e.input_json, e.defaults ? *e.defaults : std::string());
  std::vector<Diagnostic> ignored;
  const auto context = rules.context(e.jurisdiction, e.month, ignored);
  if (!record.ok() || !context) return unreadable();
  std::string engine_error;
  Engine* engine = engine_for(*served, engine_error);
  if (!engine) return error(503, DiagCode::E3011, {engine_error});
  engine->set_context(*context);
  TraceRecorder trace;
  const Decision d = engine->decide(record.data, &trace);
  // The same rules must give the logged outcome; a difference is reported,
  // never hidden (the log or the engine is not what it claims).
  Json changes = Json::array();
  for (const auto& change : outcome_changes(m, e, d, true)) changes.push_back(change.text(lang));  // served by its digest
  if (what == "notice") {
    NoticeInput in;
    in.decision = &d;
    in.trace = &trace.root();
    in.record = &record.data;
    in.jurisdiction = context->jurisdiction;
    in.month = context->month;
    in.decision_id = e.id;
    in.log_seq = e.seq;
    in.bundle_digest = e.bundle;
    if (!changes.empty()) return error(409, DiagCode::E6008, {id, changes[0].get<std::string>()});
    // An error result decides nothing: a notice would read as a decision
    // with an empty determination and an appeal route.
    if (d.error)
      return error(409, DiagCode::E6008,
                   {id, bilingual("其结果是错误（" + std::string(diag_info(d.error->code).code) + "），没有可通知的决定",
                                  "its result is an error (" + std::string(diag_info(d.error->code).code) +
                                      "): there is no decision to notify")});
    return Response{200, "text/html; charset=utf-8", notice_html(m, in, lang)};
  }
  const SummaryResult summary = explain_summary(m, d, trace.root(), lang, &record.data);
  RawJson raw;  // the tree's amounts as written
  return json_response(200,
                       Json{{"id", e.id},
                            {"text", level == "full" ? explain_decision(m, d, trace.root(), lang) : summary.text},
                            {"tree", raw.hold(explain_json(m, trace.root(), &summary.deciding))},
                            {"same_as_logged", changes.empty()},
                            {"changes", changes}},
                       raw);
}

}  // namespace doudi::serve
