// GET /v1/rulesets and what each rule set says about itself: its summary,
// the household's JSON Schema, the parameters in force.
#include "runtime/record/record_schema.h"
#include "runtime/value/calendar.h"
#include "tools/serve/service.h"
#include "tools/serve/service_json.h"

namespace doudi::serve {
namespace {

Json ruleset_summary(const ServedRuleSet& r, bool is_default) {
  const ir::Module& m = r.rules->module();
  Json outputs = Json::array();
  for (const auto& o : m.outputs) outputs.push_back(o.name);
  Json jurisdictions = Json::array();
  for (const auto& j : m.jurisdictions) jurisdictions.push_back(j.name);
  Json j{{"digest", r.rules->digest()}, {"module", m.name}, {"default", is_default}, {"outputs", outputs},
         {"jurisdictions", jurisdictions}, {"engine", engine_name(r.engine)},
         {"questions", r.compilation && r.compilation->program}};
  if (!r.signer.empty()) j["signed_by"] = r.signer;
  return j;
}

}  // namespace

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

Response Service::schema(const std::string& digest) {
  const ServedRuleSet* r = rules_.find(digest);
  if (!r) return error(404, DiagCode::E6004, {digest});
  return Response{200, "application/schema+json; charset=utf-8", household_json_schema(r->rules->module())};
}

namespace {

std::optional<std::string> day_or_none(int64_t day, int64_t none) {
  return day == none ? std::nullopt : std::optional<std::string>(format_date(day));
}

// A parameter's value in force, with where and when it was set and why.
Json parameter_json(const ir::Module& m, uint32_t p, uint32_t jurisdiction, int64_t day, bool zh) {
  const ir::Param& param = m.params[p];
  Json j{{"name", param.name}, {"type", Json{{"zh", m.type_name(param.type, true)}, {"en", m.type_name(param.type, false)}}}};
  const uint32_t v = m.value_in_force(p, jurisdiction, day);
  j["in_force"] = v != UINT32_MAX;
  if (v == UINT32_MAX) return j;
  const ir::ParamValue& value = param.values[v];
  j.update(value_json(m, value.value, param.type, zh));
  j["set_in"] = value.jurisdiction == UINT32_MAX ? Json(nullptr) : Json(m.jurisdictions[value.jurisdiction].name);
  const auto from = day_or_none(value.from, INT64_MIN), until = day_or_none(value.until, INT64_MAX);
  j["from"] = from ? Json(*from) : Json(nullptr);
  j["until"] = until ? Json(*until) : Json(nullptr);
  j["citations"] = value.citations;
  j["provisions"] = value.provisions;
  if (value.loc < m.locations.size()) {
    const ir::Location& at = m.locations[value.loc];
    j["source"] = Json{{"file", at.file}, {"line", at.line}, {"column", at.column}};
  }
  return j;
}

}  // namespace

Response Service::parameters(const std::string& digest, const Request& request) {
  const ServedRuleSet* r = rules_.find(digest);
  if (!r) return error(404, DiagCode::E6004, {digest});
  Lang lang = options_.lang;
  if (auto bad = read_lang(request, options_.lang, lang)) return *bad;
  const std::string place = query_value(request, "jurisdiction"), date = query_value(request, "date");
  if (place.empty()) return error(400, DiagCode::E6001, {"jurisdiction"});
  if (date.empty()) return error(400, DiagCode::E6001, {"date"});
  const auto day = parse_date(date);
  if (!day) return error(400, DiagCode::E6002, {"date", bilingual("日期 YYYY-MM-DD", "a date YYYY-MM-DD")});
  std::vector<Diagnostic> errors;
  const uint32_t j = r->rules->jurisdiction(place, errors);
  if (j == UINT32_MAX) return error_response(400, errors);
  const ir::Module& m = r->rules->module();
  Json list = Json::array();
  for (uint32_t p = 0; p < m.params.size(); ++p) list.push_back(parameter_json(m, p, j, *day, lang == Lang::Zh));
  return json_response(200, Json{{"ruleset", r->rules->digest()}, {"jurisdiction", m.jurisdictions[j].name},
                                 {"date", format_date(*day)}, {"parameters", list}});
}

}  // namespace doudi::serve
