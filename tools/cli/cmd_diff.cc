#include <fmt/format.h>

#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "compiler/analysis/semantic_diff.h"
#include "compiler/analysis/diff_cache.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"
#include "tools/cli/commands.h"
#include "runtime/decision/decision_json.h"
#include "runtime/replay/impact.h"
#include "runtime/source/read_file.h"

namespace doudi::cli {
namespace {

// What one version gives for a household: its value, or the error code;
// nullopt when the version cannot read the record.
std::optional<std::string> outcome(const Common& c, const ir::Module& m, uint32_t function, uint32_t jurisdiction, int64_t month,
                    const std::string& json, std::optional<Value>& value) {
  auto record = load_record_json(m, json);
  if (!record.ok()) return std::nullopt;
  Interpreter interp(m);
  interp.set_context(jurisdiction, month);
  EvalError error{};
  const auto v = interp.evaluate_function(record.data, function, error);
  value = v;
  if (!v) return std::string(diag_info(error.code).code);
  return m.format_value(*v, m.functions[function].result, c.lang == Lang::Zh);
}

// The --data arguments, checked before any proof runs.
struct DataRun {
  uint32_t jo = UINT32_MAX, jn = UINT32_MAX;
  int64_t month = 0;
  std::string text;
};

bool prepare_data(const Common& c, const DiffArgs& a, const ir::Module& mo, const ir::Module& mn, DataRun& run) {
  if (a.between.empty() == a.jurisdiction.empty()) {
    *c.err << c.pick("doudi diff：--data 需要 --jurisdiction（比较两个版本时）或 --between（比较两个辖区时）之一\n",
                     "doudi diff: --data needs one of --jurisdiction (two versions) or --between (two jurisdictions)\n");
    return false;
  }
  // Comparing two jurisdictions: each side decides in its own.
  const std::string& jo = a.between.empty() ? a.jurisdiction : a.between[0];
  const std::string& jn = a.between.empty() ? a.jurisdiction : a.between[1];
  run.jo = mo.find_jurisdiction(jo);
  run.jn = mn.find_jurisdiction(jn);
  if (run.jo == UINT32_MAX || run.jn == UINT32_MAX) {
    report_plain(c, DiagCode::E0106, {run.jo == UINT32_MAX ? jo : jn});
    return false;
  }
  const auto month = parse_year_month(a.month);
  if (!month) {
    report_plain(c, DiagCode::E3001, {a.month});
    return false;
  }
  run.month = *month;
  if (!read_source_file(a.data, run.text)) {
    *c.err << render(unreadable_file(a.data), SourceManager{}, c.render());
    return false;
  }
  return true;
}

// Both versions decide every record of a JSONL file; prints how many
// change, per output. A record either version cannot read is named and
// skipped; the others still count.
void impact_on_data(const Common& c, const DiffArgs& a, const ir::Module& mo, const ir::Module& mn, const DataRun& run) {
  const bool zh = c.lang == Lang::Zh;
  Interpreter io(mo), in(mn);
  io.set_context(run.jo, run.month);
  in.set_context(run.jn, run.month);
  std::map<std::string, Impact> by_output;
  size_t records = 0, changed = 0, unreadable = 0, line_no = 0;
  std::istringstream lines(run.text);
  std::string line;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++records;
    auto ro = load_record_json(mo, line);
    auto rn = load_record_json(mn, line);
    if (!ro.ok() || !rn.ok()) {
      ++unreadable;
      const auto& p = !ro.ok() ? ro.problems.front() : rn.problems.front();
      *c.err << fmt::format("{}:{}: ", a.data, line_no);
      report_plain(c, p.code, p.args);
      continue;
    }
    auto outcomes = [&](const ir::Module& m, Interpreter& interp, const RecordData& r) {
      const Decision d = interp.decide(r);
      std::map<std::string, std::string> out;
      if (d.error) {
        for (const auto& o : m.outputs) out[o.name] = diag_info(d.error->code).code;
        return out;
      }
      return outputs_of_json(outputs_json(m, d, false));
    };
    const auto before = outcomes(mo, io, ro.data), after = outcomes(mn, in, rn.data);
    // Outputs of one version only are listed by the proof part; here only
    // the outputs both have are compared.
    bool any = false;
    for (const auto& [name, b] : before) {
      if (!after.count(name)) continue;
      const std::string& n = after.at(name);
      if (b == n) continue;
      any = true;
      add_change(by_output[name], b, n, std::to_string(line_no));
    }
    changed += any;
  }
  const std::string where = a.between.empty() ? a.jurisdiction : a.between[0] + " → " + a.between[1];
  *c.out << (zh ? fmt::format("数据 {}（{} {}）：{} 条记录，{} 条结果改变，{} 条无法读取\n", a.data, where, a.month, records,
                              changed, unreadable)
                : fmt::format("data {} ({}, {}): {} records, {} with a changed outcome, {} unreadable\n", a.data, where,
                              a.month, records, changed, unreadable));
  print_impact(*c.out, zh, by_output);
}

}  // namespace

