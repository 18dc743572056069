#include "runtime/replay/replay.h"

#include <fmt/format.h>

#include <set>

#include "runtime/decision/decision_json.h"
#include "runtime/value/calendar.h"

namespace doudi {

ReplayReport replay(const RuleSet& rules, const std::vector<LogEntry>& entries, bool impact, Lang lang) {
  const bool zh = lang == Lang::Zh;
  const ir::Module& m = rules.module();
  Interpreter interp(m);
  ReplayReport r;
  for (const auto& e : entries) {
    if (e.rejected) {
      ++r.rejected;
      continue;
    }
    if (!impact && e.bundle != rules.digest()) {
      ++r.other_bundle;
      continue;
    }
    const uint32_t j = m.find_jurisdiction(e.jurisdiction);
    const auto month = parse_year_month(e.month);
    auto record = load_record_json(m, e.input_json);
    if (j == UINT32_MAX || !month || !record.ok()) {
      r.differences.push_back(ReplayDifference{e.seq, e.id, true, {}});
      continue;
    }
    ++r.replayed;
    interp.set_context(j, *month);
    const Decision d = interp.decide(record.data);
    const std::string now_error = d.error ? diag_info(d.error->code).code : "";
    const std::string now_flags = flag_names_json(m, d);  // as the log stores them
    const auto before = outputs_of_json(e.outputs_json), after = output_texts(m, d);
    ReplayDifference diff{e.seq, e.id, false, {}};
    if (now_error != e.error_code)
      diff.changes.push_back(fmt::format("{}: {} → {}", zh ? "错误" : "error", e.error_code.empty() ? "—" : e.error_code,
                                         now_error.empty() ? "—" : now_error));
    if (now_flags != e.flags_json)
      diff.changes.push_back(fmt::format("{}: {} → {}", zh ? "标记" : "flags", e.flags_json, now_flags));
    std::set<std::string> names;
    for (const auto& [k, v] : before) names.insert(k);
    for (const auto& [k, v] : after) names.insert(k);
    for (const auto& name : names) {
      const auto b = before.count(name) ? before.at(name) : "—";
      const auto n = after.count(name) ? after.at(name) : "—";
      if (b == n) continue;
      diff.changes.push_back(fmt::format("{}: {} → {}", name, b, n));
      add_change(r.by_output[name], b, n, e.id);
    }
    if (diff.changes.empty()) ++r.same;
    else r.differences.push_back(std::move(diff));
  }
  return r;
}

}  // namespace doudi
