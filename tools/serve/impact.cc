// POST /v1/impact: the console's impact page. The households of an NDJSON
// body decided under two served rule sets in one jurisdiction and month,
// and compared: totals per output, the households whose outcome changed,
// the change in each money output per household (for a chart). A what-if:
// nothing is logged, as with `doudi diff --data`.
#include <map>

#include "runtime/bundle/json_text.h"
#include "runtime/record/mask_sensitive.h"
#include "runtime/value/calendar.h"
#include "tools/serve/service.h"
#include "tools/serve/service_json.h"

namespace doudi::serve {
namespace {

constexpr size_t kListedChanges = 200, kListedRejections = 100, kChartPoints = 100000;

// One side of the comparison: a rule set in its context, with its engine.
struct Side {
  const ServedRuleSet* served = nullptr;
  DecisionContext context;
  Engine* engine = nullptr;
  const ir::Module& m() const { return served->rules->module(); }
};

// What is summed of an output: money in 分, counts and periods, true values.
enum class Summed { Money, Number, Truth, Nothing };

Summed summed(const ir::Module& m, TypeId t) {
  switch (m.types.kind(m.types.unwrap(t))) {
    case TypeKind::Money: return Summed::Money;
    case TypeKind::Int:
    case TypeKind::Months:
    case TypeKind::Days: return Summed::Number;
    case TypeKind::Bool: return Summed::Truth;
    default: return Summed::Nothing;
  }
}

struct Total {
  int64_t sum = 0;
  bool overflow = false;  // past the range of int64: no total is shown
  void add(int64_t v) { overflow = overflow || __builtin_add_overflow(sum, v, &sum); }
};

struct OutputImpact {
  std::string name;
  TypeId type = 0;  // in the base rule set, or the other's if only it has the output
  const ir::Module* m = nullptr;
  uint32_t base = UINT32_MAX, other = UINT32_MAX;  // index in each side's outputs
  Total base_total, other_total;
  size_t changed = 0;
  Json differences = Json::array();  // money: other − base per changed household, in 元
};

Json total_json(const OutputImpact& o, const Total& t) {
  if (t.overflow) return nullptr;
  return summed(*o.m, o.type) == Summed::Money ? Json(format_fen_fixed(t.sum)) : Json(t.sum);
}

}  // namespace

Response Service::impact(const Request& request) {
  Lang lang = options_.lang;
  if (auto bad = read_lang(request, options_.lang, lang)) return *bad;
  for (const char* required : {"base", "other", "jurisdiction", "month"})
    if (request.query.find(required) == request.query.end()) return error(400, DiagCode::E6001, {required});
  Side sides[2];
  const char* names[2] = {"base", "other"};
  for (int s = 0; s < 2; ++s) {
    const std::string digest = query_value(request, names[s]);
    sides[s].served = digest.empty() ? nullptr : rules_.find(digest);
    if (!sides[s].served) return error(404, DiagCode::E6004, {digest});
    std::vector<Diagnostic> errors;
    const auto context = sides[s].served->rules->context(query_value(request, "jurisdiction"), query_value(request, "month"), errors);
    if (!context) return error_response(400, errors);
    sides[s].context = *context;
    std::string engine_error;
    sides[s].engine = engine_for(*sides[s].served, engine_error);
    if (!sides[s].engine) return error(503, DiagCode::E3011, {engine_error});
  }

  // The outputs of both, by name: the base's order, then the other's own.
  std::vector<OutputImpact> outputs;
  std::map<std::string, size_t> by_name;
  for (int s = 0; s < 2; ++s) {
    const ir::Module& m = sides[s].m();
    for (uint32_t i = 0; i < m.outputs.size(); ++i) {
      auto [it, fresh] = by_name.emplace(m.outputs[i].name, outputs.size());
      if (fresh) {
        OutputImpact o;
        o.name = m.outputs[i].name;
        o.type = m.functions[m.outputs[i].function].result;
        o.m = &m;
        outputs.push_back(std::move(o));
      }
      (s == 0 ? outputs[it->second].base : outputs[it->second].other) = i;
    }
  }

  size_t households = 0, rejected = 0, changed = 0, errors[2] = {0, 0};
  Json changes = Json::array(), rejections = Json::array();
  const std::string& body = request.body;
  uint32_t number = 0;
  Decision d[2];
  for (size_t start = 0; start < body.size();) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string_view text(body.data() + start, end - start);
    start = end + 1;
    ++number;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++households;
    bool loaded = true;
    for (int s = 0; s < 2 && loaded; ++s) {
      const LoadedRecord record = load_household(*sides[s].served->rules, text);
      if (!record.ok()) {
        // A record either rule set refuses is left out of the comparison.
        ++rejected;
        loaded = false;
        if (rejections.size() < kListedRejections) {
          // 敏感 values hidden, as in every answer.
          const auto problems = problems_without_sensitive_values(sides[s].m(), record.problems, text, stars_for);
          const Diagnostic first{problems[0].code, Span{}, problems[0].args, {}};
          rejections.push_back(Json{{"line", number}, {"ruleset", names[s]}, {"code", diag_info(first.code).code},
                                    {"message", first.message(lang)}});
        }
        break;
      }
      sides[s].engine->set_context(sides[s].context);
      sides[s].engine->decide_into(record.data, d[s]);
    }
    if (!loaded) continue;
    Json changed_outputs = Json::object();
    for (auto& o : outputs) {
      Json value[2];
      for (int s = 0; s < 2; ++s) {
        const uint32_t i = s == 0 ? o.base : o.other;
        if (i == UINT32_MAX || d[s].error) continue;
        const ir::Module& m = sides[s].m();
        const TypeId t = m.functions[m.outputs[i].function].result;
        const Value v = d[s].outputs[i];
        value[s] = value_json(m, v, t, lang == Lang::Zh);
        const Summed kind = summed(m, t);
        Total& total = s == 0 ? o.base_total : o.other_total;
        if (!(m.types.kind(t) == TypeKind::Optional && v.is_absent()) && kind != Summed::Nothing)
          total.add(kind == Summed::Truth ? (v.a != 0) : v.a);
      }
      if (value[0] == value[1]) continue;
      ++o.changed;
      changed_outputs[o.name] = Json{{"base", value[0]}, {"other", value[1]}};
      if (summed(*o.m, o.type) == Summed::Money && o.base != UINT32_MAX && o.other != UINT32_MAX && !d[0].error &&
          !d[1].error && o.differences.size() < kChartPoints) {
        int64_t difference = 0;
        if (!__builtin_sub_overflow(d[1].outputs[o.other].a, d[0].outputs[o.base].a, &difference))
          o.differences.push_back(format_fen_fixed(difference));
      }
    }
    for (int s = 0; s < 2; ++s) errors[s] += d[s].error.has_value();
    const bool error_changed = d[0].error.has_value() != d[1].error.has_value() ||
                               (d[0].error && d[1].error && d[0].error->code != d[1].error->code);
    if (changed_outputs.empty() && !error_changed) continue;
    ++changed;
    if (changes.size() < kListedChanges) {
      Json c{{"line", number}, {"outputs", changed_outputs}};
      for (int s = 0; s < 2; ++s)
        c[std::string(names[s]) + "_error"] = d[s].error ? Json::parse(error_json(sides[s].m(), d[s], lang, false)) : Json(nullptr);
      changes.push_back(std::move(c));
    }
  }