int cmd_diff(const Common& c, const DiffArgs& a) {
  if (a.new_path.empty() && a.between.empty()) {
    *c.err << c.pick("doudi diff：请给出新版本文件，或用 --between 比较同一规则在两个辖区的结论\n",
                     "doudi diff: give the new version, or --between J1 J2 to compare two jurisdictions under one rule set\n");
    return 2;
  }
  const std::string& new_path = a.new_path.empty() ? a.old_path : a.new_path;
  auto old_comp = compile({a.old_path}, Stage::Lower, a.import_roots);
  auto new_comp = compile({new_path}, Stage::Lower, a.import_roots);
  const bool ok_old = report(c, *old_comp), ok_new = report(c, *new_comp);
  if (!ok_old || !ok_new) return 2;
  const Program& po = *old_comp->program;
  const Program& pn = *new_comp->program;
  const ir::Module& mo = *old_comp->module;
  const ir::Module& mn = *new_comp->module;
  const bool zh = c.lang == Lang::Zh;
  DataRun data;
  if (!a.data.empty() && !prepare_data(c, a, mo, mn, data)) return 2;

  // A household counts when both versions, run, give different outcomes.
  std::optional<std::pair<std::string, std::string>> between;
  if (!a.between.empty()) between = std::make_pair(a.between[0], a.between[1]);
  // The outcomes of the household last tried per output: the confirmed one
  // is the one reported, so they are shown as they were computed.
  std::map<std::string, std::pair<std::string, std::string>> shown;
  const std::optional<ProofCache> cache = open_proof_cache(a.no_cache, a.cache_dir);
  const std::string between_text = a.between.empty() ? "" : a.between[0] + " " + a.between[1];
  std::mutex failing;
  std::string cache_error;
  DiffCache answers;
  if (cache) {
    auto key = [&](const OutputDiff& d) {
      return output_diff_key(po, mo, d.old_function, pn, mn, d.new_function, between_text, a.max_members);
    };
    answers.load = [&, key](const OutputDiff& pending) { return load_output_diff(*cache, key(pending), pending); };
    answers.store = [&, key](const OutputDiff& d) {
      if (auto why = store_output_diff(*cache, key(d), d); !why.empty()) {
        std::lock_guard lock(failing);
        cache_error = why;
      }
    };
  }
  const DiffReport r = semantic_diff(po, pn, a.max_members, [&](const OutputDiff& d) {
    const uint32_t jo = mo.find_jurisdiction(d.jurisdiction), jn = mn.find_jurisdiction(d.new_jurisdiction);
    std::optional<Value> vo, vn;
    const auto so = outcome(c, mo, d.old_function, jo, d.month, d.record_json, vo);
    const auto sn = outcome(c, mn, d.new_function, jn, d.month, d.record_json, vn);
    if (!so || !sn) return false;
    shown[d.name] = {*so, *sn};
    if (vo && vn) return !(vo->a == vn->a && vo->b == vn->b);
    return *so != *sn;
  }, between, a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency()), answers);
  if (cache) cache->prune();
  if (!cache_error.empty()) report_plain(c, DiagCode::W5007, {cache->dir().string(), cache_error});
  if (!r.unknown_jurisdiction.empty()) {
    report_plain(c, DiagCode::E0106, {r.unknown_jurisdiction});
    return 2;
  }
  if (!r.schema_mismatch.empty()) {
    report_plain(c, DiagCode::E5010, {r.schema_mismatch});
    return 2;
  }
  std::string places;
  for (const auto& j : r.jurisdictions) places += (places.empty() ? "" : zh ? "、" : ", ") + j;
  const char* nowhere = zh ? "（无，两个版本没有共同的辖区：只用声明处的取值）" : "(none in common: only values set at declarations)";
  if (places.empty()) places = nowhere;
  if (between) places = zh ? fmt::format("`{}`（左）与 `{}`（右）", between->first, between->second)
                           : fmt::format("`{}` (left) against `{}` (right)", between->first, between->second);
  // What the two sides are called in the findings.
  const std::string left = between ? fmt::format("`{}`", between->first) : zh ? "旧版本" : "the old version";
  const std::string right = between ? fmt::format("`{}`", between->second) : zh ? "新版本" : "the new";
  *c.out << (zh ? fmt::format("比较范围：辖区 {}；两个版本的参数取值变化的每个月；1 至 {} 人的家庭\n", places, a.max_members)
                : fmt::format("compared in: {}; every month where a parameter value of either version changes; households of 1 to {} members\n",
                              places, a.max_members));
  bool all_same = true;
  for (const auto& d : r.outputs) {
    using S = OutputDiff::Status;
    all_same &= d.status == S::Same;
    switch (d.status) {
      case S::Same:
        *c.out << fmt::format(fmt::runtime(zh ? "`{}`：相同（已证明）\n" : "`{}`: the same for every household (proved)\n"), d.name);
        break;
      case S::OnlyOld:
        *c.out << fmt::format(fmt::runtime(zh ? "`{}`：只在旧版本中\n" : "`{}`: only in the old version\n"), d.name);
        break;
      case S::OnlyNew:
        *c.out << fmt::format(fmt::runtime(zh ? "`{}`：只在新版本中\n" : "`{}`: only in the new version\n"), d.name);
        break;
      case S::Undecided:
        *c.out << fmt::format(fmt::runtime(zh ? "`{}`：未能证明相同，也未找到不同的家庭\n"
                                              : "`{}`: neither proved the same nor shown to differ\n"),
                              d.name);
        break;
      case S::NotEncoded:
        *c.out << fmt::format(fmt::runtime(zh ? "`{}`：无法比较（{}）\n" : "`{}`: cannot be compared ({})\n"), d.name, d.reason);
        break;
      case S::Differs: {
        const int64_t m = d.month;
        const auto& [so, sn] = shown.at(d.name);
        const std::string where = between                 ? format_year_month(m)
                                  : d.jurisdiction.empty() ? fmt::format("{} {}", nowhere, format_year_month(m))
                                                           : fmt::format(fmt::runtime(zh ? "`{}` {}" : "`{}`, {}"), d.jurisdiction,
                                                                         format_year_month(m));
        *c.out << (zh ? fmt::format("`{}`：不同。例如在 {}，{}得 {}，{}得 {}，这户家庭：{}\n", d.name, where, left, so, right, sn,
                                    d.record_json)
                      : fmt::format("`{}`: differs. For example in {}, {} gives {} and {} {}, for this household: {}\n", d.name,
                                    where, left, so, right, sn, d.record_json));
        break;
      }
    }
  }
  // Say when answers were reused, so nobody takes them for fresh proofs.
  size_t in_both = 0;
  for (const auto& d : r.outputs) in_both += d.old_function != UINT32_MAX && d.new_function != UINT32_MAX;
  if (r.from_cache > 0)
    *c.err << (zh ? fmt::format("证明缓存：{1} 项输出中有 {0} 项的结论取自 {2}（两个版本所读内容均未改变；用 --no-cache 可重新比较）\n",
                                r.from_cache, in_both, cache->dir().string())
                  : fmt::format("{} of {} output(s) answered from the proof cache in {} (nothing they read has changed; "
                                "--no-cache compares them again)\n",
                                r.from_cache, in_both, cache->dir().string()));
  if (!a.data.empty()) impact_on_data(c, a, mo, mn, data);
  return all_same ? 0 : 1;
}

}  // namespace doudi::cli
