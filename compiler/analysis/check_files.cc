#include "compiler/analysis/check_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "compiler/analysis/constraint_check.h"
#include "compiler/analysis/missing_values.h"
#include "compiler/analysis/parallel_for.h"
#include "compiler/analysis/rule_proofs.h"
#include "compiler/analysis/unused_definitions.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/record_loader.h"
#include "runtime/source/utf8.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {
namespace fs = std::filesystem;


// A violation as a diagnostic at the constraint, with a note at each value it read.
Diagnostic violation_diagnostic(const Program& p, const ir::Module& m, const ConstraintViolation& v) {
  const auto& decl = *p.constraints[v.constraint].decl;
  const Span at = decl.label ? decl.label->span : decl.expr->span;
  const std::string name = decl.label ? decl.label->text : std::string(p.sm.slice(decl.expr->span));
  std::string zh, en;
  std::vector<Diagnostic> notes;
  std::set<std::pair<uint32_t, uint32_t>> seen;
  for (const auto& r : v.reads) {
    if (!seen.insert({r.param, r.value_index}).second) continue;
    const auto& prm = m.params[r.param];
    zh += fmt::format("{}{} = {}", zh.empty() ? "" : "，", prm.name, m.format_value(r.value, prm.type, true));
    en += fmt::format("{}{} = {}", en.empty() ? "" : ", ", prm.name, m.format_value(r.value, prm.type, false));
    if (r.value_index == UINT32_MAX) continue;
    const auto& pv = p.params[r.param].values[r.value_index];
    const std::string from = pv.from ? format_date(*pv.from) : "—";
    notes.push_back(make_note(DiagCode::N0405, pv.span,
                              {prm.name, bilingual(m.format_value(r.value, prm.type, true), m.format_value(r.value, prm.type, false)),
                               from}));
  }
  // "from D" when a date is involved; values and constraint without dates
  // are violated at every date.
  bool dated = decl.validity.from.has_value();
  for (const auto& r : v.reads)
    dated |= r.value_index != UINT32_MAX && p.params[r.param].values[r.value_index].from.has_value();
  const std::string when = dated ? bilingual(fmt::format("自 {} 起", format_date(v.first_day)), fmt::format("from {}", format_date(v.first_day)))
                                 : bilingual("在任何日期", "at every date");
  // The failing comparison with its values, then the values read.
  if (!v.why_zh.empty() && !v.why_en.empty()) {
    zh = v.why_zh + "（" + zh + "）";
    en = v.why_en + " (" + en + ")";
  }
  Diagnostic d{DiagCode::E5001, at, {name, m.jurisdictions[v.jurisdiction].name, when, bilingual(zh, en)}, std::move(notes)};
  return d;
}

// "For example in J, M, this household: {...}", with the household as data too.
Diagnostic counterexample_note(const Program& p, uint32_t jurisdiction, int64_t month, const std::string& record,
                               int max_members) {
  const bool nowhere = jurisdiction == kNoJurisdiction;
  const std::string shown = nowhere ? bilingual("任一未设本地取值的辖区（规则未声明辖区）",
                                                "any jurisdiction without values of its own (the rules declare none)")
                                    : p.jurisdictions[jurisdiction].name;
  Diagnostic note = make_note(DiagCode::N0406, Span{}, {shown, format_year_month(month), record, std::to_string(max_members)});
  note.data_json = fmt::format("{{\"jurisdiction\":{},\"month\":\"{}\",\"household\":{}}}",
                               nowhere ? "null" : json_quote(shown), format_year_month(month), record);
  return note;
}

