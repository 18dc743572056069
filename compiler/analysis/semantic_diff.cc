#include "compiler/analysis/semantic_diff.h"

#include <atomic>

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "compiler/analysis/conflict_check.h"
#include "compiler/analysis/parallel_for.h"
#include "compiler/analysis/counterexample.h"
#include "compiler/analysis/smt_eval.h"
#include "compiler/analysis/solve.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

using smt::Sym;

// Where two record structures first differ, as a field path and what
// differs there; empty when a record one version accepts is read the same
// way by the other, down to the order of enum choices.
std::string schema_difference(const Program& a, TypeId ta, const Program& b, TypeId tb, const std::string& at) {
  const Type& x = a.types.get(ta);
  const Type& y = b.types.get(tb);
  if (x.kind != y.kind || (x.kind == TypeKind::Money && x.period != y.period) ||
      (x.kind == TypeKind::Struct && a.structs[x.ref].name != b.structs[y.ref].name) ||
      (x.kind == TypeKind::Enum && a.enums[x.ref].name != b.enums[y.ref].name))
    return bilingual(at + "：类型不同", at + ": types differ");
  switch (x.kind) {
    case TypeKind::Optional:
    case TypeKind::List:
    case TypeKind::Set: return schema_difference(a, x.elem, b, y.elem, at + (x.kind == TypeKind::Optional ? "" : "[]"));
    case TypeKind::Struct: {
      const auto& fa = a.structs[x.ref].fields;
      const auto& fb = b.structs[y.ref].fields;
      for (size_t i = 0; i < std::max(fa.size(), fb.size()); ++i) {
        if (i >= fa.size()) return bilingual(at + "." + fb[i].name + "：只在新版本中", at + "." + fb[i].name + ": only in the new version");
        if (i >= fb.size()) return bilingual(at + "." + fa[i].name + "：只在旧版本中", at + "." + fa[i].name + ": only in the old version");
        if (fa[i].name != fb[i].name) return bilingual(at + "." + fa[i].name + "：新版本此处为 " + fb[i].name, at + "." + fa[i].name + ": the new version has " + fb[i].name + " here");
        if (auto d = schema_difference(a, fa[i].type, b, fb[i].type, at + "." + fa[i].name); !d.empty()) return d;
      }
      return "";
    }
    case TypeKind::Enum:
      return a.enums[x.ref].values == b.enums[y.ref].values ? "" : bilingual(at + "：选项不同", at + ": the choices differ");
    default: return "";
  }
}

std::vector<std::pair<std::string, uint32_t>> outputs_of(const Program& p) {
  std::vector<std::pair<std::string, uint32_t>> out;
  const std::set<std::string> modules = p.output_modules();
  for (uint32_t f = 0; f < p.functions.size(); ++f) {
    const auto& info = p.functions[f];
    if (info.rule && info.params.empty() && modules.count(info.module)) out.push_back({info.name, f});
  }
  return out;
}

// Where to compare one output: each pair of places in the months where a
// value either version's output reads changes (decision_months), once per
// distinct set of values read, unless the output reads the month itself.
std::vector<std::pair<smt::Env, smt::Env>> comparisons(const Program& old_p, const Program& new_p, uint32_t old_f,
                                                       uint32_t new_f,
                                                       const std::vector<std::pair<uint32_t, uint32_t>>& places) {
  const RuleInputs in_old = rule_inputs(old_p, old_f), in_new = rule_inputs(new_p, new_f);
  std::set<int64_t> bounds = parameter_bounds(old_p, &in_old.params);
  for (int64_t d : parameter_bounds(new_p, &in_new.params)) bounds.insert(d);
  const bool by_month = in_old.reads_month || in_new.reads_month;
  const bool as_of = in_old.reads_as_of || in_new.reads_as_of;
  std::vector<std::pair<smt::Env, smt::Env>> out;
  std::set<std::string> seen;
  for (const auto& [jo, jn] : places)
    for (int64_t ym : decision_months(bounds)) {
      std::string key = as_of ? fmt::format("{}/{}/{}", jo, jn, ym) : by_month ? std::to_string(ym) : "";
      key += "|" + setting_key(old_p, in_old, jo, ym) + "|" + setting_key(new_p, in_new, jn, ym);
      if (seen.insert(key).second) out.push_back({smt::Env{jo, first_day_of(ym), ym}, smt::Env{jn, first_day_of(ym), ym}});
    }
  return out;
}

