// The compiled engine behind the Engine interface: the rules lowered to
// machine code by libdoudi_jit.so (runtime/jit), loaded with dlopen on first
// use so that nothing else pays for LLVM (linking it costs ~60 ms at every
// start). The helpers the generated code calls are defined here, on the
// interpreter's own semantics (runtime/interp/eval_ops.h); a traced decision
// is the interpreter's, the reference.
//
// Object code is kept twice: in the process by rule-set digest (engines on
// several threads share one compilation), and on disk under cache_dir()/jit
// by digest and machine identity, so the next run loads it in milliseconds.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <utility>

#include "doudi/engine.h"
#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"
#include "runtime/digest/cache_key.h"
#include "runtime/digest/digest.h"
#include "runtime/interp/eval_ops.h"
#include "runtime/jit/jit_abi.h"
#include "runtime/jit/member_memo.h"
#include "runtime/record/record_layout.h"
#include "runtime/source/cache_dir.h"
#include "runtime/source/build_id.h"
#include "runtime/source/program_dir.h"
#include "runtime/source/read_file.h"
#include "runtime/source/write_file.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

using jit::Context;

// What the helpers need beside the Context: the module, the decision's
// context and the error result of a failed decision.
struct EngineState {
  const ir::Module* m = nullptr;
  uint32_t jurisdiction = UINT32_MAX;
  int64_t day = 0, last_year_day = 0;
  uint64_t step_budget = Interpreter::kStepBudget;
  EvalError error;
};

EngineState& state(Context* ctx) { return *static_cast<EngineState*>(ctx->engine); }

int32_t failed(Context* ctx, EvalError error) {
  state(ctx).error = std::move(error);
  return 1;
}

}  // namespace
}  // namespace doudi

// ---- the helpers (jit_abi.h), by the names the generated code calls ----
using doudi::Value;
using doudi::jit::Context;

extern "C" int32_t doudi_jit_fail(Context* ctx, int64_t kind, int64_t loc, int64_t x, int64_t y) {
  using doudi::jit::Failure;
  namespace eval = doudi::eval;
  const auto& st = doudi::state(ctx);
  const auto where = static_cast<uint32_t>(loc);
  switch (static_cast<Failure>(kind)) {
    case Failure::Overflow: return doudi::failed(ctx, eval::overflow(*st.m, where));
    case Failure::ParamMissing:
      return doudi::failed(ctx, eval::missing_param(*st.m, static_cast<uint32_t>(x), st.jurisdiction,
                                                    y == 0 ? st.day : st.last_year_day, where));
    case Failure::IndexOutside: return doudi::failed(ctx, eval::index_outside(x, y, where));
    case Failure::Gap: return doudi::failed(ctx, eval::gap(*st.m, static_cast<uint32_t>(x), where));
    case Failure::EmptyAggregate: return doudi::failed(ctx, eval::empty_aggregate(static_cast<uint32_t>(x), where));
  }
  std::abort();  // lower.cc emits only the kinds above: another is a lowering bug, never an answer
}

extern "C" int32_t doudi_jit_conflict(Context* ctx, int64_t loc, int64_t rule, int64_t first, int64_t ca, int64_t cb,
                                      int64_t da, int64_t db, int64_t second) {
  return doudi::failed(ctx, doudi::eval::conflict(*doudi::state(ctx).m, static_cast<uint32_t>(rule),
                                                  static_cast<uint32_t>(first), Value{ca, cb},
                                                  static_cast<uint32_t>(second), Value{da, db},
                                                  static_cast<uint32_t>(loc)));
}

extern "C" int32_t doudi_jit_param_at(Context* ctx, int64_t loc, int64_t param, int64_t when, int64_t is_date,
                                      Value* out) {
  const auto& st = doudi::state(ctx);
  const auto where = static_cast<uint32_t>(loc);
  const auto p = static_cast<uint32_t>(param);
  int64_t day;
  doudi::EvalError error;
  if (!doudi::eval::param_at_day(when, is_date != 0, where, day, error)) return doudi::failed(ctx, std::move(error));
  const uint32_t i = st.m->value_in_force(p, st.jurisdiction, day);
  if (i == UINT32_MAX) return doudi::failed(ctx, doudi::eval::missing_param(*st.m, p, st.jurisdiction, day, where));
  *out = st.m->params[p].values[i].value;
  return 0;
}

