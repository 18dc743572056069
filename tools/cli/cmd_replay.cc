// doudi replay: re-evaluate logged decisions with their own rules (and find
// any that no longer reproduce), or with new rules (impact analysis).
#include <fmt/format.h>

#include "runtime/replay/replay.h"
#include "tools/cli/module_source.h"
#include "tools/cli/verified_log.h"

namespace doudi::cli {

int cmd_replay(const Common& c, const ReplayArgs& a) {
  if (a.bundle.empty() == a.against.empty()) {
    *c.err << c.pick("doudi replay：请给出 --bundle（核对）或 --against（影响分析）之一\n",
                     "doudi replay: give one of --bundle (verify) or --against (impact)\n");
    return 2;
  }
  const bool impact = !a.against.empty();
  auto rules = rules_or_report(c, impact ? a.against : a.bundle, a.import_roots);
  std::string signer;
  if (!rules || !trusted_or_report(c, *rules, impact ? a.against : a.bundle, a.trusted_keys, signer)) return 1;
  LogContents log;
  VerifyResult verified;
  if (!read_verified_log(c, a.log, a.public_key, log, verified) ||
      !covered_or_report(c, a.log, a.public_key, verified, verified.entries))
    return 1;
  const std::vector<LogEntry>& entries = log.entries;
  const bool zh = c.lang == Lang::Zh;
  const ReplayReport r = replay(*rules, entries, impact, c.lang);
  std::ostream& out = *c.out;
  for (const auto& d : r.differences) {
    std::string joined;
    for (const auto& x : d.changes) joined += (joined.empty() ? "" : "; ") + x;
    if (d.incompatible)
      joined = zh ? "无法用这些规则重新计算（辖区、月份或记录不相容）" : "cannot be re-evaluated with these rules (jurisdiction, month or record)";
    out << fmt::format("#{} {}: {}\n", d.seq, d.id, joined);
  }
  if (impact) {
    out << (zh ? fmt::format("影响分析：重新计算 {} 条，{} 条结果不变，{} 条改变\n", r.replayed, r.same, r.replayed - r.same)
               : fmt::format("impact: {} decisions re-evaluated, {} unchanged, {} changed\n", r.replayed, r.same,
                             r.replayed - r.same));
    print_impact(out, zh, r.by_output);
    return 0;
  }
  out << (zh ? fmt::format("重放 {} 条：{} 条一致，{} 条不一致；{} 条属于其他规则包未重放；{} 条拒收记录跳过\n", r.replayed,
                           r.same, r.differences.size(), r.other_bundle, r.rejected)
             : fmt::format("replayed {}: {} identical, {} different; {} from another bundle refused; {} rejected "
                           "records skipped\n",
                           r.replayed, r.same, r.differences.size(), r.other_bundle, r.rejected));
  return r.differences.empty() && r.replayed > 0 ? 0 : 1;
}

}  // namespace doudi::cli
