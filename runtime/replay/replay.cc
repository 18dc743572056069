#include "runtime/replay/replay.h"

#include <fmt/format.h>

#include <set>

#include "runtime/decision/decision_json.h"
#include "runtime/log/log_entry.h"
#include "runtime/value/calendar.h"

namespace doudi {

std::string OutcomeChange::text(Lang lang) const {
  const bool zh = lang == Lang::Zh;
  const std::string what = kind == Kind::Error ? (zh ? "错误" : "error") : kind == Kind::Flags ? (zh ? "标记" : "flags") : output;
  // A yes-or-no output as the impact summary and explanations write it.
  auto shown = [&](const std::string& v) -> std::string {
    if (kind != Kind::Output || !zh) return v;
    return v == "true" ? "真" : v == "false" ? "假" : v;
  };
  return fmt::format("{}: {} → {}", what, shown(before), shown(after));
}

std::vector<OutcomeChange> outcome_changes(const ir::Module& m, const LogEntry& e, const Decision& d, bool same_rules) {
  std::vector<OutcomeChange> out;
  const std::string now_error = d.error ? diag_info(d.error->code).code : "";
  if (now_error != e.error_code) {
    out.push_back({OutcomeChange::Kind::Error, "", e.error_code.empty() ? "—" : e.error_code, now_error.empty() ? "—" : now_error});
  } else if (same_rules && d.error && !e.error_at.empty()) {
    // The same error logged at another place: the rules' places are not in
    // the bundle's digest, so a bundle with its places altered logs false
    // ones under the genuine digest; the genuine rules show it here.
    const std::string now_at = error_place(m, *d.error);
    if (now_at != e.error_at) out.push_back({OutcomeChange::Kind::Error, "", e.error_code + " @ " + e.error_at, now_error + " @ " + now_at});
  }
  const std::string now_flags = flag_names_json(m, d);  // as the log stores them
  if (now_flags != e.flags_json) out.push_back({OutcomeChange::Kind::Flags, "", e.flags_json, now_flags});
  const auto before = outputs_of_json(e.outputs_json), after = output_texts(m, d);
  std::set<std::string> names;
  for (const auto& [k, v] : before) names.insert(k);
  for (const auto& [k, v] : after) names.insert(k);
  for (const auto& name : names) {
    const auto b = before.count(name) ? before.at(name) : "—";
    const auto n = after.count(name) ? after.at(name) : "—";
    if (b != n) out.push_back({OutcomeChange::Kind::Output, name, b, n});
  }
  return out;
}

ReplayReport replay(const RuleSet& rules, const std::vector<LogEntry>& entries, bool impact, Lang lang) {
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
    auto record = load_record_json(m, e.input_json, e.defaults ? *e.defaults : std::string());
    if (j == UINT32_MAX || !month || !record.ok()) {
      r.differences.push_back(ReplayDifference{e.seq, e.id, true, {}});
      continue;
    }
    ++r.replayed;
    interp.set_context(j, *month);
    const Decision d = interp.decide(record.data);
    ReplayDifference diff{e.seq, e.id, false, {}};
    for (const auto& change : outcome_changes(m, e, d, e.bundle == rules.digest())) {
      diff.changes.push_back(change.text(lang));
      if (change.kind == OutcomeChange::Kind::Output) add_change(r.by_output[change.output], change.before, change.after, e.id);
    }
    if (diff.changes.empty()) ++r.same;
    else r.differences.push_back(std::move(diff));
  }
  return r;
}

}  // namespace doudi