extern "C" int32_t doudi_jit_ratio(Context* ctx, int64_t loc, int64_t op, int64_t aa, int64_t ab, int64_t ba,
                                   int64_t bb, Value* out) {
  using doudi::ir::Op;
  static constexpr Op kOps[] = {Op::AddR, Op::SubR, Op::MulR, Op::DivR, Op::DivToRatio};
  doudi::EvalError error;
  if (!doudi::eval::ratio_op(*doudi::state(ctx).m, kOps[op], Value{aa, ab}, Value{ba, bb}, static_cast<uint32_t>(loc),
                             *out, error))
    return doudi::failed(ctx, std::move(error));
  return 0;
}

extern "C" int32_t doudi_jit_scale(Context* ctx, int64_t loc, int64_t op, int64_t fen, int64_t ba, int64_t bb,
                                   int64_t mode, int64_t* out) {
  using doudi::ir::Op;
  static constexpr Op kOps[] = {Op::MulMoneyRatio, Op::DivMoneyInt, Op::DivMoneyRatio};
  doudi::EvalError error;
  if (!doudi::eval::scale_op(*doudi::state(ctx).m, kOps[op], Value::of(fen), Value{ba, bb},
                             static_cast<uint32_t>(mode), static_cast<uint32_t>(loc), *out, error))
    return doudi::failed(ctx, std::move(error));
  return 0;
}

extern "C" int32_t doudi_jit_ratio_compare(int64_t aa, int64_t ab, int64_t ba, int64_t bb) {
  return doudi::eval::compare_ratios(Value{aa, ab}, Value{ba, bb});
}

extern "C" int32_t doudi_jit_add_months(Context* ctx, int64_t loc, int64_t date, int64_t months, int64_t* out) {
  doudi::EvalError error;
  if (!doudi::eval::add_months_op(date, months, static_cast<uint32_t>(loc), *out, error))
    return doudi::failed(ctx, std::move(error));
  return 0;
}

extern "C" int32_t doudi_jit_first_day(Context* ctx, int64_t loc, int64_t year_month, int64_t* out) {
  doudi::EvalError error;
  if (!doudi::eval::first_day_op(year_month, static_cast<uint32_t>(loc), *out, error))
    return doudi::failed(ctx, std::move(error));
  return 0;
}

extern "C" int32_t doudi_jit_text_equal(int64_t aa, int64_t ab, int64_t ba, int64_t bb) {
  return doudi::eval::texts_equal(Value{aa, ab}, Value{ba, bb}) ? 1 : 0;
}

namespace doudi {
namespace {

const jit::HelperAddress kHelpers[] = {
#define DOUDI_HELPER_ADDRESS(name, signature) {#name, signature, reinterpret_cast<void*>(&name)},
    DOUDI_JIT_HELPERS(DOUDI_HELPER_ADDRESS)
#undef DOUDI_HELPER_ADDRESS
};
constexpr size_t kHelperCount = sizeof kHelpers / sizeof kHelpers[0];

// ---- libdoudi_jit.so ----
using IdentityFn = bool (*)(std::string*, std::string*);
using EmitFn = bool (*)(const ir::Module&, const jit::HelperAddress*, size_t, std::string*, std::string*);
using LoadFn = jit::CompiledCode* (*)(const char*, size_t, const jit::HelperAddress*, size_t,
                                      std::string*);

struct JitLibrary {
  IdentityFn identity = nullptr;
  EmitFn emit = nullptr;
  LoadFn load = nullptr;
  std::string machine;  // identity(): part of the disk cache's key
  std::string error;    // why it could not be loaded
};

// Where the library is: $DOUDI_JIT_LIBRARY, else beside an installed
// binary (PREFIX/lib/doudi), else beside an installed libdoudi.so that holds
// this code (LIBDIR/doudi: a program such as PostgreSQL that loads the C
// API lives elsewhere), else where the build put it.
std::string library_path() {
  if (const char* p = std::getenv("DOUDI_JIT_LIBRARY"); p && *p) return p;
  std::error_code ec;
  if (const auto installed = installed_library("libdoudi_jit.so"); !installed.empty() && std::filesystem::exists(installed, ec))
    return installed.string();
  // Only a shared library named by an absolute path: for code linked into
  // the program itself dladdr may give argv[0] ("doudi", found through
  // PATH), which would make a folder of the current directory the place to
  // load code from.
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&library_path), &self) && self.dli_fname && self.dli_fname[0] == '/') {
    const std::filesystem::path object = std::filesystem::canonical(self.dli_fname, ec);
    const std::filesystem::path program = std::filesystem::canonical("/proc/self/exe", ec);
    if (!object.empty() && object != program) {
      const std::filesystem::path beside = object.parent_path() / "doudi" / "libdoudi_jit.so";
      if (std::filesystem::exists(beside, ec)) return beside.string();
    }
  }
