// doudi diff: two versions (or two jurisdictions) compared per output by
// compiler/analysis, with an impact table over records when --data is given.
#include <fmt/format.h>

#include "doudi/analysis.h"
#include "runtime/replay/data_impact.h"
#include "runtime/source/read_file.h"
#include "runtime/source/date_spellings.h"
#include "runtime/value/calendar.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {
namespace {

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
  std::vector<Diagnostic> errors;
  run.jo = jurisdiction_named(mo, a.between.empty() ? a.jurisdiction : a.between[0], errors);
  if (errors.empty()) run.jn = jurisdiction_named(mn, a.between.empty() ? a.jurisdiction : a.between[1], errors);
  const auto month = parse_year_month(a.month);
  if (errors.empty() && !month) errors.push_back(Diagnostic{DiagCode::E3001, Span{}, {a.month, date_hint(a.month, false)}, {}});
  if (errors.empty() && !read_source_file(a.data, run.text)) errors.push_back(unreadable_file(a.data));
  report_all(c, errors);
  if (month) run.month = *month;
  return errors.empty();
}

// Both versions decide every record; how many change, per output. A record
// either version cannot read is named and skipped.
void print_data_impact(const Common& c, const DiffArgs& a, const ir::Module& mo, const ir::Module& mn, const DataRun& run) {
  const bool zh = c.lang == Lang::Zh;
  const DataImpact r = data_impact({mo, run.jo, run.month}, {mn, run.jn, run.month}, run.text);
  for (const auto& u : r.unreadable) {
    *c.err << fmt::format("{}:{}: ", a.data, u.line);
    report_plain(c, u.problem.code, u.problem.args);
  }
  const std::string where = a.between.empty() ? a.jurisdiction : a.between[0] + " → " + a.between[1];
  *c.out << (zh ? fmt::format("数据 {}（{} {}）：{} 条记录，{} 条结果改变，{} 条无法读取\n", a.data, where, a.month, r.records,
                              r.changed, r.unreadable.size())
                : fmt::format("data {} ({}, {}): {} records, {} with a changed outcome, {} unreadable\n", a.data, where,
                              a.month, r.records, r.changed, r.unreadable.size()));
  print_impact(*c.out, zh, r.by_output);
}

// One line per output: proved the same, or a household where they differ.
void print_outputs(const Common& c, const DiffArgs& a, const CompareReport& r, const std::string& nowhere) {
  const bool zh = c.lang == Lang::Zh;
  const bool between = !a.between.empty();
  // What the two sides are called in the findings.
  const std::string left = between ? fmt::format("`{}`", a.between[0]) : zh ? "旧版本" : "the old version";
  const std::string right = between ? fmt::format("`{}`", a.between[1]) : zh ? "新版本" : "the new";
  for (const auto& d : r.diff.outputs) {
    using S = OutputDiff::Status;
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
        *c.out << fmt::format(fmt::runtime(zh ? "`{}`：无法比较（{}）\n" : "`{}`: cannot be compared ({})\n"), d.name, in_lang(d.reason, c.lang));
        break;
      case S::Differs: {
        const auto& [so, sn] = r.outcomes.at(d.name);
        const std::string month = format_year_month(d.month);
        const std::string where = between                 ? month
                                  : d.jurisdiction.empty() ? fmt::format("{} {}", nowhere, month)
                                                           : fmt::format(fmt::runtime(zh ? "`{}` {}" : "`{}`, {}"), d.jurisdiction, month);
        *c.out << (zh ? fmt::format("`{}`：不同。例如在 {}，{}得 {}，{}得 {}，这户家庭：{}\n", d.name, where, left, so, right, sn,
                                    d.record_json)
                      : fmt::format("`{}`: differs. For example in {}, {} gives {} and {} {}, for this household: {}\n", d.name,
                                    where, left, so, right, sn, d.record_json));
        break;
      }
    }
  }
}

// Where the versions were compared, before the findings.
void print_scope(const Common& c, const DiffArgs& a, const CompareReport& r, const std::string& nowhere) {
  const bool zh = c.lang == Lang::Zh;
  std::string places;
  for (const auto& j : r.diff.jurisdictions) places += (places.empty() ? "" : zh ? "、" : ", ") + j;
  if (places.empty()) places = nowhere;
  if (!a.between.empty())
    places = zh ? fmt::format("`{}`（左）与 `{}`（右）", a.between[0], a.between[1])
                : fmt::format("`{}` (left) against `{}` (right)", a.between[0], a.between[1]);
  *c.out << (zh ? fmt::format("比较范围：辖区 {}；两个版本的参数取值变化的每个月；1 至 {} 人的家庭\n", places, a.max_members)
                : fmt::format("compared in: {}; every month where a parameter value of either version changes; households of 1 to {} members\n",
                              places, a.max_members));
}

}  // namespace

int cmd_diff(const Common& c, const DiffArgs& a) {
  if (a.new_path.empty() && a.between.empty()) {
    *c.err << c.pick("doudi diff：请给出新版本文件，或用 --between 比较同一规则在两个辖区的结论\n",
                     "doudi diff: give the new version, or --between J1 J2 to compare two jurisdictions under one rule set\n");
    return 2;
  }
  CompareReport r = compile_versions(a.old_path, a.new_path.empty() ? a.old_path : a.new_path, a.import_roots);
  const bool ok_old = report(c, *r.old_version), ok_new = report(c, *r.new_version);
  if (!ok_old || !ok_new) return 2;
  const ir::Module& mo = *r.old_version->module;
  const ir::Module& mn = *r.new_version->module;
  DataRun data;
  if (!a.data.empty() && !prepare_data(c, a, mo, mn, data)) return 2;
  CompareOptions options;
  options.max_members = a.max_members;
  if (!a.between.empty()) options.between = std::make_pair(a.between[0], a.between[1]);
  options.jobs = a.jobs;
  options.no_cache = a.no_cache;
  options.cache_dir = a.cache_dir;
  options.lang = c.lang;
  compare_versions(r, options);
  if (!r.cache_error.empty()) report_plain(c, DiagCode::W5007, {r.cache_dir, r.cache_error});
  if (!r.errors.empty()) {
    report_all(c, r.errors);
    return 2;
  }
  const std::string nowhere = c.pick("（无，两个版本没有共同的辖区：只用声明处的取值）", "(none in common: only values set at declarations)");
  print_scope(c, a, r, nowhere);
  print_outputs(c, a, r, nowhere);
  // Say when answers were reused, so nobody takes them for fresh proofs.
  size_t in_both = 0;
  for (const auto& d : r.diff.outputs) in_both += d.old_function != UINT32_MAX && d.new_function != UINT32_MAX;
  if (r.diff.from_cache > 0)
    *c.err << (c.lang == Lang::Zh ? fmt::format("证明缓存：{1} 项输出中有 {0} 项的结论取自 {2}（两个版本所读内容均未改变；用 --no-cache 可重新比较）\n",
                                                r.diff.from_cache, in_both, r.cache_dir)
                                  : fmt::format("{} of {} output(s) answered from the proof cache in {} (nothing they read has changed; "
                                                "--no-cache compares them again)\n",
                                                r.diff.from_cache, in_both, r.cache_dir));
  if (!a.data.empty()) print_data_impact(c, a, mo, mn, data);
  bool all_same = true;
  for (const auto& d : r.diff.outputs) all_same &= d.status == OutputDiff::Status::Same;
  return all_same ? 0 : 1;
}

}  // namespace doudi::cli
