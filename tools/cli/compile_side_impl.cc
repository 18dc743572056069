#include "tools/cli/compile_side_impl.h"

#include "tools/cli/cmd_serve.h"
#include "tools/cli/thresholds_answer.h"

namespace doudi::cli {
namespace {

class CompileSideImpl final : public CompileSide {
 public:
  int check(const Common& c, const CheckArgs& a) const override { return cmd_check(c, a); }
  int diff(const Common& c, const DiffArgs& a) const override { return cmd_diff(c, a); }
  int test(const Common& c, const TestArgs& a) const override { return cmd_test(c, a); }
  int fmt(const Common& c, const FmtArgs& a) const override { return cmd_fmt(c, a); }
  int lsp(const Common& c, const LspArgs& a) const override { return cmd_lsp(c, a); }
  int ir(const Common& c, const IrArgs& a) const override { return cmd_ir(c, a); }
  int cites(const Common& c, const CitesArgs& a) const override { return cmd_cites(c, a); }
  int bundle(const Common& c, const BundleArgs& a) const override { return cmd_bundle(c, a); }
  int serve_request(const Common& c, const ServeArgs& a) const override { return cmd_serve_request(c, a); }

  LoadedRules load_module(const std::string& path, std::string text, CompileOptions options) const override {
    return load_source_rules(path, std::move(text), std::move(options));
  }

  std::optional<WhyNotAsk> ask_why_not(const Common& c, const RunArgs& a,
                                       const std::shared_ptr<const Compilation>& compilation,
                                       const ir::Module& m) const override {
    return cli::ask_why_not(c, a, compilation, m);
  }
  int answer_why_not(const Common& c, const WhyNotAsk& ask, const std::shared_ptr<const Compilation>& compilation,
                     const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                     const LoadedRecord& record, const Decision& d) const override {
    return cli::answer_why_not(c, ask, compilation, rules, context, record, d);
  }
  std::optional<ThresholdsAnswer> ask_thresholds(const Common& c, const RunArgs& a,
                                                 const std::shared_ptr<const Compilation>& compilation,
                                                 const std::shared_ptr<const RuleSet>& rules,
                                                 const DecisionContext& context,
                                                 const LoadedRecord& record) const override {
    return cli::ask_thresholds(c, a, compilation, rules, context, record);
  }
  int answer_thresholds(const Common& c, const ThresholdsAnswer& answer, const RuleSet& rules,
                        const Decision& d) const override {
    return cli::answer_thresholds(c, answer, rules, d);
  }
};

}  // namespace

const CompileSide& compile_side_impl() {
  static const CompileSideImpl impl;
  return impl;
}

}  // namespace doudi::cli