#ifdef DOUDI_JIT_LIBRARY_PATH
  return DOUDI_JIT_LIBRARY_PATH;
#else
  return "";
#endif
}

JitLibrary load_library(const std::string& path) {
  JitLibrary l;
  if (!compiled_engine_built()) {
    l.error = bilingual("这个构建没有编译引擎（需用 -DDOUDI_JIT=ON 和 llvm-15-dev 配置）",
                        "this build has no compiled engine (configure with -DDOUDI_JIT=ON and llvm-15-dev)");
    return l;
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    l.error = load_failure(path);
    return l;
  }
  l.identity = reinterpret_cast<IdentityFn>(dlsym(handle, "doudi_jit_identity"));
  l.emit = reinterpret_cast<EmitFn>(dlsym(handle, "doudi_jit_emit"));
  l.load = reinterpret_cast<LoadFn>(dlsym(handle, "doudi_jit_load"));
  if (!l.identity || !l.emit || !l.load) {
    l.error = bilingual(path + " 不是 Doudi 的编译引擎（缺少入口）", path + " is not Doudi's compiled engine (its entry points are missing)");
    l.identity = nullptr;
    return l;
  }
  // The Context, the helpers' numbering and ir::Module's layout cross the
  // boundary: a library of another build is refused, never called.
  const auto abi = reinterpret_cast<int (*)()>(dlsym(handle, "doudi_jit_abi"));
  if (!abi || abi() != jit::kAbiVersion) {
    l.error = bilingual(path + " 是另一个 doudi 版本的编译引擎", path + " is the compiled engine of another doudi version");
    l.identity = nullptr;
    return l;
  }
  if (!l.identity(&l.machine, &l.error)) {
    l.identity = nullptr;
    return l;
  }
  // The library's own build (its GNU build id, a hash of what was linked):
  // a rebuilt lowering never meets object code the previous one made.
  const std::string id = build_id(reinterpret_cast<void*>(l.identity));
  if (id.empty()) {
    l.error = bilingual(path + " 没有构建标识（链接时需加 --build-id）", path + " has no build id (link it with --build-id)");
    l.identity = nullptr;
    return l;
  }
  l.machine += " " + id;
  return l;
}

// Loaded once per path (a test may point DOUDI_JIT_LIBRARY elsewhere).
const JitLibrary& jit_library() {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<JitLibrary>> loaded;
  const std::string path = library_path();
  std::lock_guard lock(mutex);
  auto& library = loaded[path];
  if (!library) library = std::make_unique<JitLibrary>(load_library(path));
  return *library;
}

// ---- the object-code cache on disk ----
// A file is an HMAC-SHA-256 (hex) of what it was made for and its code,
// under the user's cache key (runtime/digest/cache_key.h, kept outside the
// cache), followed by the code. Machine code is run only from a file this
// user's doudi wrote: a file copied in, edited or cut off is a miss and is
// compiled again. Without a key there is no disk cache.
constexpr size_t kMacHex = 64;

struct DiskCache {
  std::filesystem::path path;
  std::string key;
  std::string what;  // the machine identity and the rules' digest
  std::string mac(std::string_view object) const { return hmac_sha256_hex(key, what + "\n" + std::string(object)); }
};

std::optional<DiskCache> disk_cache(const RuleSet& rules, const std::string& machine) {
  auto dir = cache_dir();
  if (!dir) return std::nullopt;
  std::string error;
  std::string key = load_or_make_cache_key(error);
  if (key.empty()) return std::nullopt;
  const std::string what = machine + "\n" + rules.digest();
  return DiskCache{*dir / "jit" / (sha256_hex(what) + ".o"), std::move(key), what};
}

std::optional<std::string> read_cached_object(const DiskCache& cache) {
  std::string bytes, why;
  if (!read_regular_file(cache.path.string(), bytes, why, 1L << 30) || bytes.size() < kMacHex) return std::nullopt;
  std::string object = bytes.substr(kMacHex);
  if (cache.mac(object) != std::string_view(bytes).substr(0, kMacHex)) return std::nullopt;
  return object;
}

