// The public API for programs that decide households: a rule set (read from
// a bundle here, or compiled from text with doudi/compiler.h), a decision
// context (jurisdiction and month), and an engine that decides records in it.
// Everything here lives in doudi_runtime: a program that only decides links
// neither ANTLR nor Z3.
//
//   std::vector<Diagnostic> errors;
//   auto rules = RuleSet::from_bundle(bytes, "rules.bundle", errors);
//   auto context = rules->context("会宁县", "2022-06", errors);
//   auto engine = make_interpreter(rules);
//   engine->set_context(*context);
//   auto household = load_household(*rules, json);   // validated against the schema
//   Decision d = engine->decide(household.data);
//   std::string json = decision_json(rules->module(), context->jurisdiction_name, context->month, d, Lang::Zh);
//
// Errors are data (Diagnostic, rendered with doudi::render); nothing here throws.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/bundle/bundle_signature.h"
#include "runtime/decision/decision_json.h"
#include "runtime/diag/diagnostic.h"
#include "runtime/explain/explain.h"
#include "runtime/explain/explain_formats.h"
#include "runtime/explain/summary.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/trace.h"
#include "runtime/ir/ir.h"
#include "runtime/record/caseload.h"
#include "runtime/record/prefetch_record.h"
#include "runtime/record/record_loader.h"
#include "runtime/record/record_schema.h"

namespace doudi {

// Where and when decisions are made.
struct DecisionContext {
  uint32_t jurisdiction = UINT32_MAX;  // index into the module's jurisdictions
  std::string jurisdiction_name;
  int64_t month = 0;  // year-month number (runtime/value/calendar.h)
};

// A rule set ready to decide: a verified module and its digest. Immutable;
// one rule set may be shared by engines on several threads.
class RuleSet {
 public:
  // Reads a bundle and checks its digest. On failure returns null and
  // appends E4001 naming `origin` (a path, or how the bytes arrived).
  static std::shared_ptr<const RuleSet> from_bundle(std::string_view bytes, const std::string& origin,
                                                    std::vector<Diagnostic>& errors);
  // A module the compiler produced (a shared_ptr that may alias the
  // compilation owning it). Verified like a bundle: on failure returns null
  // and appends E4001 naming `origin` (a compiler bug, not the user's).
  static std::shared_ptr<const RuleSet> from_module(std::shared_ptr<const ir::Module> module, const std::string& origin,
                                                    std::vector<Diagnostic>& errors);

  const ir::Module& module() const { return *module_; }
  const std::string& digest() const { return digest_; }
  // The signatures a bundle carries, unchecked (trusted_signer checks them);
  // none for rules compiled from source.
  const std::vector<BundleSignature>& signatures() const { return signatures_; }

  // The context for a jurisdiction named as in the rules and a month
  // written YYYY-MM. An unknown jurisdiction is E0106 followed by a
  // "did you mean" note (N0402) when a name is close; a bad month is E3001.
  std::optional<DecisionContext> context(std::string_view jurisdiction, std::string_view month,
                                         std::vector<Diagnostic>& errors) const;
  // Whether the rules can decide a record at all: they declare an input
  // (else E3002) and have outputs (else E3003: a decision would be empty).
  bool decides(std::vector<Diagnostic>& errors) const;
  // The jurisdiction alone (E0106 and N0402 as above); UINT32_MAX if unknown.
  uint32_t jurisdiction(std::string_view name, std::vector<Diagnostic>& errors) const;