// "真（2021-01-01 至 2025-12-31）、假（自 2026-01-01）": replaced values with
// their periods, in both languages.
std::string values_with_periods(const ir::Module& m, TypeId type, std::vector<const ParamValue*> values) {
  std::sort(values.begin(), values.end(), [](const ParamValue* a, const ParamValue* b) {
    return a->from.value_or(INT64_MIN) < b->from.value_or(INT64_MIN);
  });
  std::string zh, en;
  for (const ParamValue* v : values) {
    std::string when_zh, when_en;
    if (v->from) when_zh = fmt::format("自 {}", format_date(*v->from)), when_en = fmt::format("from {}", format_date(*v->from));
    if (v->until) {
      when_zh += fmt::format("{}至 {}", when_zh.empty() ? "" : " ", format_date(*v->until));
      when_en += fmt::format("{}until {}", when_en.empty() ? "" : " ", format_date(*v->until));
    }
    zh += fmt::format("{}{}{}", zh.empty() ? "" : "、", m.format_value(v->value, type, true),
                      when_zh.empty() ? "" : "（" + when_zh + "）");
    en += fmt::format("{}{}{}", en.empty() ? "" : ", ", m.format_value(v->value, type, false),
                      when_en.empty() ? "" : " (" + when_en + ")");
  }
  return bilingual(zh, en);
}

// A note for each value the checked module sets that replaces one set for a
// jurisdiction above (or everywhere) on some day (N0414), or one a module it
// imports sets for the same jurisdiction (N0416): a deployment sees which
// level's value decides there, and which values it replaced.
std::vector<Diagnostic> replaced_value_notes(const Program& p, const ir::Module& m) {
  std::vector<Diagnostic> out;
  const ast::File* root = p.file_of_module(p.root_module);
  if (!root) return out;
  auto overlap = [](const ParamValue& a, const ParamValue& b) {
    return std::max(a.from.value_or(INT64_MIN), b.from.value_or(INT64_MIN)) <=
           std::min(a.until.value_or(INT64_MAX), b.until.value_or(INT64_MAX));
  };
  auto both = [&](Value x, TypeId t) { return bilingual(m.format_value(x, t, true), m.format_value(x, t, false)); };
  auto module_of = [&](Span at) {
    for (const auto& f : p.files)
      if (f.file == at.file) return f.module.text;
    return std::string();
  };
  for (uint32_t pi = 0; pi < p.params.size(); ++pi) {
    const auto& prm = p.params[pi];
    for (const auto& v : prm.values) {
      if (v.span.file != root->file || v.jurisdiction == kNone || p.jurisdictions[v.jurisdiction].test_fixture) continue;
      // The values in force on a day this one is, at the nearest level above
      // that has any.
      std::vector<const ParamValue*> replaced;
      auto chain = p.jurisdiction_chain(v.jurisdiction);
      chain.erase(chain.begin());
      chain.push_back(kNone);
      for (uint32_t above : chain) {
        for (const auto& w : prm.values)
          if (w.jurisdiction == above && overlap(v, w)) replaced.push_back(&w);
        if (!replaced.empty()) break;
      }
      if (replaced.empty()) continue;
      const uint32_t level = replaced.front()->jurisdiction;
      const std::string where = level == kNone ? bilingual("各地（参数声明处）", "everywhere (the declaration)")
                                               : p.jurisdictions[level].name;
      Diagnostic d{DiagCode::N0414, v.span, {prm.name, both(v.value, prm.type), p.jurisdictions[v.jurisdiction].name, where,
                                            values_with_periods(m, prm.type, replaced)}, {}};
      for (const ParamValue* w : replaced) d.notes.push_back(make_note(DiagCode::N0403, w->span));
      out.push_back(std::move(d));
    }
  }
  // Same jurisdiction, a layer over an imported module: one note per value
  // of the checked module, listing the values it replaced.
  std::map<std::pair<uint32_t, uint32_t>, std::vector<const ReplacedValue*>> by_value;
  for (const auto& r : p.replaced_values)
    if (r.by.span.file == root->file) by_value[{r.param, r.by.span.begin}].push_back(&r);
  for (const auto& [key, group] : by_value) {
    const auto& prm = p.params[key.first];
    const ParamValue& by = group.front()->by;
    std::vector<const ParamValue*> replaced;
    for (const auto* r : group) replaced.push_back(&r->replaced);
    Diagnostic d{DiagCode::N0416, by.span, {prm.name, both(by.value, prm.type), p.jurisdictions[by.jurisdiction].name,
                                           module_of(by.span), module_of(replaced.front()->span),
                                           values_with_periods(m, prm.type, replaced)}, {}};
    for (const ParamValue* w : replaced) d.notes.push_back(make_note(DiagCode::N0403, w->span));
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.span.begin < b.span.begin;
  });
  return out;
}

