#include "compiler/analysis/compare_versions.h"

#include <mutex>
#include <thread>

#include "compiler/analysis/diff_cache.h"
#include "compiler/analysis/parallel_for.h"
#include "doudi/engine.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/record_loader.h"

namespace doudi {
namespace {

// What one version gives for a household: its value, or the error code;
// nullopt when the version cannot read the record.
std::optional<std::string> outcome(const ir::Module& m, uint32_t function, uint32_t jurisdiction, int64_t month,
                                   const std::string& json, std::optional<Value>& value, Lang lang) {
  auto record = load_record_json(m, json);
  if (!record.ok()) return std::nullopt;
  Interpreter interp(m);
  interp.set_context(jurisdiction, month);
  EvalError error{};
  const auto v = interp.evaluate_function(record.data, function, error);
  value = v;
  if (!v) return std::string(diag_info(error.code).code);
  return m.format_value(*v, m.functions[function].result, lang == Lang::Zh);
}

}  // namespace

CompareReport compile_versions(const std::string& old_path, const std::string& new_path,
                               const std::vector<std::string>& import_roots) {
  CompareReport r;
  r.old_version = compile({old_path}, Stage::Lower, import_roots);
  r.new_version = compile({new_path}, Stage::Lower, import_roots);
  r.compiled = r.old_version->ok() && r.new_version->ok();
  return r;
}

void compare_versions(CompareReport& r, const CompareOptions& options) {
  if (!r.compiled) return;
  const Program& po = *r.old_version->program;
  const Program& pn = *r.new_version->program;
  const ir::Module& mo = *r.old_version->module;
  const ir::Module& mn = *r.new_version->module;
  const std::optional<ProofCache> cache = open_proof_cache(options.no_cache, options.cache_dir);
  if (cache) r.cache_dir = cache->dir().string();
  const std::string between_text = options.between ? options.between->first + " " + options.between->second : "";
  std::mutex failing;
  DiffCache answers;
  if (cache) {
    auto key = [&](const OutputDiff& d) {
      return output_diff_key(po, mo, d.old_function, pn, mn, d.new_function, between_text, options.max_members);
    };
    answers.load = [&, key](const OutputDiff& pending) { return load_output_diff(*cache, key(pending), pending); };
    answers.store = [&, key](const OutputDiff& d) {
      if (auto why = store_output_diff(*cache, key(d), d); !why.empty()) {
        std::lock_guard lock(failing);
        r.cache_error = why;
      }
    };
  }
  // A household counts when both versions, run, give different outcomes;
  // the outcomes of the household last tried per output are the ones shown.
  const unsigned jobs = jobs_or_cores(options.jobs);
  r.diff = semantic_diff(po, pn, options.max_members, [&](const OutputDiff& d) {
    const uint32_t jo = mo.find_jurisdiction(d.jurisdiction), jn = mn.find_jurisdiction(d.new_jurisdiction);
    std::optional<Value> vo, vn;
    const auto so = outcome(mo, d.old_function, jo, d.month, d.record_json, vo, options.lang);
    const auto sn = outcome(mn, d.new_function, jn, d.month, d.record_json, vn, options.lang);
    if (!so || !sn) return false;
    r.outcomes[d.name] = {*so, *sn};
    if (vo && vn) return !(vo->a == vn->a && vo->b == vn->b);
    return *so != *sn;
  }, options.between, jobs, answers, options.cancel);
  if (cache) cache->prune();
  if (const std::string& name = r.diff.unknown_jurisdiction; !name.empty()) {
    // The old version decides in the first jurisdiction, the new in the second.
    const bool old_side = options.between ? name == options.between->first && mo.find_jurisdiction(name) == UINT32_MAX
                                          : mo.find_jurisdiction(name) == UINT32_MAX;
    jurisdiction_named(old_side ? mo : mn, name, r.errors);
  }
  else if (!r.diff.schema_mismatch.empty())
    r.errors.push_back(Diagnostic{DiagCode::E5010, Span{}, {r.diff.schema_mismatch}, {}});
}

}  // namespace doudi
