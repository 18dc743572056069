// POST /v1/decide: one household decided, logged, answered.
#include <cstdio>

#include "runtime/record/record_json.h"
#include "runtime/value/calendar.h"
#include "tools/serve/household_request.h"
#include "tools/serve/service.h"
#include "tools/serve/service_json.h"

namespace doudi::serve {
namespace {

// What the decisions of one rule set, month and jurisdiction share in the
// log: one batch, so that consecutive decisions share a context line.
LogContext log_context(const ServedRuleSet& served, const DecisionContext& c, const std::string& nonce) {
  LogContext where = served.log_schema;
  where.month = format_year_month(c.month);
  where.jurisdiction = c.jurisdiction_name;
  where.bundle = served.rules->digest();
  where.bundle_signer = served.signer;
  where.key_id = served.key ? served.key->id : "";
  where.batch = batch_id(where.bundle, where.month, where.jurisdiction, "serve " + nonce);
  return where;
}

Response log_failed(const std::string& why) {
  std::fprintf(stderr, "doudi serve: cannot log a decision: %s\n", why.c_str());
  // The server's file name and the system's error stay in its own output.
  return error(503, DiagCode::E4003, {bilingual("决定日志", "the decision log"), bilingual("写入失败", "a write failed")});
}

// A decision's outcome as the API gives it: outputs with units, flags with
// their messages, or the rules' error result.
void add_outcome(Json& out, const ir::Module& m, const Decision& d, Lang lang) {
  if (d.error) {
    out["outputs"] = nullptr;
    out["flags"] = Json::array();
    out["error"] = Json::parse(error_json(m, d, lang, false));
    return;
  }
  Json outputs = Json::object();
  for (size_t i = 0; i < m.outputs.size(); ++i)
    outputs[m.outputs[i].name] = value_json(m, d.outputs[i], m.functions[m.outputs[i].function].result, lang == Lang::Zh);
  out["outputs"] = outputs;
  Json flags = Json::array();
  for (auto fi : d.flags) flags.push_back(Json{{"name", m.flags[fi].name}, {"message", m.flags[fi].message}});
  out["flags"] = flags;
  out["error"] = nullptr;
}

// The households of a batch request a stream decides at a time: decided,
// logged with one sync, then answered.
constexpr size_t kBatchChunk = 256;

}  // namespace

Response Service::decide(const Request& request) {
  HouseholdRequest body;
  if (auto problem = read_household_request(request.body, body)) return *problem;
  const std::string explain = query_value(request, "explain");
  if (!explain.empty() && explain != "summary" && explain != "full")
    return error(400, DiagCode::E6002, {"explain", bilingual(" summary 或 full", "summary or full")});
  Lang lang = options_.lang;
  if (auto bad = read_lang(request, options_.lang, lang)) return *bad;

  const ServedRuleSet* served = rules_.find(body.ruleset);
  if (!served) return error(404, DiagCode::E6004, {body.ruleset});
  const RuleSet& rules = *served->rules;
  const ir::Module& m = rules.module();
  std::vector<Diagnostic> errors;
  const auto context = rules.context(body.jurisdiction, body.month, errors);
  if (!context) return error_response(400, errors);

  const LoadedRecord record = load_household(rules, body.household);
  if (!record.ok()) return rejected_record(m, record, body.household, request.body, body.household_offset);

  std::string engine_error;
  Engine* engine = engine_for(*served, engine_error);
  if (!engine) return error(503, DiagCode::E3011, {engine_error});
  engine->set_context(*context);
  // The answer and the log entry come from an untraced decision (a traced
  // one has a smaller step budget); an explanation traces it again.
  const Decision d = engine->decide(record.data);

  Json logged = nullptr;
  if (log_) {
    LogFields f = decided_entry(m, record.data, d, served->key);
    f.index = 0;
    std::string why;
    auto entry = log_->append(log_context(*served, *context, options_.batch_nonce), f, why);
    if (!entry) return log_failed(why);
    logged = Json{{"id", entry->id}, {"log_seq", entry->seq}};
  }

  Json out{{"ruleset", rules.digest()}, {"jurisdiction", context->jurisdiction_name},
           {"month", format_year_month(context->month)}};
  add_outcome(out, m, d, lang);
  out["decision"] = logged;
  RawJson raw;  // the tree's amounts as written
  if (!explain.empty()) {
    TraceRecorder trace;
    const Decision traced = engine->decide(record.data, &trace);
    const SummaryResult summary = explain_summary(m, traced, trace.root(), lang, &record.data);
    out["explanation"] = Json{{"text", explain == "summary" ? summary.text : explain_decision(m, traced, trace.root(), lang)},
                              {"tree", raw.hold(explain_json(m, trace.root(), &summary.deciding))}};
  }
  return json_response(200, out, raw);
}

Response Service::decide_batch(const Request& request) {
  Lang lang = options_.lang;
  if (auto bad = read_lang(request, options_.lang, lang)) return *bad;
  const std::string digest = query_value(request, "ruleset");
  const ServedRuleSet* served = rules_.find(digest);
  if (!served) return error(404, DiagCode::E6004, {digest});
  for (const char* required : {"jurisdiction", "month"})
    if (request.query.find(required) == request.query.end()) return error(400, DiagCode::E6001, {required});
  std::vector<Diagnostic> errors;
  const auto context = served->rules->context(query_value(request, "jurisdiction"), query_value(request, "month"), errors);
  if (!context) return error_response(400, errors);
  if (std::string engine_error; !engine_for(*served, engine_error)) return error(503, DiagCode::E3011, {engine_error});

  Response r{200, "application/x-ndjson; charset=utf-8", ""};
  // Runs after this returns (the transport streams it), on the same thread.
  r.stream = [this, served, context = *context, lang, body = request.body](const Response::Write& write) {
    const ir::Module& m = served->rules->module();
    std::string engine_error;  // made above, on this thread (the transport streams on the request's thread)
    Engine* engine = engine_for(*served, engine_error);
    if (!engine) return write(Json{{"stopped", Json::parse(error(503, DiagCode::E3011, {engine_error}).body)["error"]}}.dump() + "\n") && false;
    engine->set_context(context);
    const LogContext where = log_context(*served, context, options_.batch_nonce);
    // A line's answer, made while its record lives (a text output may
    // point into it); a decided one gets its log entry once the chunk is logged.
    struct Line {
      Json answer;
      bool decided = false;
    };
    std::vector<Line> chunk;
    std::vector<LogFields> fields;
    Decision decision;  // reused: its storage serves every household
    // Decides, logs and answers the gathered lines; false to stop.
    auto answer = [&]() -> bool {
      std::vector<DurableLog::Logged> logged;
      if (log_ && !fields.empty()) {
        std::string why;
        auto entries = log_->append_all(where, fields, why);
        if (!entries) {
          // Nothing of this chunk was logged, so none of it is answered.
          Json line{{"line", chunk.front().answer["line"]}, {"stopped", Json::parse(log_failed(why).body)["error"]}};
          write(line.dump() + "\n");
          return false;
        }
        logged = std::move(*entries);
      }
      std::string out;
      size_t next_logged = 0;
      for (Line& l : chunk) {
        if (l.decided) {
          l.answer["decision"] = log_ ? Json{{"id", logged[next_logged].id}, {"log_seq", logged[next_logged].seq}} : Json(nullptr);
          ++next_logged;
        }
        out += l.answer.dump();
        out += '\n';
      }
      chunk.clear();
      fields.clear();
      return write(out);
    };
    const bool whole = for_each_record_line(body, [&](uint32_t number, std::string_view text) {
      Line l;
      l.answer = Json{{"line", number}};
      const LoadedRecord record = load_household(*served->rules, text);
      if (!record.ok()) {
        l.answer["rejected"] = Json::parse(rejected_record(m, record, text, std::string(text), 0, number).body)["error"];
      } else {
        engine->decide_into(record.data, decision);
        add_outcome(l.answer, m, decision, lang);
        l.decided = true;
        if (log_) {
          fields.push_back(decided_entry(m, record.data, decision, served->key));
          fields.back().index = number - 1;
        }
      }
      chunk.push_back(std::move(l));
      return chunk.size() < kBatchChunk || answer();
    });
    return whole && (chunk.empty() || answer());
  };
  return r;
}

}  // namespace doudi::serve