z3::expr differs(const Sym& x, const Sym& y) {
  if (x.kind != Sym::Kind::Scalar || y.kind != Sym::Kind::Scalar || !x.v || !y.v)
    throw smt::Unsupported{bilingual("不是数、金额、真假值或选项的值", "a value that is not a number, amount, truth value or choice")};
  z3::expr vx = *x.v, vy = *y.v;
  if (vx.is_int() && vy.is_real()) vx = z3::to_real(vx);
  if (vx.is_real() && vy.is_int()) vy = z3::to_real(vy);
  z3::expr out = vx != vy;
  if (x.present || y.present) {
    const z3::expr px = x.present ? *x.present : x.v->ctx().bool_val(true);
    const z3::expr py = y.present ? *y.present : y.v->ctx().bool_val(true);
    out = px != py || (px && py && out);
  }
  return out;
}

constexpr int kMaxUndecidedPlaces = 3;

void compare_output(const Program& old_p, const Program& new_p, const std::vector<std::pair<uint32_t, uint32_t>>& places,
                    int max_members, const ConfirmDiff& confirm, OutputDiff& d) {
  int attempts = 0, unknowns = 0;
  bool undecided = false;
  auto envs = comparisons(old_p, new_p, d.old_function, d.new_function, places);
  // Places where a jurisdiction's own exception applies first: a version
  // that adds one differs there if anywhere.
  const RuleInputs in_old = rule_inputs(old_p, d.old_function), in_new = rule_inputs(new_p, d.new_function);
  auto local_here = [&](const std::pair<smt::Env, smt::Env>& e) {
    for (uint32_t j : in_old.local_jurisdictions)
      if (old_p.is_within(e.first.jurisdiction, j)) return true;
    for (uint32_t j : in_new.local_jurisdictions)
      if (new_p.is_within(e.second.jurisdiction, j)) return true;
    return false;
  };
  std::stable_partition(envs.begin(), envs.end(), local_here);
  for (const auto& [env_old, env_new] : envs) {
    z3::context ctx;
    smt::Evaluator eo(ctx, old_p, env_old, max_members);
    smt::Evaluator en(ctx, new_p, env_new, max_members);
    const Sym input = eo.make_input("家庭");
    en.set_input(input);
    const Sym vo = eo.call(d.old_function, {});
    const Sym vn = en.call(d.new_function, {});
    std::vector<z3::expr> facts = eo.assumptions();
    for (const auto& a : en.assumptions()) facts.push_back(a);
    facts.push_back(differs(vo, vn));
    auto query = smt::solve(ctx, facts);
    if (query.result == z3::unknown) {
      undecided = true;
      // Each query may take the solver's whole time limit; an output the
      // solver cannot settle in a few places is reported undecided rather
      // than tried in every place and month (which could take hours).
      if (++unknowns >= kMaxUndecidedPlaces) break;
    }
    if (query.result != z3::sat) continue;
    OutputDiff found = d;
    found.status = OutputDiff::Status::Differs;
    found.jurisdiction = env_old.jurisdiction == kNoJurisdiction ? "" : old_p.jurisdictions[env_old.jurisdiction].name;
    found.new_jurisdiction = env_new.jurisdiction == kNoJurisdiction ? "" : new_p.jurisdictions[env_new.jurisdiction].name;
    found.month = env_old.month;
    found.record_json = counterexample_json(old_p, query.solver, input);
    if (!confirm || confirm(found)) {
      d = std::move(found);
      return;
    }
    // The solver's household does not differ when run (a value the
    // encoding leaves open, e.g. a gap): no claim either way.
    undecided = true;
    if (++attempts > 50) break;
  }
  d.status = undecided ? OutputDiff::Status::Undecided : OutputDiff::Status::Same;
}

}  // namespace