void write_cached_object(const DiskCache& cache, const std::string& object) {
  std::error_code ec;
  std::filesystem::create_directories(cache.path.parent_path(), ec);
  std::string error;
  write_file_atomically(cache.path.string(), cache.mac(object) + object, error, 0600);  // a cache: failing is no error
}

// The native stack the deepest chain of calls may take: each function's
// registers and call arguments, 16 bytes a value (LLVM's frames are
// smaller). The interpreter keeps registers on the heap; compiled code
// runs on the deciding thread's stack, so rules whose chain would not fit
// are left to the interpreter. Verified IR has no recursion; a cycle is
// refused all the same.
constexpr uint64_t kMaxNativeStack = 1u << 20;

uint64_t deepest_frames(const ir::Module& m, uint32_t f, std::vector<uint64_t>& memo, std::vector<uint8_t>& state) {
  if (state[f] == 2) return memo[f];
  if (state[f] == 1) return UINT64_MAX;  // a cycle
  state[f] = 1;
  const ir::Function& fn = m.functions[f];
  uint64_t own = 64 + 32 * static_cast<uint64_t>(fn.regs.size()), deepest = 0;
  for (const auto& in : fn.code)
    if (in.op == ir::Op::Call && in.a < m.functions.size()) {
      own += 16 * static_cast<uint64_t>(in.c) + 16;
      deepest = std::max(deepest, deepest_frames(m, in.a, memo, state));
    }
  state[f] = 2;
  return memo[f] = deepest == UINT64_MAX ? UINT64_MAX : std::min<uint64_t>(UINT64_MAX - 1, own + deepest);
}

// decide_one (lower.cc) holds the memo (17 bytes a function) and the
// member rules' tables (member_memo.h), and calls every output's and flag's
// function, and LLVM may inline them all into its one frame: counted as if
// none shared a byte.
bool fits_native_stack(const ir::Module& m) {
  std::vector<uint64_t> memo(m.functions.size(), 0);
  std::vector<uint8_t> state(m.functions.size(), 0);
  uint64_t total = 64 + 17 * static_cast<uint64_t>(m.functions.size()) +
                   jit::member_memo_tables(m).count * jit::kMemberMemoTableBytes;
  auto add = [&](uint32_t f) {
    const uint64_t chain = f < m.functions.size() ? deepest_frames(m, f, memo, state) : UINT64_MAX;
    total = chain > kMaxNativeStack || total > kMaxNativeStack ? UINT64_MAX : total + chain;
  };
  for (const auto& o : m.outputs) add(o.function);
  for (const auto& f : m.flags) add(f.function);
  for (uint32_t f = 0; f < m.functions.size(); ++f)  // a function no output reaches is compiled too
    if (deepest_frames(m, f, memo, state) > kMaxNativeStack) return false;
  return total <= kMaxNativeStack;
}

struct CodeDeleter {
  void operator()(const jit::CompiledCode* code) const { delete code; }
};

// The rules' object code: from this process, else from the disk cache, else
// compiled now. Kept for the life of the process: a command makes engines
// more than once (one to check the library loads, one per thread). Null
// with `error` when the library or LLVM fails, or the rules are too deep.
std::shared_ptr<const jit::CompiledCode> compiled_code(const RuleSet& rules, std::string& error) {
  const JitLibrary& library = jit_library();
  if (!library.identity) {
    error = library.error;
    return nullptr;
  }
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const jit::CompiledCode>> compiled;
  std::lock_guard lock(mutex);  // held while compiling: a second engine waits for the first's code
  if (auto code = compiled[rules.digest()]) return code;
  if (!fits_native_stack(rules.module())) {
    error = bilingual("规则的调用链太深，编译后的代码的栈容纳不下", "the rules' chain of calls is too deep for compiled code's stack");
    return nullptr;
  }
  const auto cache = disk_cache(rules, library.machine);
  auto load = [&](const std::string& object) {
    return std::shared_ptr<const jit::CompiledCode>(
        library.load(object.data(), object.size(), kHelpers, kHelperCount, &error), CodeDeleter{});
  };
  std::shared_ptr<const jit::CompiledCode> code;
  if (cache)
    if (auto object = read_cached_object(*cache)) code = load(*object);  // failing that, compiled afresh below
  if (!code) {
    std::string object;
    if (!library.emit(rules.module(), kHelpers, kHelperCount, &object, &error)) return nullptr;
    if (!(code = load(object))) return nullptr;
    if (cache) write_cached_object(*cache, object);
  }
  compiled[rules.digest()] = code;
  return code;
}

