// The interpreter behind the Engine interface.
#include "doudi/engine.h"

namespace doudi {
namespace {

class InterpreterEngine final : public Engine {
 public:
  explicit InterpreterEngine(std::shared_ptr<const RuleSet> rules) : rules_(std::move(rules)), interp_(rules_->module()) {}
  void set_context(const DecisionContext& c) override { interp_.set_context(c.jurisdiction, c.month); }
  void set_step_budget(uint64_t steps) override { interp_.set_step_budget(steps); }
  void decide_into(const RecordView& household, Decision& out, TraceSink* trace) override {
    interp_.decide_into(household, out, trace);
  }
  const RuleSet& rules() const override { return *rules_; }

 private:
  std::shared_ptr<const RuleSet> rules_;
  Interpreter interp_;
};

}  // namespace

std::unique_ptr<Engine> make_interpreter(std::shared_ptr<const RuleSet> rules) {
  return std::make_unique<InterpreterEngine>(std::move(rules));
}

}  // namespace doudi
