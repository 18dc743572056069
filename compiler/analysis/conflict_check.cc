#include "compiler/analysis/conflict_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "compiler/analysis/counterexample.h"
#include "compiler/analysis/smt_eval.h"
#include "compiler/analysis/solve.h"
#include "runtime/value/calendar.h"
#include "runtime/value/money.h"

namespace doudi {

std::vector<uint32_t> decision_places(const Program& p) {
  std::vector<uint32_t> out;
  for (uint32_t j = 0; j < p.jurisdictions.size(); ++j)
    if (!p.jurisdictions[j].test_fixture) out.push_back(j);
  if (out.empty()) out.push_back(kNoJurisdiction);
  return out;
}

std::set<int64_t> parameter_bounds(const Program& p, const std::set<uint32_t>* params) {
  std::set<int64_t> bounds;
  for (uint32_t pi = 0; pi < p.params.size(); ++pi) {
    if (params && !params->count(pi)) continue;
    const auto& prm = p.params[pi];
    for (const auto& v : prm.values) {
      if (v.from) bounds.insert(*v.from);
      if (v.until) bounds.insert(*v.until + 1);
      // Dates that are values (deadlines) matter to month-dependent rules.
      const TypeId t = p.types.unwrap(prm.type);
      if (t == TypeTable::kDate) bounds.insert(v.value.a);
      if (t == TypeTable::kYearMonth) bounds.insert(first_day_of(v.value.a));
    }
  }
  return bounds;
}

std::string values_key(const Program& p, const std::set<uint32_t>& params, uint32_t j, int64_t ym, size_t* missing) {
  const int64_t day = first_day_of(ym), last_year = days_from_civil({ym_year(ym) - 1, 12, 31});
  std::string key;
  for (uint32_t pi : params)
    for (int64_t d : {day, last_year}) {
      const ParamValue* found = p.value_in_force(pi, j, d);
      key += found ? fmt::format("{}:{},", found->value.a, found->value.b) : "-,";
      if (missing) *missing += found == nullptr;
    }
  return key;
}

std::string setting_key(const Program& p, const RuleInputs& inputs, uint32_t j, int64_t ym, size_t* missing) {
  std::string key = values_key(p, inputs.params, j, ym, missing);
  for (uint32_t local : inputs.local_jurisdictions) key += p.is_within(j, local) ? "+" : "-";
  return key;
}

RuleInputs rule_inputs(const Program& p, uint32_t function) {
  RuleInputs in;
  std::set<uint32_t> seen;
  std::function<void(uint32_t)> visit;
  std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& e) {
    if (e.ref == ast::RefKind::DecisionMonth || e.kind == ast::ExprKind::LastYear || e.kind == ast::ExprKind::AsOf)
      in.reads_month = true;
    if (e.ref == ast::RefKind::Param) in.params.insert(e.ref_index);
    in.reads_as_of |= e.kind == ast::ExprKind::AsOf;
    if ((e.ref == ast::RefKind::Definition || e.ref == ast::RefKind::Rule) &&
        (e.kind == ast::ExprKind::Name || e.kind == ast::ExprKind::Call))
      visit(e.ref_index);
    for (const auto& k : e.kids) walk(*k);
  };
  visit = [&](uint32_t f) {
    if (!seen.insert(f).second) return;
    const auto& info = p.functions[f];
    if (!info.decided_by_branches()) walk(*info.def->body);
    for (const auto& b : info.branches) {
      if (b.jurisdiction != kNone) in.local_jurisdictions.insert(b.jurisdiction);
      if (b.condition) walk(*b.condition);
      walk(*b.value);
    }
  };
  visit(function);
  return in;
}

