// The part of the command line that needs the compiler and the analyses
// (ANTLR, Z3): the commands that read rules as source, and the questions
// answered with the solver. `doudi` links only the runtime and loads this
// part from libdoudi_compile.so with dlopen when a command first needs it,
// as the compiled engine loads LLVM: loading and relocating ANTLR and Z3 was
// about a third of every start, and deciding from a bundle, replaying, and
// the log's commands never call them. The tests, doudi-serve and the
// benchmarks link it in (compile_side_in_process).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "doudi/analysis.h"
#include "doudi/compiler.h"
#include "tools/cli/commands.h"
#include "tools/cli/serve_options.h"
#include "tools/cli/why_not_answer.h"

namespace doudi::cli {

// Objects of one build cross this boundary (the arguments, Compilation,
// RuleSet): a library of another build is refused, never called. Bump when
// the class or anything it passes changes.
inline constexpr int kCompileSideAbi = 1;

class CompileSide {
 public:
  virtual ~CompileSide() = default;

  virtual int check(const Common& c, const CheckArgs& a) const = 0;
  virtual int diff(const Common& c, const DiffArgs& a) const = 0;
  virtual int test(const Common& c, const TestArgs& a) const = 0;
  virtual int fmt(const Common& c, const FmtArgs& a) const = 0;
  virtual int lsp(const Common& c, const LspArgs& a) const = 0;
  virtual int ir(const Common& c, const IrArgs& a) const = 0;
  virtual int cites(const Common& c, const CitesArgs& a) const = 0;
  virtual int bundle(const Common& c, const BundleArgs& a) const = 0;
  // doudi serve --request: one request answered in this process.
  virtual int serve_request(const Common& c, const ServeArgs& a) const = 0;

  // A .doudi module compiled with its imports (doudi::load_rules).
  virtual LoadedRules load_module(const std::string& path, const CompileOptions& options) const = 0;

  // --why-not and --thresholds (why_not_answer.h, thresholds_answer.h).
  virtual std::optional<WhyNotAsk> ask_why_not(const Common& c, const RunArgs& a,
                                               const std::shared_ptr<const Compilation>& compilation,
                                               const ir::Module& m) const = 0;
  virtual int answer_why_not(const Common& c, const WhyNotAsk& ask, const std::shared_ptr<const Compilation>& compilation,
                             const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                             const LoadedRecord& record, const Decision& d) const = 0;
  virtual std::optional<ThresholdsAnswer> ask_thresholds(const Common& c, const RunArgs& a,
                                                         const std::shared_ptr<const Compilation>& compilation,
                                                         const std::shared_ptr<const RuleSet>& rules,
                                                         const DecisionContext& context,
                                                         const LoadedRecord& record) const = 0;
  virtual int answer_thresholds(const Common& c, const ThresholdsAnswer& answer, const RuleSet& rules,
                                const Decision& d) const = 0;
};

// The compile side: linked into this program, else loaded (once) from
// $DOUDI_COMPILE_LIBRARY, from ../lib/doudi/libdoudi_compile.so beside the
// program, or from where the build put it. Null, after reporting why (E0019)
// on c.err, when it cannot be loaded.
const CompileSide* compile_side(const Common& c);

// The compile side linked into this program, or null (`doudi`, which loads
// it). Defined once per program: compile_side_linked.cc or compile_side_none.cc.
const CompileSide* compile_side_in_process();

}  // namespace doudi::cli
