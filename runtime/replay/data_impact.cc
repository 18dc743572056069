#include "runtime/replay/data_impact.h"

#include "runtime/decision/decision_json.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/jsonl.h"

namespace doudi {
namespace {

// Output name → outcome text; a decision that ended in an error gives its
// code for every output.
std::map<std::string, std::string> outcomes(const ir::Module& m, Interpreter& interp, const RecordData& r) {
  const Decision d = interp.decide(r);
  if (!d.error) return output_texts(m, d);
  std::map<std::string, std::string> out;
  for (const auto& o : m.outputs) out[o.name] = diag_info(d.error->code).code;
  return out;
}

}  // namespace

DataImpact data_impact(const DataSide& before, const DataSide& after, std::string_view jsonl) {
  Interpreter io(before.module), in(after.module);
  io.set_context(before.jurisdiction, before.month);
  in.set_context(after.jurisdiction, after.month);
  DataImpact r;
  for_each_jsonl_record(jsonl, [&](int64_t index, std::string_view line) {
    const size_t line_no = static_cast<size_t>(index) + 1;
    ++r.records;
    auto ro = load_record_json(before.module, line);
    auto rn = load_record_json(after.module, line);
    if (!ro.ok() || !rn.ok()) {
      r.unreadable.push_back({line_no, !ro.ok() ? ro.problems.front() : rn.problems.front()});
      return;
    }
    const auto b = outcomes(before.module, io, ro.data), a = outcomes(after.module, in, rn.data);
    // Outputs of one version only are listed by the proofs; here only the
    // outputs both have are compared.
    bool any = false;
    for (const auto& [name, was] : b) {
      auto it = a.find(name);
      if (it == a.end() || it->second == was) continue;
      any = true;
      add_change(r.by_output[name], was, it->second, std::to_string(line_no));
    }
    r.changed += any;
  });
  return r;
}

}  // namespace doudi
