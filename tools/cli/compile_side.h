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
// RuleSet): a library of another build is refused, never called. `doudi`
// requires the very library built with it (compile_side_expected_build);
// this number also guards a library named by $DOUDI_COMPILE_LIBRARY in a
// program with no build to compare. Bump when the class changes.
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

  // doudi::load_source_rules: `text`, already read from `path` and not a
  // bundle, compiled with its imports.
  virtual LoadedRules load_module(const std::string& path, std::string text, CompileOptions options) const = 0;

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

// The compile side: the library $DOUDI_COMPILE_LIBRARY names when it is set
// (even in a program that links it: the tests use it to see the errors),
// else the one linked into this program, else libdoudi_compile.so loaded
// (once) from ../lib/doudi beside the program or from where the build put
// it. Null, after reporting why (E0019) on c.err, when it cannot be loaded.
const CompileSide* compile_side(const Common& c);

// For --why-not and --thresholds (in `a`), which the solver answers from the
// rules' source: the compile side, or null after reporting why — E3005
// when the rules are a bundle (before anything is loaded), else E0019.
const CompileSide* solver_for(const Common& c, const RunArgs& a, const std::shared_ptr<const Compilation>& compilation);

// The compile side linked into this program, or null (`doudi`, which loads
// it). Defined once per program: compile_side_linked.cc or compile_side_none.cc.
const CompileSide* compile_side_in_process();

// The GNU build id of the libdoudi_compile.so built with this program: a
// library with another is refused. Empty in a program that links the
// compile side (compile_side_linked.cc); for `doudi`, generated at build
// time by tools/cli/expected_build_id.cmake.
const char* compile_side_expected_build();

}  // namespace doudi::cli