namespace {

using smt::Sym;

// Every distinct parameter environment of a rule: a (jurisdiction, month) per
// distinct set of values in force of the parameters it reads (and, for
// month-dependent rules, month).
std::vector<smt::Env> environments(const Program& p, const RuleInputs& inputs) {
  const std::vector<int64_t> months = decision_months(parameter_bounds(p, &inputs.params));
  std::vector<std::pair<size_t, smt::Env>> found_envs;  // (missing values, env)
  std::set<std::string> keys;
  for (uint32_t j : decision_places(p)) {
    for (int64_t ym : months) {
      // A value as of another date is not in the key: such rules get every
      // jurisdiction and month of their own.
      std::string key = inputs.reads_as_of ? fmt::format("{}/{}", j, ym) : inputs.reads_month ? std::to_string(ym) : "";
      size_t missing = 0;
      key += setting_key(p, inputs, j, ym, &missing);
      if (keys.insert(key).second) found_envs.push_back({missing, smt::Env{j, first_day_of(ym), ym}});
    }
  }
  // Environments where more values are set first: a counterexample found
  // there can be run as it is.
  std::stable_sort(found_envs.begin(), found_envs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<smt::Env> out;
  for (const auto& [missing, env] : found_envs) out.push_back(env);
  return out;
}

// "`field` has the value a record that leaves it out gets": absent for an
// optional without default, else its default; none when the field cannot be
// left out or its default is not compared (ratios, text).
std::optional<z3::expr> omitted_value(const Program& p, const FieldInfo& field, const Sym& v) {
  if (p.types.kind(field.type) == TypeKind::Optional) {
    if (!field.default_value && v.present) return !*v.present;
    return std::nullopt;
  }
  if (!field.default_value || !v.v) return std::nullopt;
  if (v.v->is_bool()) return *v.v == v.v->ctx().bool_val(field.default_value->a != 0);
  if (v.v->is_int()) return *v.v == v.v->ctx().int_val(field.default_value->a);
  return std::nullopt;
}

}  // namespace

std::string json_of(const Program& p, const z3::model& model, const Sym& s, TypeId t) {
  const Type& ty = p.types.get(t);
  if (ty.kind == TypeKind::Optional) {
    if (s.present && !model.eval(*s.present, true).is_true()) return "null";
    return json_of(p, model, s, ty.elem);
  }
  auto num = [&](const z3::expr& e) {
    int64_t v = 0;
    model.eval(e, true).is_numeral_i64(v);
    return v;
  };
  switch (ty.kind) {
    case TypeKind::Struct: {
      // Fields a record may leave out are left out when the household has
      // the value leaving them out gives: a person reads only what matters.
      const auto& st = p.structs[ty.ref];
      std::string out = "{";
      for (size_t i = 0; i < st.fields.size(); ++i) {
        const auto& field = st.fields[i];
        if (auto omitted = omitted_value(p, field, s.items[i]); omitted && model.eval(*omitted, true).is_true()) continue;
        out += fmt::format("{}\"{}\": {}", out.size() > 1 ? ", " : "", field.name, json_of(p, model, s.items[i], field.type));
      }
      return out + "}";
    }
    case TypeKind::List: {
      const int64_t n = num(*s.len);
      std::string out = "[";
      for (int64_t i = 0; i < n; ++i) out += (i ? ", " : "") + json_of(p, model, s.items[static_cast<size_t>(i)], ty.elem);
      return out + "]";
    }
    case TypeKind::Text: return "\"x\"";
    case TypeKind::Bool: return model.eval(*s.v, true).is_true() ? "true" : "false";
    case TypeKind::Money: return format_fen(num(*s.v));
    case TypeKind::Enum: return "\"" + p.enums[ty.ref].values[static_cast<size_t>(num(*s.v))] + "\"";
    case TypeKind::Date: return "\"" + format_date(num(*s.v)) + "\"";
    case TypeKind::YearMonth: return "\"" + format_year_month(num(*s.v)) + "\"";
    case TypeKind::Ratio: {
      const auto v = model.eval(*s.v, true);
      return "\"" + v.get_decimal_string(6) + "\"";
    }
    default: return std::to_string(num(*s.v));
  }
}

namespace {

// A model with as few list items (household members) as the solver allows:
// a counterexample is read by people, and each member is a screenful. The
// bound found is kept in the solver (inside the caller's push); `best` is the
// model the solver had before that push.
z3::model smallest_model(z3::solver& solver, const Sym& input, z3::model best) {
  std::vector<z3::expr> lens;
  std::function<void(const Sym&)> collect = [&](const Sym& s) {
    if (s.len) lens.push_back(*s.len);
    for (const auto& item : s.items) collect(item);
  };
  collect(input);
  if (lens.empty()) return best;
  z3::expr total = lens[0];
  for (size_t i = 1; i < lens.size(); ++i) total = total + lens[i];
  int64_t found = 0;
  best.eval(total, true).is_numeral_i64(found);
  for (int64_t k = static_cast<int64_t>(lens.size()); k < found; ++k) {
    solver.push();
    solver.add(total <= static_cast<int>(k));
    const bool sat = solver.check() == z3::sat;
    if (sat) best = solver.get_model();
    solver.pop();
    if (sat) {
      found = k;
      break;
    }
  }
  solver.add(total <= static_cast<int>(found));
  return best;
}

// For each field a record may leave out, "it has the value leaving it out
// gives": an absent optional, or its default.
void omittable_facts(const Program& p, const Sym& s, TypeId t, std::vector<z3::expr>& out) {
  const Type& ty = p.types.get(t);
  if (ty.kind == TypeKind::List) {
    for (const auto& item : s.items) omittable_facts(p, item, ty.elem, out);
    return;
  }
  if (ty.kind != TypeKind::Struct) return;
  const auto& st = p.structs[ty.ref];
  for (size_t i = 0; i < st.fields.size(); ++i) {
    const auto& field = st.fields[i];
    const Sym& v = s.items[i];
    if (auto omitted = omitted_value(p, field, v)) out.push_back(*omitted);
    else omittable_facts(p, v, p.types.unwrap(field.type), out);
  }
}

}  // namespace

std::string counterexample_json(const Program& p, z3::solver& solver, const Sym& input) {
  z3::model first = solver.get_model();  // a push discards it
  // Making the household smaller is a courtesy: each attempt gets a short
  // time limit, so a hard one leaves a larger household rather than taking
  // the whole query limit for every field.
  z3::params quick(solver.ctx());
  quick.set("timeout", smt::kMinimiseTimeoutMs);
  solver.set(quick);
  solver.push();
  z3::model best = smallest_model(solver, input, first);
  // Then as many fields as possible at the value leaving them out gives, so
  // the record shows only what the finding needs (json_of leaves those out).
  std::vector<z3::expr> facts;
  omittable_facts(p, input, p.input->type, facts);
  std::vector<z3::expr> open;
  for (const auto& f : facts)
    if (!best.eval(f, true).is_true()) open.push_back(f);
  auto holds_with = [&](const z3::expr& f) {
    solver.push();
    solver.add(f);
    const bool sat = solver.check() == z3::sat;
    if (sat) best = solver.get_model();
    solver.pop();
    if (sat) solver.add(f);
    return sat;
  };
  if (!open.empty()) {
    z3::expr all = open[0];
    for (size_t i = 1; i < open.size(); ++i) all = all && open[i];
    if (!holds_with(all))
      for (const auto& f : open) holds_with(f);
  }
  solver.pop();
  return json_of(p, best, input, p.input->type);
}

namespace {

// A frame for evaluating a rule: its parameters as unknowns, then room for
// the aggregation variables.
std::vector<Sym> symbolic_frame(smt::Evaluator& ev, const FunctionInfo& info) {
  std::vector<Sym> frame;
  for (size_t k = 0; k < info.params.size(); ++k) frame.push_back(ev.make_value(info.params[k].type, fmt::format("arg{}", k)));
  frame.resize(std::max(frame.size(), info.local_vars.size()));
  return frame;
}

// The rule's branches over a symbolic household, in each environment in turn;
// `visit` returns false to stop.
template <typename Visit>
void for_each_environment(const Program& p, uint32_t f, const std::vector<smt::Env>& envs, int max_members,
                          const Visit& visit) {
  for (const auto& env : envs) {
    z3::context ctx;
    smt::Evaluator ev(ctx, p, env, max_members);
    const Sym input = ev.make_input("家庭");
    std::vector<Sym> frame = symbolic_frame(ev, p.functions[f]);
    const auto bs = ev.branches(f, frame);
    if (!visit(env, ctx, ev, input, bs)) return;
  }
}

// The facts of one query: the domain assumptions and a goal.
std::vector<z3::expr> facts(const smt::Evaluator& ev, const z3::expr& goal) {
  std::vector<z3::expr> out = ev.assumptions();
  out.push_back(goal);
  return out;
}

// Gaps and exceptions that never decide, for one rule.
void check_rule_reach(const Program& p, uint32_t f, const std::vector<smt::Env>& envs, ConflictReport& report,
                      const ConfirmGap& confirm_gap, int max_members) {
  const auto& info = p.functions[f];
  const auto& branches = info.branches;
  bool has_default = false;
  for (const auto& b : branches) has_default |= b.is_default;
  if (has_default && branches.size() == 1) return;  // nothing but a default: nothing to find
  std::vector<bool> ever_applies(branches.size(), false), ever_decides(branches.size(), false);
  bool gap_found = false;
  std::optional<RuleGap> fallback;
  for_each_environment(p, f, envs, max_members, [&](const smt::Env& env, z3::context& ctx, const smt::Evaluator& ev,
                                                   const Sym& input, const auto& bs) {
    for (size_t i = 0; i < branches.size(); ++i) {
      if (branches[i].is_default || ever_decides[i]) continue;
      if (!ever_applies[i] && smt::solve(ctx, facts(ev, bs[i]->condition)).result != z3::unsat) ever_applies[i] = true;
      if (!ever_applies[i]) continue;
      z3::expr decides = bs[i]->condition;
      for (uint32_t k : info.overridden_by[i]) decides = decides && !bs[k]->condition;
      if (smt::solve(ctx, facts(ev, decides)).result != z3::unsat) ever_decides[i] = true;
    }
    if (!has_default && !gap_found) {
      z3::expr none = ctx.bool_val(true);
      for (size_t i = 0; i < branches.size(); ++i)
        if (bs[i]) none = none && !bs[i]->condition;
      auto query = smt::solve(ctx, facts(ev, none));
      if (query.result == z3::sat) {
        RuleGap g{f, env.jurisdiction, env.month, ""};
        if (info.params.empty()) g.record_json = counterexample_json(p, query.solver, input);
        if (!confirm_gap || confirm_gap(g)) {
          report.gaps.push_back(std::move(g));
          gap_found = true;
        } else if (!fallback) {
          fallback = std::move(g);
        }
      }
    }
    return true;
  });
  if (!has_default && !gap_found && fallback) report.gaps.push_back(std::move(*fallback));
  // A jurisdiction's exception is looked at only where decisions are made
  // (test fixtures are not): one with no such place at or below its
  // jurisdiction was never looked at, so it is not called dead.
  const std::vector<uint32_t> places = decision_places(p);
  auto looked_at = [&](const BranchInfo& b) {
    return b.jurisdiction == kNone ||
           std::any_of(places.begin(), places.end(), [&](uint32_t j) { return p.is_within(j, b.jurisdiction); });
  };
  for (uint32_t i = 0; i < branches.size(); ++i) {
    if (branches[i].is_default || ever_decides[i] || !looked_at(branches[i])) continue;
    report.dead.push_back(DeadException{f, i, ever_applies[i]});
  }
}

// Pairs of exceptions where neither takes precedence over the other.
std::vector<std::pair<uint32_t, uint32_t>> unordered_pairs(const FunctionInfo& info) {
  const auto& branches = info.branches;
  auto beats = [&](uint32_t a, uint32_t b) {
    const auto& winners = info.overridden_by[b];
    return std::find(winners.begin(), winners.end(), a) != winners.end();
  };
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (uint32_t i = 0; i < branches.size(); ++i)
    for (uint32_t j = i + 1; j < branches.size(); ++j)
      if (!branches[i].is_default && !branches[j].is_default && !beats(i, j) && !beats(j, i)) pairs.push_back({i, j});
  return pairs;
}

// Conflicts between unordered exceptions. Returns false when the solver gave
// up somewhere and found none.
bool check_rule_conflicts(const Program& p, uint32_t f, const std::vector<smt::Env>& envs,
                          const std::vector<std::pair<uint32_t, uint32_t>>& pairs, ConflictReport& report,
                          const ConfirmConflict& confirm, int max_members) {
  const auto& info = p.functions[f];
  bool undecided = false;
  std::optional<ExceptionConflict> fallback;
  int attempts = 0;
  bool found = false;
  for_each_environment(p, f, envs, max_members, [&](const smt::Env& env, z3::context& ctx, const smt::Evaluator& ev,
                                                   const Sym& input, const auto& bs) {
    for (const auto& [a, b] : pairs) {
      std::vector<z3::expr> both = facts(ev, bs[a]->condition && bs[b]->condition);
      for (uint32_t k : info.overridden_by[a]) both.push_back(!bs[k]->condition);
      for (uint32_t k : info.overridden_by[b]) both.push_back(!bs[k]->condition);
      const z3::expr va = *bs[a]->value.v, vb = *bs[b]->value.v;
      both.push_back(va.is_int() && vb.is_real() ? z3::to_real(va) != vb
                     : va.is_real() && vb.is_int() ? va != z3::to_real(vb)
                                                    : va != vb);
      auto query = smt::solve(ctx, both);
      if (query.result == z3::unknown) undecided = true;
      if (query.result != z3::sat) continue;
      ExceptionConflict c{f, a, b, env.jurisdiction, env.month, ""};
      // The household that conflicts, from the model.
      if (info.params.empty()) c.record_json = counterexample_json(p, query.solver, input);
      if (!confirm || confirm(c) || ++attempts > 200) {
        report.conflicts.push_back(std::move(c));
        found = true;
        return false;
      }
      if (!fallback) fallback = std::move(c);
    }
    return true;
  });
  if (found) return true;
  if (fallback) {
    report.conflicts.push_back(std::move(*fallback));
    return true;
  }
  return !undecided;
}

}  // namespace

ConflictReport check_rule(const Program& p, uint32_t f, const ConfirmConflict& confirm, const ConfirmGap& confirm_gap,
                          int max_members) {
  ConflictReport report;
  const auto& info = p.functions[f];
  if (!info.decided_by_branches()) return report;
  const auto envs = environments(p, rule_inputs(p, f));
  // Why gaps and dead exceptions could not be analysed, if they could not.
  std::optional<std::string> reach_failed;
  try {
    check_rule_reach(p, f, envs, report, confirm_gap, max_members);
  } catch (const smt::Unsupported& u) {
    reach_failed = u.reason;
  } catch (const z3::exception& e) {
    reach_failed = e.msg();
  }
  const auto pairs = unordered_pairs(info);
  if (pairs.empty()) {
    // No unordered pair: conflict-free by its precedence alone.
    if (reach_failed) report.not_encoded.push_back({f, *reach_failed});
    else report.proved.push_back(f);
    return report;
  }
  try {
    const bool decided = check_rule_conflicts(p, f, envs, pairs, report, confirm, max_members);
    if (!decided) report.undecided.push_back(f);
    else if (report.conflicts.empty() && !reach_failed) report.proved.push_back(f);
  } catch (const smt::Unsupported& u) {
    report.not_encoded.push_back({f, u.reason});
  } catch (const z3::exception& e) {
    report.not_encoded.push_back({f, e.msg()});
  }
  if (reach_failed && report.not_encoded.empty()) report.not_encoded.push_back({f, *reach_failed});
  return report;
}

}  // namespace doudi
