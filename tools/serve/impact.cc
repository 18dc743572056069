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
  // Per side (base, other): the output's index, its module and type, its
  // total; an output only one rule set has is UINT32_MAX on the other side.
  uint32_t index[2] = {UINT32_MAX, UINT32_MAX};
  const ir::Module* m[2] = {nullptr, nullptr};
  TypeId type[2] = {0, 0};
  Total total[2];
  size_t changed = 0;
  Json differences = Json::array();  // money on both sides: other − base per changed household, in 元
  Summed kind(int side) const { return index[side] == UINT32_MAX ? Summed::Nothing : summed(*m[side], type[side]); }
};

Json total_json(const OutputImpact& o, int side) {
  if (o.index[side] == UINT32_MAX || o.total[side].overflow) return nullptr;
  return o.kind(side) == Summed::Money ? Json(format_fen_fixed(o.total[side].sum)) : Json(o.total[side].sum);
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
        outputs.push_back(std::move(o));
      }
      OutputImpact& o = outputs[it->second];
      o.index[s] = i;
      o.m[s] = &m;
      o.type[s] = m.functions[m.outputs[i].function].result;
    }
  }

  size_t households = 0, rejected = 0, changed = 0, compared = 0, errors[2] = {0, 0};
  Json changes = Json::array(), rejections = Json::array();
  Decision d[2];
  for_each_record_line(request.body, [&](uint32_t number, std::string_view text) {
    ++households;
    bool loaded = true;
    // Kept until the outcomes are compared: a text output may point into its record.
    LoadedRecord records[2];
    for (int s = 0; s < 2 && loaded; ++s) {
      LoadedRecord& record = records[s];
      record = load_household(*sides[s].served->rules, text);
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
    if (!loaded) return true;
    // Totals count the households both rule sets decided without an error
    // result, so that a difference is the change of the rules alone.
    const bool both = !d[0].error && !d[1].error;
    if (both) ++compared;
    Json changed_outputs = Json::object();
    for (auto& o : outputs) {
      Json value[2];
      for (int s = 0; s < 2; ++s) {
        if (o.index[s] == UINT32_MAX || d[s].error) continue;
        const Value v = d[s].outputs[o.index[s]];
        value[s] = value_json(*o.m[s], v, o.type[s], lang == Lang::Zh);
        const bool absent = o.m[s]->types.kind(o.type[s]) == TypeKind::Optional && v.is_absent();
        if (both && !absent && o.kind(s) != Summed::Nothing) o.total[s].add(o.kind(s) == Summed::Truth ? (v.a != 0) : v.a);
      }
      if (value[0] == value[1]) continue;
      ++o.changed;
      changed_outputs[o.name] = Json{{"base", value[0]}, {"other", value[1]}};
      if (both && o.kind(0) == Summed::Money && o.kind(1) == Summed::Money && o.differences.size() < kChartPoints) {
        int64_t difference = 0;
        if (!__builtin_sub_overflow(d[1].outputs[o.index[1]].a, d[0].outputs[o.index[0]].a, &difference))
          o.differences.push_back(format_fen_fixed(difference));
      }
    }
    for (int s = 0; s < 2; ++s) errors[s] += d[s].error.has_value();
    const bool error_changed = d[0].error.has_value() != d[1].error.has_value() ||
                               (d[0].error && d[1].error && d[0].error->code != d[1].error->code);
    if (changed_outputs.empty() && !error_changed) return true;
    ++changed;
    if (changes.size() < kListedChanges) {
      Json c{{"line", number}, {"outputs", changed_outputs}};
      for (int s = 0; s < 2; ++s)
        c[std::string(names[s]) + "_error"] = d[s].error ? Json::parse(error_json(sides[s].m(), d[s], lang, false)) : Json(nullptr);
      changes.push_back(std::move(c));
    }
    return true;
  });

  Json totals = Json::array();
  for (const auto& o : outputs) {
    Json j{{"name", o.name}, {"changed", o.changed}};
    const int side = o.index[0] != UINT32_MAX ? 0 : 1;  // the base's, unless only the other has it
    const Summed kind = o.kind(side);
    if (kind == Summed::Money) j["unit"] = o.m[side]->type_name(o.m[side]->types.unwrap(o.type[side]), lang == Lang::Zh);
    if (kind != Summed::Nothing) {
      j["base_total"] = total_json(o, 0);
      j["other_total"] = total_json(o, 1);
      // A difference only between like totals (an output whose type changed has none).
      int64_t difference = 0;
      const bool known = o.kind(0) == o.kind(1) &&
                         o.m[0]->type_name(o.type[0], false) == o.m[1]->type_name(o.type[1], false) && !o.total[0].overflow && !o.total[1].overflow &&
                         !__builtin_sub_overflow(o.total[1].sum, o.total[0].sum, &difference);
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
                                 {"compared", compared},
                                 {"changed", changed},
                                 {"errors", Json{{"base", errors[0]}, {"other", errors[1]}}},
                                 {"outputs", totals},
                                 {"changes", changes},
                                 {"rejections", rejections}});
}

}  // namespace doudi::serve