 private:
  RuleSet() = default;
  std::shared_ptr<const ir::Module> module_;
  std::string digest_;
  std::vector<BundleSignature> signatures_;
};

// The jurisdiction of `m` named `name`; UINT32_MAX if there is none, after
// appending E0106 and, when a name is close, a "did you mean" note (N0402).
uint32_t jurisdiction_named(const ir::Module& m, std::string_view name, std::vector<Diagnostic>& errors);
// The index in Module::outputs of the output named `name`; none after
// appending E3004 with, when a name is near, a "did you mean" note (N0402).
std::optional<size_t> output_named(const ir::Module& m, std::string_view name, std::vector<Diagnostic>& errors);

// Validates a household record (JSON) against the rule set's schema.
// `logged_defaults`: for a record read back from the decision log, the
// defaults its context line gives (LogEntry::defaults).
LoadedRecord load_household(const RuleSet& rules, std::string_view json, std::string_view logged_defaults = {});

// Decides records in one context at a time. Not thread-safe: one engine per
// thread. Every engine gives the same answers, bit for bit: outputs, flags
// and error results.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual void set_context(const DecisionContext& context) = 0;
  // Calls and rounds of loops one untraced decision may take before it is
  // the error result E1008 (default Interpreter::kStepBudget, 20 million);
  // every engine counts them alike. A traced decision (an explanation) gets
  // the smaller of this and 100,000.
  virtual void set_step_budget(uint64_t steps) = 0;
  // With a trace sink, every call, parameter read, rounding and comparison
  // is reported to it (explanations are built from that). The compiled
  // engine hands a traced decision to the interpreter, the reference.
  // A household is a RecordData or one of a Caseload (RecordView).
  Decision decide(const RecordView& household, TraceSink* trace = nullptr) {
    Decision d;
    decide_into(household, d, trace);
    return d;
  }
  // The same into `out`, reusing its storage: a loop over many households
  // allocates nothing per household. What each engine implements.
  virtual void decide_into(const RecordView& household, Decision& out, TraceSink* trace = nullptr) = 0;
  // Households held in memory, decided in order: `each(i, decision)` sees
  // the decision of households[i] (its storage reused for the next one).
  // Whatever `each` throws passes through.
  //
  // From a Caseload, the fastest way: its records lie one after another,
  // which the hardware fetches ahead by itself. A large household's words
  // are asked for two households ahead as well: the rules read its fields
  // out of order, which the hardware follows late (Huining, about 1.7 KB a
  // household, from memory: the interpreter about 12 % faster, the compiled
  // engine within the noise). A small one is left to the hardware: asking
  // made the benchmark rule's compiled code (about 150 bytes a household) a
  // third slower, 37 against 28 ns (bench/README.md). 1 KiB lies between.
  //
  // An engine that decides a run of households in one call (decide_run:
  // the compiled engine) is given them a run at a time, and decides apart
  // only the household a run stops at: one call for many households, and
  // the rules' parameters read once for them all (the benchmark rule 26
  // against 29 ns a household, bench/README.md). It asks for no household
  // ahead: the compiled engine's Huining time showed no gain from it.
  static constexpr size_t kCaseloadAhead = 2;
  static constexpr size_t kCaseloadPrefetchFromWords = 128;
  template <class Each>
  void decide_each(const Caseload& households, Decision& scratch, Each&& each) {
    if (!decides_runs()) {
      for (size_t i = 0; i < households.size(); ++i) {
        if (i + kCaseloadAhead < households.size() && households[i + kCaseloadAhead].size >= kCaseloadPrefetchFromWords)
          prefetch_record(households[i + kCaseloadAhead]);
        decide_into(households[i], scratch);
        each(i, static_cast<const Decision&>(scratch));
      }
      return;
    }
    const ir::Module& m = rules().module();
    const size_t outputs = m.outputs.size(), flags = m.flags.size();
    for (size_t i = 0; i < households.size();) {
      const DecidedRun run = decide_run(households.views().subspan(i));
      for (size_t k = 0; k < run.count; ++k) {
        scratch.error.reset();
        scratch.outputs.assign(run.outputs + k * outputs, run.outputs + (k + 1) * outputs);
        flags_raised(run.raised + k * flags, flags, scratch.flags);
        each(i + k, static_cast<const Decision&>(scratch));
      }
      i += run.count;
      if (run.stopped || run.count == 0) {  // an engine's run that decided none stopped, whatever it says
        decide_stopped(households[i], scratch);
        each(i, static_cast<const Decision&>(scratch));
        ++i;
      }
    }
  }
  // From records kept apart, each wherever the allocator put it: while one
  // household is decided the next ones' words are already being fetched,
  // so they are read at the memory's pace, not one cache miss after another
  // as the rules walk a record (1.7× faster than decide_into on each for
  // the compiled engine on 200,000 households, bench/decide_bench.cc).
  void decide_each(std::span<const RecordData> households, Decision& scratch,
                   const std::function<void(size_t, const Decision&)>& each);
  virtual const RuleSet& rules() const = 0;

 protected:
  // An engine that decides households a run at a time (decide_run), for
  // decide_each over a Caseload; otherwise decide_into on each.
  virtual bool decides_runs() const { return false; }
  // Households decided together from the front of `households` (not
  // empty): `count` of them, household k's outputs at outputs + k × the
  // module's outputs, its flags (one byte each, raised or not) at raised +
  // k × its flags, both valid until the next call. `stopped`: the run ended
  // at households[count], which the caller decides by decide_stopped.
  struct DecidedRun {
    size_t count = 0;
    bool stopped = true;
    const Value* outputs = nullptr;
    const uint8_t* raised = nullptr;
  };
  virtual DecidedRun decide_run(std::span<const RecordView>) { return {}; }
  // The household the last run stopped at, decided as decide_into would. An
  // engine that knows why its run stopped may use what the run found
  // instead of deciding the household from the start again.
  virtual void decide_stopped(const RecordView& household, Decision& out) { decide_into(household, out); }
  // The indices of the raised flags, from a byte per flag (the compiled
  // code's raised array).
  static void flags_raised(const uint8_t* raised, size_t flags, std::vector<uint32_t>& out) {
    out.clear();
    for (uint32_t f = 0; f < flags; ++f)
      if (raised[f]) out.push_back(f);
  }
};

std::unique_ptr<Engine> make_interpreter(std::shared_ptr<const RuleSet> rules);

// The engines: the interpreter, and the compiled engine (the IR lowered to
// LLVM IR and run by ORC JIT), present in a build with DOUDI_JIT and loaded
// on first use (libdoudi_jit.so: a command that does not compile rules never
// pays for loading LLVM).
enum class EngineKind : uint8_t { Interpreter, Compiled };
std::string_view engine_name(EngineKind kind);  // "interp", "jit"
std::optional<EngineKind> engine_named(std::string_view name);
// Whether this build has the compiled engine (it may still fail to load).
bool compiled_engine_built();
// An engine of that kind, or null with `error` set (the compiled engine not
// built, its library not loadable, or LLVM failing on these rules), in both
// languages where Doudi says it (`in_lang` picks one; LLVM's and the dynamic
// loader's own words are English). Rules are
// compiled once per digest in a process: engines on several threads share
// the code.
std::unique_ptr<Engine> make_engine(EngineKind kind, std::shared_ptr<const RuleSet> rules, std::string& error);

}  // namespace doudi