// One warning per jurisdiction: the values a deployment still has to set.
std::vector<Diagnostic> missing_value_diagnostics(const Program& p, const ir::Module& m, const std::vector<bool>& skip) {
  struct Missing {
    std::string zh, en;
    size_t count = 0;
  };
  std::map<uint32_t, Missing> by_jurisdiction;
  // Where the checked module and the deployments under it set dated values,
  // the deployment starts at the earliest of them: months before are not
  // reported. A deployment without dates starts when the rules it deploys
  // do: at the earliest dated value anywhere in them (no month before the
  // policy took effect is reported: a policy whose first values start in
  // 2021 says nothing about 2020).
  std::vector<int64_t> starts(p.jurisdictions.size(), INT64_MIN);
  std::set<FileId> deployment_files;
  for (const auto& module : p.deployment_modules())
    if (const ast::File* f = p.file_of_module(module)) deployment_files.insert(f->file);
  // A start within a month counts from that month's first day: a decision
  // for the month reads values on its first day, so a value from 07-15
  // leaves July without one, and July is reported.
  int64_t rules_start = INT64_MAX;
  for (const auto& prm : p.params)
    for (const auto& v : prm.values) {
      if (!v.from) continue;
      const int64_t from = first_day_of(year_month_of_date(*v.from));
      rules_start = std::min(rules_start, from);
      if (!deployment_files.count(v.span.file)) continue;
      for (uint32_t j = 0; j < p.jurisdictions.size(); ++j)
        if (p.is_within(j, v.jurisdiction) && (starts[j] == INT64_MIN || from < starts[j])) starts[j] = from;
    }
  for (auto& start : starts)
    if (start == INT64_MIN && rules_start != INT64_MAX) start = rules_start;
  for (const auto& mv : check_missing_values(m, skip, starts)) {
    const std::string from = mv.first_day == INT64_MIN ? "" : format_year_month(year_month_of_date(mv.first_day));
    const std::string to = mv.last_day == INT64_MAX ? "" : format_year_month(year_month_of_date(mv.last_day));
    auto& [zh, en, count] = by_jurisdiction[mv.jurisdiction];
    std::string when_zh, when_en;
    if (from.empty() && to.empty()) when_zh = "任何月份", when_en = "in every month";
    else if (from.empty()) when_zh = fmt::format("至 {} 止", to), when_en = fmt::format("until {}", to);
    else if (to.empty()) when_zh = fmt::format("自 {} 起", from), when_en = fmt::format("from {} on", from);
    else if (to == from) when_zh = from, when_en = fmt::format("in {}", from);
    else when_zh = fmt::format("{} 至 {}", from, to), when_en = fmt::format("from {} to {}", from, to);
    zh += fmt::format("{}`{}`（{}{}）", zh.empty() ? "" : "、", m.params[mv.param].name, when_zh, mv.last_year ? "，上年度" : "");
    en += fmt::format("{}`{}` ({}{})", en.empty() ? "" : ", ", m.params[mv.param].name, when_en, mv.last_year ? ", as 上年度" : "");
    ++count;
  }
  std::vector<Diagnostic> out;
  for (const auto& [j, missing] : by_jurisdiction)
    out.push_back(Diagnostic{DiagCode::W5005, p.jurisdictions[j].span,
                             {m.jurisdictions[j].name, std::to_string(missing.count), bilingual(missing.zh, missing.en)},
                             {}});
  return out;
}

