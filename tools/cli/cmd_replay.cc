// doudi replay: re-evaluate logged decisions with their own rules (and find
// any that no longer reproduce), or with new rules (impact analysis).
#include <fmt/format.h>
#include <simdjson.h>

#include <map>

#include "runtime/log/decision_log.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"
#include "runtime/value/money.h"
#include "tools/cli/decision_entry.h"
#include "tools/cli/impact_table.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {

int cmd_replay(const Common& c, const ReplayArgs& a) {
  if (a.bundle.empty() == a.against.empty()) {
    *c.err << c.pick("doudi replay：请给出 --bundle（核对）或 --against（影响分析）之一\n",
                     "doudi replay: give one of --bundle (verify) or --against (impact)\n");
    return 2;
  }
  const bool impact = !a.against.empty();
  ModuleSource src;
  if (!load_module(c, impact ? a.against : a.bundle, src)) return 1;
  const ir::Module& m = *src.module;
  std::vector<LogEntry> entries;
  std::string error;
  if (!read_log(a.log, entries, error)) {
    report_plain(c, DiagCode::E4003, {a.log, error});
    return 1;
  }
  const bool zh = c.lang == Lang::Zh;
  Interpreter interp(m);
  size_t replayed = 0, same = 0, refused = 0, skipped = 0;
  std::vector<std::string> differences;
  std::map<std::string, Impact> by_output;
  for (const auto& e : entries) {
    if (e.rejected) {
      ++skipped;
      continue;
    }
    if (!impact && e.bundle != src.digest) {
      ++refused;
      continue;
    }
    const uint32_t j = m.find_jurisdiction(e.jurisdiction);
    const auto month = parse_year_month(e.month);
    auto record = load_record_json(m, e.input_json);
    if (j == UINT32_MAX || !month || !record.ok()) {
      differences.push_back(fmt::format("#{} {}: {}", e.seq, e.id,
                                        zh ? "无法用这些规则重新计算（辖区、月份或记录不相容）"
                                           : "cannot be re-evaluated with these rules (jurisdiction, month or record)"));
      continue;
    }
    ++replayed;
    interp.set_context(j, *month);
    const Decision d = interp.decide(record.data);
    const LogFields now = decided_entry(m, record.data, d, std::nullopt);
    const std::string now_error = d.error ? diag_info(d.error->code).code : "";
    const auto before = outputs_of_json(e.outputs_json), after = outputs_of_json(now.outputs_json);
    bool differs = now_error != e.error_code || now.flags_json != e.flags_json;
    std::vector<std::string> detail;
    if (now_error != e.error_code)
      detail.push_back(fmt::format("{}: {} → {}", zh ? "错误" : "error", e.error_code.empty() ? "—" : e.error_code,
                                   now_error.empty() ? "—" : now_error));
    if (now.flags_json != e.flags_json)
      detail.push_back(fmt::format("{}: {} → {}", zh ? "标记" : "flags", e.flags_json, now.flags_json));
    std::map<std::string, bool> names;
    for (const auto& [k, v] : before) names[k] = true;
    for (const auto& [k, v] : after) names[k] = true;
    for (const auto& [name, unused] : names) {
      const auto b = before.count(name) ? before.at(name) : "—";
      const auto n = after.count(name) ? after.at(name) : "—";
      if (b == n) continue;
      differs = true;
      detail.push_back(fmt::format("{}: {} → {}", name, b, n));
      add_change(by_output[name], b, n, e.id);
    }
    if (!differs) {
      ++same;
      continue;
    }
    std::string joined;
    for (const auto& x : detail) joined += (joined.empty() ? "" : "; ") + x;
    differences.push_back(fmt::format("#{} {}: {}", e.seq, e.id, joined));
  }

  std::ostream& out = *c.out;
  for (const auto& d : differences) out << d << "\n";
  if (impact) {
    out << (zh ? fmt::format("影响分析：重新计算 {} 条，{} 条结果不变，{} 条改变\n", replayed, same, replayed - same)
               : fmt::format("impact: {} decisions re-evaluated, {} unchanged, {} changed\n", replayed, same,
                             replayed - same));
    print_impact(out, zh, by_output);
    return 0;
  }
  out << (zh ? fmt::format("重放 {} 条：{} 条一致，{} 条不一致；{} 条属于其他规则包未重放；{} 条拒收记录跳过\n", replayed,
                           same, differences.size(), refused, skipped)
             : fmt::format("replayed {}: {} identical, {} different; {} from another bundle refused; {} rejected "
                           "records skipped\n",
                           replayed, same, differences.size(), refused, skipped));
  return differences.empty() && replayed > 0 ? 0 : 1;
}

}  // namespace doudi::cli