class CompiledEngine final : public Engine {
 public:
  CompiledEngine(std::shared_ptr<const RuleSet> rules, std::shared_ptr<const jit::CompiledCode> code)
      : rules_(std::move(rules)), code_(std::move(code)), interp_(rules_->module()), readable_(rules_->module()) {
    const ir::Module& m = rules_->module();
    state_.m = &m;
    raised_.resize(m.flags.size());
    within_.resize(m.jurisdictions.size());
    void* block = ::operator new(jit::context_bytes(m.params.size()), std::align_val_t(alignof(Context)));
    ctx_.reset(new (block) Context{});
    std::uninitialized_value_construct_n(jit::current_slots(ctx_.get()), 2 * m.params.size());
    ctx_->constants = m.constants.data();
    ctx_->within = within_.data();
    ctx_->engine = &state_;
    const size_t per = m.outputs.size() * sizeof(Value) + m.flags.size();
    longest_run_ = std::clamp<size_t>(kRunBytes / std::max<size_t>(per, 1), 1, kRun);
    run_outputs_.resize(longest_run_ * m.outputs.size());
    run_raised_.resize(longest_run_ * m.flags.size());
  }

  void set_context(const DecisionContext& c) override {
    const ir::Module& m = rules_->module();
    interp_.set_context(c.jurisdiction, c.month);
    state_.jurisdiction = c.jurisdiction;
    // The days the interpreter reads parameters on (Interpreter::set_context).
    state_.day = first_day_of(c.month);
    state_.last_year_day = days_from_civil({ym_year(c.month) - 1, 12, 31});
    ctx_->month = c.month;
    jit::ParamSlot* current = jit::current_slots(ctx_.get());
    jit::ParamSlot* last_year = jit::last_year_slots(ctx_.get(), m.params.size());
    for (uint32_t p = 0; p < m.params.size(); ++p) {
      current[p] = slot(p, state_.day);
      last_year[p] = slot(p, state_.last_year_day);
    }
    for (uint32_t j = 0; j < m.jurisdictions.size(); ++j) within_[j] = m.is_within(c.jurisdiction, j) ? 1 : 0;
  }

  void set_step_budget(uint64_t steps) override {
    state_.step_budget = steps == 0 ? 1 : steps;
    interp_.set_step_budget(steps);
  }

  void decide_into(const RecordView& record, Decision& d, TraceSink* trace) override {
    if (trace) return interp_.decide_into(record, d, trace);
    const ir::Module& m = rules_->module();
    d.error.reset();
    // The record as the code reads it: padded when short, with how many
    // words may be read in place of its size.
    const RecordView readable{readable_.of(record), readable_.readable(record), record.root};
    // The outputs written where they are kept: read back at once through a
    // copy, the two 8-byte stores the code made would stall a 16-byte load.
    d.outputs.resize(m.outputs.size());
    const int64_t decided = code_->decide_run(ctx_.get(), &readable, 1, d.outputs.data(), raised_.data(), 0, budget());
    // The budget ran out on the way (the code looks at it only where loops
    // go round and functions not inlined begin, and may have gone on past
    // the step that ended it): the interpreter, the reference, decides it
    // again and names the step. Such a household costs its budget twice
    // (the default: 20 million steps, a fraction of a second each time),
    // as it does from a Caseload (decide_stopped).
    if (ctx_->steps_left <= 0) return interp_.decide_into(record, d, nullptr);
    if (decided == 0) return fail(d, std::move(state_.error));
    flags_raised(raised_.data(), m.flags.size(), d.flags);
  }