// Outputs whose calls fan out (a definition calling another more than once,
// nested) past what the interpreter lets one decision take (E1008 at run
// time). Counted along the call graph, loops left out and every branch
// counted: a function without parameters is evaluated once per decision
// (remembered), one with parameters at each call.
std::vector<Diagnostic> runaway_diagnostics(const Program& p, const ir::Module& m) {
  constexpr uint64_t kSaturated = UINT64_MAX / 4;
  std::vector<uint64_t> cost(m.functions.size(), 0);  // 0: not yet counted
  std::function<uint64_t(uint32_t)> count = [&](uint32_t f) -> uint64_t {
    if (cost[f]) return cost[f];
    uint64_t n = 1;
    for (const auto& in : m.functions[f].code)
      if (in.op == ir::Op::Call && m.functions[in.a].num_params > 0) n = std::min(kSaturated, n + count(in.a));
    return cost[f] = n;
  };
  std::vector<Diagnostic> out;
  for (const auto& o : m.outputs) {
    // Every remembered function the output reaches, once each.
    std::set<uint32_t> reached{o.function};
    std::vector<uint32_t> todo{o.function};
    uint64_t total = 0;
    while (!todo.empty()) {
      const uint32_t f = todo.back();
      todo.pop_back();
      if (m.functions[f].num_params == 0) total = std::min(kSaturated, total + count(f));
      for (const auto& in : m.functions[f].code)
        if (in.op == ir::Op::Call && reached.insert(in.a).second) todo.push_back(in.a);
    }
    if (total <= Interpreter::kStepBudget) continue;
    Span at;
    for (const auto& info : p.functions)
      if (info.name == o.name) at = info.span;
    out.push_back(Diagnostic{DiagCode::W5008, at,
                             {o.name, total >= kSaturated ? "2^62" : std::to_string(total),
                              std::to_string(Interpreter::kStepBudget)},
                             {}});
  }
  return out;
}

}  // namespace

