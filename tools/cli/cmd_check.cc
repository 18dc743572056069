// doudi check: every analysis of compiler/analysis over the given files,
// rendered as diagnostics and a summary.
#include <fmt/format.h>

#include "doudi/analysis.h"
#include "runtime/source/utf8.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

int cmd_check(const Common& c, const CheckArgs& a) {
  CheckOptions options;
  options.import_roots = a.import_roots;
  options.max_members = a.max_members;
  options.jobs = a.jobs;
  options.no_cache = a.no_cache;
  options.cache_dir = a.cache_dir;
  options.on_finding = [&](const Diagnostic& d, const Compilation& comp) {
    *c.err << render(d, comp.sources, c.render()) << separator(c.render());
  };
  const CheckReport r = check_files(expand_paths(a.paths), options);
  const size_t errors = r.errors, warnings = r.warnings;
  if (c.json) {
    *c.err << fmt::format(
        "{{\"summary\":{{\"files\":{},\"errors\":{},\"warnings\":{},\"proved_rules\":{},\"max_members\":{},"
        "\"max_money_fen\":{},\"max_whole_number\":{},\"max_ratio\":{},\"rules\":{},\"rules_from_cache\":{},\"cache_dir\":{}}}}}\n",
        r.files, errors, warnings, r.proved_rules, a.max_members, smt::kMaxMoneyFen, smt::kMaxWholeNumber, smt::kMaxRatio, r.rules,
        r.rules_from_cache, r.cache_dir.empty() ? "null" : json_quote(r.cache_dir));
    return errors == 0 ? 0 : 1;
  }
  if (r.proved_rules > 0)
    *c.err << (c.lang == Lang::Zh
                   ? fmt::format("已证明 {} 条有例外的规则：例外两两不冲突，且没有默认值的规则对每户家庭都有结论"
                                 "（检查了 1 至 {} 人的家庭，金额 0 至 1000 万元、整数 0 至 100 万、比例 0 至 10（可为负的字段对称取负值），"
                                 "各辖区在各参数取值下的每个月）\n",
                                 r.proved_rules, a.max_members)
                   : fmt::format("proved for {} rule(s) with exceptions: no two exceptions conflict, and rules without a default "
                                 "decide every household (households of 1 to {} members, money 0 to 10 million yuan, whole numbers 0 to "
                                 "1 million, ratios 0 to 10 (and as far below zero in signed fields), every "
                                 "jurisdiction in every month of its parameter values)\n",
                                 r.proved_rules, a.max_members));
  // Say when answers were reused, so nobody takes them for fresh proofs.
  if (r.rules_from_cache > 0)
    *c.err << (c.lang == Lang::Zh ? fmt::format("证明缓存：{1} 条规则中有 {0} 条的结论取自 {2}（规则及其所读内容均未改变；用 --no-cache 可重新证明）\n",
                                                r.rules_from_cache, r.rules, r.cache_dir)
                                  : fmt::format("{} of {} rule(s) answered from the proof cache in {} (nothing they read has "
                                                "changed; --no-cache proves them again)\n",
                                                r.rules_from_cache, r.rules, r.cache_dir));
  *c.err << (c.lang == Lang::Zh ? fmt::format("{} 个文件：{} 个错误，{} 个警告\n", r.files, errors, warnings)
                                : fmt::format("{} file(s): {} error(s), {} warning(s)\n", r.files, errors, warnings));
  return errors == 0 ? 0 : 1;
}

int cmd_ir(const Common& c, const IrArgs& a) {
  auto comp = compile({a.module}, Stage::Lower, a.import_roots);
  if (!report(c, *comp)) return 1;
  *c.out << ir::print_module(*comp->module);
  return 0;
}

}  // namespace doudi::cli