DiffReport semantic_diff(const Program& old_p, const Program& new_p, int max_members, const ConfirmDiff& confirm,
                         const std::optional<std::pair<std::string, std::string>>& between, unsigned jobs,
                         const DiffCache& cache, const std::atomic<bool>* cancel) {
  DiffReport report;
  if (!old_p.input || !new_p.input) {
    report.schema_mismatch = "input";
    return report;
  }
  report.schema_mismatch = schema_difference(old_p, old_p.input->type, new_p, new_p.input->type, old_p.input->name);
  if (!report.schema_mismatch.empty()) return report;
  std::vector<std::pair<uint32_t, uint32_t>> places;
  if (between) {
    const uint32_t a = old_p.find_jurisdiction(between->first), b = new_p.find_jurisdiction(between->second);
    if (a == UINT32_MAX || b == UINT32_MAX) {
      report.unknown_jurisdiction = a == UINT32_MAX ? between->first : between->second;
      return report;
    }
    places.push_back({a, b});
  }
  for (uint32_t j = 0; j < old_p.jurisdictions.size() && !between; ++j) {
    if (old_p.jurisdictions[j].test_fixture) continue;
    const uint32_t k = new_p.find_jurisdiction(old_p.jurisdictions[j].name);
    if (k == UINT32_MAX || new_p.jurisdictions[k].test_fixture) continue;
    places.push_back({j, k});
    report.jurisdictions.push_back(old_p.jurisdictions[j].name);
  }
  // No jurisdiction in common: compare where only the declarations' values
  // hold, rather than claim sameness over no place at all.
  if (places.empty()) places.push_back({kNoJurisdiction, kNoJurisdiction});
  const auto old_outputs = outputs_of(old_p), new_outputs = outputs_of(new_p);
  std::vector<OutputDiff> compared(old_outputs.size());
  std::vector<char> cached(old_outputs.size(), 0);
  std::mutex confirming;  // `confirm` runs the interpreter; one at a time
  const ConfirmDiff serial_confirm = one_at_a_time(confirm, confirming);
  std::atomic<bool> skipped{false};
  parallel_for(old_outputs.size(), jobs, [&](size_t i) {
    OutputDiff& d = compared[i];
    d.name = old_outputs[i].first;
    d.old_function = old_outputs[i].second;
    for (const auto& [n, g] : new_outputs)
      if (n == d.name) d.new_function = g;
    if (d.new_function == UINT32_MAX) {
      d.status = OutputDiff::Status::OnlyOld;
      return;
    }
    if (cancel && cancel->load()) {  // not compared: neither proved nor shown to differ
      d.status = OutputDiff::Status::Undecided;
      skipped = true;
      return;
    }
    if (cache.load) {
      if (auto stored = cache.load(d);
          stored && (stored->status != OutputDiff::Status::Differs || !serial_confirm || serial_confirm(*stored))) {
        d = std::move(*stored);
        cached[i] = 1;
        return;
      }
    }
    try {
      compare_output(old_p, new_p, places, max_members, serial_confirm, d);
    } catch (const smt::Unsupported& u) {
      d.status = OutputDiff::Status::NotEncoded;
      d.reason = u.reason;
    } catch (const z3::exception& e) {
      d.status = OutputDiff::Status::NotEncoded;
      d.reason = e.msg();
    }
    if (cache.store) cache.store(d);
  });
  report.outputs = std::move(compared);
  report.cancelled = skipped;
  for (char hit : cached) report.from_cache += hit;
  for (const auto& added : new_outputs) {
    const bool in_old =
        std::any_of(old_outputs.begin(), old_outputs.end(), [&](const auto& o) { return o.first == added.first; });
    if (!in_old) {
      OutputDiff d;
      d.name = added.first;
      d.new_function = added.second;
      d.status = OutputDiff::Status::OnlyNew;
      report.outputs.push_back(std::move(d));
    }
  }
  return report;
}

}  // namespace doudi
