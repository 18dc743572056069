#include <fmt/format.h>

#include "compiler/check/semantic_diff.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"
#include "tools/cli/commands.h"

namespace doudi::cli {
namespace {

// What one version gives for a household: its value, or the error code.
std::string outcome(const Common& c, const ir::Module& m, uint32_t function, uint32_t jurisdiction, int64_t month,
                    const std::string& json, std::optional<Value>* value = nullptr) {
  auto record = load_record_json(m, json);
  if (!record.ok()) return "?";
  Interpreter interp(m);
  interp.set_context(jurisdiction, month);
  EvalError error{};
  const auto v = interp.evaluate_function(record.data, function, error);
  if (value) *value = v;
  if (!v) return std::string(diag_info(error.code).code);
  return m.format_value(*v, m.functions[function].result, c.lang == Lang::Zh);
}

}  // namespace

int cmd_diff(const Common& c, const DiffArgs& a) {
  auto old_comp = compile({a.old_path}, Stage::Lower, a.import_roots);
  auto new_comp = compile({a.new_path}, Stage::Lower, a.import_roots);
  const bool ok_old = report(c, *old_comp), ok_new = report(c, *new_comp);
  if (!ok_old || !ok_new) return 2;
  const Program& po = *old_comp->program;
  const Program& pn = *new_comp->program;
  const ir::Module& mo = *old_comp->module;
  const ir::Module& mn = *new_comp->module;
  const bool zh = c.lang == Lang::Zh;

  // A household counts when both versions, run, give different outcomes.
  const DiffReport r = semantic_diff(po, pn, a.max_members, [&](const OutputDiff& d) {
    const uint32_t jo = mo.find_jurisdiction(d.jurisdiction), jn = mn.find_jurisdiction(d.jurisdiction);
    std::optional<Value> vo, vn;
    const std::string so = outcome(c, mo, d.old_function, jo, d.month, d.record_json, &vo);
    const std::string sn = outcome(c, mn, d.new_function, jn, d.month, d.record_json, &vn);
    if (so == "?" || sn == "?") return false;
    if (vo && vn) return !(vo->a == vn->a && vo->b == vn->b);
    return so != sn;
  });
  if (!r.schema_mismatch.empty()) {
    report_plain(c, DiagCode::E5010, {r.schema_mismatch});
    return 2;
  }
  std::string places;
  for (const auto& j : r.jurisdictions) places += (places.empty() ? "" : zh ? "、" : ", ") + j;
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
        const std::string so = outcome(c, mo, d.old_function, mo.find_jurisdiction(d.jurisdiction), m, d.record_json);
        const std::string sn = outcome(c, mn, d.new_function, mn.find_jurisdiction(d.jurisdiction), m, d.record_json);
        *c.out << (zh ? fmt::format("`{}`：不同。例如在 `{}` {}，旧版本得 {}，新版本得 {}，这户家庭：{}\n", d.name, d.jurisdiction,
                                    format_year_month(m), so, sn, d.record_json)
                      : fmt::format("`{}`: differs. For example in `{}`, {}, the old version gives {} and the new {}, for this household: {}\n",
                                    d.name, d.jurisdiction, format_year_month(m), so, sn, d.record_json));
        break;
      }
    }
  }
  return all_same ? 0 : 1;
}

}  // namespace doudi::cli
