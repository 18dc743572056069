#include "runtime/interp/trace.h"

namespace doudi {

TraceRecorder::TraceRecorder() { stack_.push_back(&root_); }

void TraceRecorder::clear() {
  root_ = TraceNode{};
  stack_.assign(1, &root_);
}

void TraceRecorder::enter(uint32_t function, const Value* args, uint32_t count) {
  auto node = std::make_unique<TraceNode>();
  node->function = function;
  node->args.assign(args, args + count);
  TraceNode* raw = node.get();
  stack_.back()->children.push_back(std::move(node));
  stack_.push_back(raw);
}

void TraceRecorder::leave(uint32_t, Value result, const Value* registers, uint32_t count) {
  stack_.back()->result = result;
  if (registers) stack_.back()->registers.assign(registers, registers + count);
  stack_.back()->finished = true;
  if (stack_.size() > 1) stack_.pop_back();
}

void TraceRecorder::param_read(uint32_t param, uint32_t value_index, Value v, int64_t day) {
  stack_.back()->params.push_back(ParamRead{param, value_index, v, day});
}

void TraceRecorder::rounding(uint32_t location, Ratio exact, Value result, RoundMode mode) {
  stack_.back()->roundings.push_back(RoundingNote{location, exact, result, mode});
}

void TraceRecorder::compared(uint32_t location, const char* op, Value left, TypeId left_type, Value right,
                             TypeId right_type, bool result) {
  stack_.back()->comparisons.push_back(ComparisonNote{location, op, left, right, left_type, right_type, result});
}

void TraceRecorder::iteration(uint32_t node, int64_t element, const Value* registers, uint32_t count) {
  stack_.back()->iterations.push_back(IterationNote{node, element, std::vector<Value>(registers, registers + count)});
}

}  // namespace doudi