// Each file is checked as the root of its own program (itself and what it
// imports), as `doudi run` would load it: unrelated modules may reuse names.
// A file imported by several roots is reported once.
CheckReport check_files(const std::vector<std::string>& files, const CheckOptions& options) {
  CheckReport report;
  std::set<std::tuple<std::string, uint32_t, uint16_t, std::string>> seen;
  std::set<std::string> sources;
  // Keeps a finding unless it was already reported (a file imported by
  // several roots); returns whether it was kept.
  auto emit = [&](Diagnostic d, size_t comp, const std::string& file, const std::string& extra) {
    const Compilation& c = *report.compilations[comp];
    const std::string path = d.span.valid() ? c.sources.file(d.span.file).path() : file;
    if (!seen.insert({path, d.span.begin, static_cast<uint16_t>(d.code), extra}).second) return false;
    report.errors += d.severity() == Severity::Error;
    report.warnings += d.severity() == Severity::Warning;
    report.findings.push_back(CheckReport::Finding{std::move(d), comp});
    if (options.on_finding) options.on_finding(report.findings.back().diagnostic, c);
    return true;
  };
  // Definitions are reported unused only when no checked file's rules use
  // them, so a shared module is judged by all the modules checked with it.
  std::set<fs::path> given;
  for (const auto& file : files) given.insert(fs::weakly_canonical(file));
  struct Definition {
    size_t comp;
    std::string file;
    Span span;
    std::string name;
  };
  std::map<std::pair<fs::path, uint32_t>, Definition> definitions;
  std::set<std::pair<fs::path, uint32_t>> used_definitions;
  std::set<std::pair<fs::path, uint32_t>> proved_rules;
  ProofOptions proof_options;
  proof_options.max_members = options.max_members;
  proof_options.jobs = jobs_or_cores(options.jobs);
  proof_options.cache = open_proof_cache(options.no_cache, options.cache_dir);
  proof_options.cancel = options.cancel;
  if (proof_options.cache) report.cache_dir = proof_options.cache->dir().string();
  std::set<std::pair<fs::path, uint32_t>> rules_looked_at, rules_from_cache;
  bool cache_error_reported = false;
  for (const auto& file : files) {
    if (options.cancel && options.cancel->load()) {
      report.cancelled = true;
      break;
    }
    const size_t ci = report.compilations.size();
    report.compilations.push_back(compile({file}, CompileOptions{Stage::Lower, options.import_roots, options.files}));
    const Compilation& comp = *report.compilations.back();
    // Each source file's canonical path, to recognise a file loaded by several roots.
    std::vector<fs::path> canonical;
    for (size_t i = 0; i < comp.sources.size(); ++i) {
      sources.insert(comp.sources.file(static_cast<FileId>(i)).path());
      canonical.push_back(fs::weakly_canonical(comp.sources.file(static_cast<FileId>(i)).path()));
    }
    auto key_of = [&](Span span) { return std::make_pair(canonical[span.file], span.begin); };
    for (const auto& d : comp.diags.all()) emit(d, ci, file, "");
    if (!comp.ok()) continue;
    const Program& p = *comp.program;
    const ir::Module& m = *comp.module;
    std::vector<bool> skip;
    for (const auto& j : p.jurisdictions) skip.push_back(j.test_fixture);
    for (const auto& v : check_constraints(m, skip))
      emit(violation_diagnostic(p, m, v), ci, file, m.jurisdictions[v.jurisdiction].name);
    const auto used = functions_used_by_rules(m);
    for (uint32_t f = 0; f < p.functions.size(); ++f) {
      const auto& info = p.functions[f];
      if (!info.def || !info.span.valid()) continue;
      const auto key = key_of(info.span);
      if (used[f]) used_definitions.insert(key);
      else if (given.count(key.first)) definitions.emplace(key, Definition{ci, file, info.span, info.name});
    }
    for (auto& d : replaced_value_notes(p, m)) emit(std::move(d), ci, file, "");
    for (auto& d : runaway_diagnostics(p, m)) emit(std::move(d), ci, file, "");
    for (auto& d : missing_value_diagnostics(p, m, skip)) {
      const std::string where = d.args[0];
      emit(std::move(d), ci, file, where);
    }
    // A counterexample counts when running it shows the conflict.
    Interpreter interp(m);
    auto stops_with = [&](const std::string& json, uint32_t jurisdiction, int64_t month, uint32_t function, DiagCode code) {
      if (json.empty()) return false;
      auto record = load_record_json(m, json);
      if (!record.ok()) return false;
      interp.set_context(jurisdiction, month);
      EvalError error{};
      return !interp.evaluate_function(record.data, function, error) && error.code == code;
    };
    const ProofRun run = prove_rules(
        p, m, proof_options,
        [&](const ExceptionConflict& k) { return stops_with(k.record_json, k.jurisdiction, k.month, k.function, DiagCode::E1003); },
        [&](const RuleGap& g) { return stops_with(g.record_json, g.jurisdiction, g.month, g.function, DiagCode::E1004); });
    report.cancelled |= run.cancelled;
    const ConflictReport& conflicts = run.report;
    if (!run.cache_error.empty() && !cache_error_reported) {
      emit(Diagnostic{DiagCode::W5007, Span{}, {proof_options.cache->dir().string(), run.cache_error}, {}}, ci, file, "");
      cache_error_reported = true;
    }
    for (uint32_t f : run.rules)
      if (p.functions[f].span.valid()) rules_looked_at.insert(key_of(p.functions[f].span));
    for (uint32_t f : run.from_cache)
      if (p.functions[f].span.valid()) rules_from_cache.insert(key_of(p.functions[f].span));
    for (uint32_t f : conflicts.proved) {
      const auto& info = p.functions[f];
      const bool has_exception = std::any_of(info.branches.begin(), info.branches.end(),
                                             [](const auto& b) { return !b.is_default; });
      const bool gap = std::any_of(conflicts.gaps.begin(), conflicts.gaps.end(), [&](const RuleGap& g) { return g.function == f; });
      if (has_exception && !gap && info.span.valid()) proved_rules.insert(key_of(info.span));
    }
    // A finding with a household: the note for people, the record for programs.
    auto emit_with_example = [&](Diagnostic d, uint32_t function, uint32_t jurisdiction, int64_t month,
                                 const std::string& json) {
      if (!json.empty()) d.notes.push_back(counterexample_note(p, jurisdiction, month, json, options.max_members));
      const DiagCode code = d.code;
      if (emit(std::move(d), ci, file, "") && !json.empty())
        report.counterexamples.push_back(Counterexample{
            code, p.functions[function].name, jurisdiction == kNoJurisdiction ? "" : p.jurisdictions[jurisdiction].name,
            month, json});
    };
    for (const auto& g : conflicts.gaps)
      emit_with_example(Diagnostic{DiagCode::E5003, p.functions[g.function].span, {p.functions[g.function].name}, {}},
                        g.function, g.jurisdiction, g.month, g.record_json);
    for (const auto& dead : conflicts.dead) {
      const auto& b = p.functions[dead.function].branches[dead.branch];
      emit(Diagnostic{DiagCode::W5004, b.label_span,
                      {b.label, p.functions[dead.function].name,
                       dead.masked ? bilingual("它适用时，优先于它的例外总是也适用", "whenever it applies, an exception that takes precedence over it applies too")
                                   : bilingual(fmt::format("在检查范围内（1 至 {} 人，除可为负的字段外数值不为负）没有家庭能满足它的条件", options.max_members),
                                             fmt::format("no household within the searched bounds (1 to {} members, no negative numbers outside signed fields) meets its condition", options.max_members))},
                      {}},
           ci, file, "");
    }
    for (const auto& k : conflicts.conflicts) {
      const auto& branches = p.functions[k.function].branches;
      // A conflict with a jurisdiction's exception is reported there: that
      // is the line its author can change (add 优先于).
      const bool local_second = branches[k.second].local && !branches[k.first].local;
      const auto& first = branches[local_second ? k.second : k.first];
      const auto& second = branches[local_second ? k.first : k.second];
      Diagnostic d{DiagCode::E5002, first.label_span, {first.label, second.label, p.functions[k.function].name}, {}};
      d.notes.push_back(make_note(DiagCode::N0407, second.label_span));
      emit_with_example(std::move(d), k.function, k.jurisdiction, k.month, k.record_json);
    }
    for (const auto& [f, why] : conflicts.not_encoded)
      emit(Diagnostic{DiagCode::W5003, p.functions[f].span, {p.functions[f].name, why}, {}}, ci, file, "");
    for (uint32_t f : conflicts.undecided)
      emit(Diagnostic{DiagCode::W5003, p.functions[f].span,
                      {p.functions[f].name, bilingual("求解器未能在时限内得出结论", "the solver gave up within its time limit")},
                      {}},
           ci, file, "");
  }
  // Unused definitions are judged by every file, so not after a cancel.
  if (!report.cancelled) {
    for (const auto& [key, d] : definitions)
      if (!used_definitions.count(key)) emit(Diagnostic{DiagCode::W5006, d.span, {d.name}, {}}, d.comp, d.file, "");
    if (proof_options.cache) proof_options.cache->prune();
  }
  report.files = sources.size();
  report.proved_rules = proved_rules.size();
  report.rules = rules_looked_at.size();
  report.rules_from_cache = rules_from_cache.size();
  return report;
}

}  // namespace doudi