  Json totals = Json::array();
  for (const auto& o : outputs) {
    Json j{{"name", o.name}, {"changed", o.changed}};
    const Summed kind = summed(*o.m, o.type);
    if (kind == Summed::Money) j["unit"] = o.m->type_name(o.m->types.unwrap(o.type), lang == Lang::Zh);
    if (kind != Summed::Nothing) {
      j["base_total"] = o.base == UINT32_MAX ? Json(nullptr) : total_json(o, o.base_total);
      j["other_total"] = o.other == UINT32_MAX ? Json(nullptr) : total_json(o, o.other_total);
      int64_t difference = 0;
      const bool known = o.base != UINT32_MAX && o.other != UINT32_MAX && !o.base_total.overflow &&
                         !o.other_total.overflow && !__builtin_sub_overflow(o.other_total.sum, o.base_total.sum, &difference);
      j["difference"] = !known ? Json(nullptr) : kind == Summed::Money ? Json(format_fen_fixed(difference)) : Json(difference);
    }
    if (kind == Summed::Money) j["differences"] = o.differences;
    totals.push_back(std::move(j));
  }
  return json_response(200, Json{{"base", sides[0].served->rules->digest()},
                                 {"other", sides[1].served->rules->digest()},
                                 {"jurisdiction", sides[0].context.jurisdiction_name},
                                 {"month", format_year_month(sides[0].context.month)},
                                 {"households", households},
                                 {"rejected", rejected},
                                 {"changed", changed},
                                 {"errors", Json{{"base", errors[0]}, {"other", errors[1]}}},
                                 {"outputs", totals},
                                 {"changes", changes},
                                 {"rejections", rejections}});
}

}  // namespace doudi::serve
