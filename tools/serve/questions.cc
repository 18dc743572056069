// POST /v1/why-not and /v1/thresholds: questions about one household that
// the solver answers over the rules' source, each answer confirmed by
// deciding again (compiler/analysis/*_confirmed.h). A question is not a
// decision: nothing is logged.
#include "doudi/analysis.h"
#include "runtime/value/calendar.h"
#include "tools/serve/household_request.h"
#include "tools/serve/service.h"
#include "tools/serve/service_json.h"

namespace doudi::serve {

// The household of a question, read, decided as it is, and a solver slot
// held until the answer is made.
struct Service::Asked {
  const ServedRuleSet* served = nullptr;
  DecisionContext context;
  LoadedRecord record;
  Decision decided;
  HouseholdRequest body;
  Lang lang = Lang::Zh;
  std::unique_ptr<SolverSlot> slot;
};

std::unique_ptr<Service::SolverSlot> Service::take_solver_slot() {
  if (++solver_jobs_ > options_.full_checks) {
    --solver_jobs_;
    return nullptr;
  }
  return std::make_unique<SolverSlot>(solver_jobs_);
}

std::variant<Service::Asked, Response> Service::asked(const Request& request, const std::vector<std::string>& fields,
                                                      const std::string& route) {
  Asked a;
  if (auto problem = read_household_request(request.body, a.body, fields)) return *problem;
  for (const auto& f : fields)
    if (f != "value" && !a.body.extra.count(f)) return error(400, DiagCode::E6001, {f});
  if (auto bad = read_lang(request, options_.lang, a.lang)) return *bad;
  a.served = rules_.find(a.body.ruleset);
  if (!a.served) return error(404, DiagCode::E6004, {a.body.ruleset});
  if (!a.served->compilation || !a.served->compilation->program)
    return error(409, DiagCode::E6013, {a.served->rules->digest(), route});
  const RuleSet& rules = *a.served->rules;
  std::vector<Diagnostic> errors;
  const auto context = rules.context(a.body.jurisdiction, a.body.month, errors);
  if (!context) return error_response(400, errors);
  a.context = *context;
  a.record = load_household(rules, a.body.household);
  if (!a.record.ok())
    return rejected_record(rules.module(), a.record, a.body.household, request.body, a.body.household_offset);
  // The solver's work is seconds, not microseconds: as many at once as full
  // checks, so that questions never starve decisions.
  if (!(a.slot = take_solver_slot())) return error(503, DiagCode::E6012, {std::to_string(options_.full_checks)});
  // The decision as it is, by the interpreter (the reference the answer is
  // confirmed with).
  auto engine = make_interpreter(a.served->rules);
  engine->set_context(a.context);
  a.decided = engine->decide(a.record.data);
  if (a.decided.error) return error(409, DiagCode::E3007, {route});
  return a;
}

namespace {

const char* outcome_name(WhyNotReport::Outcome o) {
  switch (o) {
    case WhyNotReport::Outcome::Found: return "found";
    case WhyNotReport::Outcome::AlreadySo: return "already";
    case WhyNotReport::Outcome::Impossible: return "impossible";
    case WhyNotReport::Outcome::Unknown: break;
  }
  return "unknown";
}

}  // namespace

Response Service::why_not_answer(const Request& request) {
  auto found = asked(request, {"output", "value"}, "/v1/why-not");
  if (auto* r = std::get_if<Response>(&found)) return std::move(*r);
  Asked& a = std::get<Asked>(found);
  const ir::Module& m = a.served->rules->module();
  const bool zh = a.lang == Lang::Zh;
  const std::string& name = a.body.extra["output"];
  std::vector<Diagnostic> errors;
  const auto found_output = output_named(m, name, errors);
  if (!found_output) return error_response(400, errors);
  const size_t output = *found_output;
  const TypeId type = m.functions[m.outputs[output].function].result;
  std::optional<Value> want;
  if (auto v = a.body.extra.find("value"); v != a.body.extra.end()) {
    std::string forms;
    want = read_wanted_value(m, type, v->second, forms);
    if (!want) return error(400, DiagCode::E3006, {v->second, name, m.type_name(type, zh), forms});
  }
  const WhyNotAnswer answer =
      why_not_confirmed(*a.served->compilation->program, a.served->rules, a.context, a.record.data, a.decided, output, want, zh);
  const WhyNotReport& r = answer.report;
  Json changes = Json::array();
  for (const auto& ch : r.changes)
    changes.push_back(Json{{"field", ch.field}, {"from", ch.from}, {"to", ch.to},
                           {"by", ch.by.empty() ? Json(nullptr) : Json(ch.by)}, {"value", value_json(m, ch.value, ch.type, zh)}});
  Json out{{"ruleset", a.served->rules->digest()}, {"jurisdiction", a.context.jurisdiction_name},
           {"month", format_year_month(a.context.month)}, {"output", name},
           {"now", value_json(m, answer.now, type, zh)},
           {"want", want ? value_json(m, *want, type, zh) : Json(nullptr)},
           {"outcome", outcome_name(r.outcome)}, {"changes", changes},
           {"after", r.outcome == WhyNotReport::Outcome::Found ? value_json(m, answer.after, type, zh) : Json(nullptr)},
           {"smallest", r.smallest},
           {"reason", r.reason.empty() ? Json(nullptr) : Json(in_lang(r.reason, a.lang))}};
  return json_response(200, out);
}

Response Service::thresholds_answer(const Request& request) {
  auto found = asked(request, {"field"}, "/v1/thresholds");
  if (auto* r = std::get_if<Response>(&found)) return std::move(*r);
  Asked& a = std::get<Asked>(found);
  const ir::Module& m = a.served->rules->module();
  const bool zh = a.lang == Lang::Zh;
  const std::string& field = a.body.extra["field"];
  const ThresholdsAnswer answer =
      thresholds_confirmed(*a.served->compilation->program, a.served->rules, a.context, a.record.data, field);
  const ThresholdReport& r = answer.report;
  if (!r.ok && !r.fields.empty()) {
    Diagnostic d{DiagCode::E3008, Span{}, {field}, {}};
    if (const std::string hint = nearest_name(field, r.fields); !hint.empty())
      d.notes.push_back(make_note(DiagCode::N0402, Span{}, {hint}));
    return error_response(400, {d});
  }
  Json edges = Json::array();
  for (const ConfirmedEdge& e : answer.edges) {
    Json changes = Json::array();
    for (const OutputChange& ch : e.changes) {
      const TypeId t = m.functions[m.outputs[ch.output].function].result;
      changes.push_back(Json{{"output", m.outputs[ch.output].name}, {"below", value_json(m, ch.below, t, zh)},
                             {"at", value_json(m, ch.at, t, zh)}});
    }
    edges.push_back(Json{{"below", value_json(m, Value::of(e.at - 1), r.type, zh)},
                         {"at", value_json(m, Value::of(e.at), r.type, zh)}, {"changes", changes}});
  }
  Json out{{"ruleset", a.served->rules->digest()}, {"jurisdiction", a.context.jurisdiction_name},
           {"month", format_year_month(a.context.month)}, {"field", field},
           {"answered", r.ok},
           {"now", r.ok ? value_json(m, r.original, r.type, zh) : Json(nullptr)},
           {"edges", edges}, {"more_below", r.more_below}, {"more_above", r.more_above},
           {"unconfirmed", answer.unconfirmed},
           {"reason", r.reason.empty() ? Json(nullptr) : Json(in_lang(r.reason, a.lang))}};
  return json_response(200, out);
}

}  // namespace doudi::serve