  // Households in runs, each run one call of the code (the parameters and
  // constants loaded once for them all); what the code hands back is
  // decided apart (decide_stopped): a record too short to read in place
  // by decide_into, padded; an error result from what the helpers
  // recorded, without deciding it again; a spent budget by the
  // interpreter, which names the step. A run's outputs and flags take at
  // most kRunBytes, so that they stay in the first-level cache beside the
  // records being read (Huining: 13 outputs and 6 flags, runs of 9; the
  // benchmark rule, 64). Runs as long as 64 for Huining were slower in
  // three runs of four.
  bool decides_runs() const override { return true; }
  DecidedRun decide_run(std::span<const RecordView> households) override {
    const size_t count = std::min(households.size(), longest_run_);
    const int64_t done =
        code_->decide_run(ctx_.get(), households.data(), static_cast<int64_t>(count), run_outputs_.data(),
                          run_raised_.data(), static_cast<int64_t>(readable_.least()), budget());
    stop_ = Stop::None;
    if (static_cast<size_t>(done) < count) {
      // In the order the code's own tests make them (lower.cc, the run's
      // loop): a short record is handed back before it is decided, so the
      // budget left is still the household before's (perhaps spent); a
      // decided one that spent its budget is the budget's, error or not.
      // The error is taken now: `each` may decide other households with
      // this engine before the stopped one is asked for.
      if (households[done].size < readable_.least()) {
        stop_ = Stop::Padded;
      } else if (ctx_->steps_left <= 0) {
        stop_ = Stop::Budget;
      } else {
        stop_ = Stop::Error;
        stopped_error_ = std::move(state_.error);
      }
    }
    return DecidedRun{static_cast<size_t>(done), static_cast<size_t>(done) < count, run_outputs_.data(),
                      run_raised_.data()};
  }
  void decide_stopped(const RecordView& household, Decision& d) override {
    switch (std::exchange(stop_, Stop::None)) {
      case Stop::Budget: return interp_.decide_into(household, d, nullptr);
      case Stop::Error: return fail(d, std::move(stopped_error_));  // what the helpers recorded for it
      case Stop::Padded:
      case Stop::None: return decide_into(household, d, nullptr);
    }
  }

  const RuleSet& rules() const override { return *rules_; }

 private:
  static constexpr size_t kRun = 64;
  static constexpr size_t kRunBytes = 2048;

  // A budget beyond INT64_MAX steps (centuries) is as good as unending;
  // should it run out, the interpreter still has the whole budget.
  int64_t budget() const { return static_cast<int64_t>(std::min<uint64_t>(state_.step_budget, INT64_MAX)); }

  jit::ParamSlot slot(uint32_t p, int64_t day) const {
    const ir::Module& m = rules_->module();
    const uint32_t i = m.value_in_force(p, state_.jurisdiction, day);
    if (i == UINT32_MAX) return jit::ParamSlot{0, Value{}};
    return jit::ParamSlot{1, m.params[p].values[i].value};
  }
  void fail(Decision& d, EvalError&& error) {
    d.error = std::move(error);
    d.outputs.clear();
    d.flags.clear();
  }

  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const jit::CompiledCode> code_;
  Interpreter interp_;  // the traced path
  record::ReadableWords readable_;
  EngineState state_;
  // The context with the parameters' slots after it (jit_abi.h, context_bytes).
  struct FreeContext {
    void operator()(Context* c) const { ::operator delete(c, std::align_val_t(alignof(Context))); }
  };
  std::unique_ptr<Context, FreeContext> ctx_;
  std::vector<uint8_t> within_;
  std::vector<uint8_t> raised_;  // per flag, written by the code
  size_t longest_run_ = 1;  // households a run decides at most (kRunBytes)
  std::vector<Value> run_outputs_;  // decide_run's: per household, its outputs
  std::vector<uint8_t> run_raised_;  // and its flags
  // Why the last run stopped before its end, for decide_stopped; None
  // once that household is decided (or when the run did not stop).
  enum class Stop : uint8_t { None, Padded, Error, Budget };
  Stop stop_ = Stop::None;
  EvalError stopped_error_;  // Stop::Error's
};

}  // namespace

bool compiled_engine_built() {
#ifdef DOUDI_JIT_LIBRARY_PATH
  return true;
#else
  return false;
#endif
}

std::string_view engine_name(EngineKind kind) { return kind == EngineKind::Compiled ? "jit" : "interp"; }

std::optional<EngineKind> engine_named(std::string_view name) {
  if (name == "interp") return EngineKind::Interpreter;
  if (name == "jit") return EngineKind::Compiled;
  return std::nullopt;
}

std::unique_ptr<Engine> make_engine(EngineKind kind, std::shared_ptr<const RuleSet> rules, std::string& error) {
  if (kind == EngineKind::Interpreter) return make_interpreter(std::move(rules));
  auto code = compiled_code(*rules, error);
  if (!code) return nullptr;
  return std::make_unique<CompiledEngine>(std::move(rules), std::move(code));
}

}  // namespace doudi
