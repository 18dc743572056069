// Evaluation reports what it does through this interface; the interpreter
// itself never formats or stores a trace. With no sink, nothing is recorded.
#pragma once
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "runtime/types/type_table.h"
#include "runtime/value/checked.h"
#include "runtime/value/value.h"

namespace doudi {

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void enter(uint32_t function, const Value* args, uint32_t count) = 0;
  // `registers` (count of them, or none for a remembered result): the
  // function's registers as it returns, read with its explanation tree.
  virtual void leave(uint32_t function, Value result, const Value* registers, uint32_t count) = 0;
  // value_index: index into ir::Param::values, or UINT32_MAX for a test override.
  virtual void param_read(uint32_t param, uint32_t value_index, Value v, int64_t day) = 0;
  virtual void rounding(uint32_t location, Ratio exact, Value result, RoundMode mode) = 0;
  // A comparison written in the source: its operands as written (left,
  // right), their types, the operator (<, ≤, >, ≥, =, ≠) and the outcome.
  virtual void compared(uint32_t location, const char* op, Value left, TypeId left_type, Value right,
                        TypeId right_type, bool result) {}
  // An aggregation (explanation node `node`) has finished element `element`;
  // `registers` hold what its filter and body computed for that element.
  virtual void iteration(uint32_t node, int64_t element, const Value* registers, uint32_t count) {}
};

struct ParamRead {
  uint32_t param;
  uint32_t value_index;
  Value value;
  int64_t day;
};

struct RoundingNote {
  uint32_t location;
  Ratio exact;
  Value result;
  RoundMode mode;
};

struct ComparisonNote {
  uint32_t location;
  const char* op;
  Value left, right;
  TypeId left_type, right_type;
  bool result;
};

struct IterationNote {
  uint32_t node;
  int64_t element;
  std::vector<Value> registers;
};

struct TraceNode {
  uint32_t function = UINT32_MAX;
  std::vector<Value> args;
  Value result;
  // Registers at return; those the call did not write are absent.
  std::vector<Value> registers;
  bool finished = false;
  std::vector<std::unique_ptr<TraceNode>> children;
  std::vector<ParamRead> params;
  std::vector<RoundingNote> roundings;
  std::vector<ComparisonNote> comparisons;
  std::vector<IterationNote> iterations;
};

// A call by function and arguments: the same call made twice (a remembered
// result read again, a definition asked for the same member) has one key.
using CallKey = std::pair<uint32_t, std::vector<std::pair<int64_t, int64_t>>>;
inline CallKey call_key(const TraceNode& n) {
  CallKey k{n.function, {}};
  for (const Value& v : n.args) k.second.push_back({v.a, v.b});
  return k;
}

// Builds a call tree: one node per function call, with the parameters read
// and roundings made directly inside it.
class TraceRecorder : public TraceSink {
 public:
  TraceRecorder();
  void enter(uint32_t function, const Value* args, uint32_t count) override;
  void leave(uint32_t function, Value result, const Value* registers, uint32_t count) override;
  void param_read(uint32_t param, uint32_t value_index, Value v, int64_t day) override;
  void rounding(uint32_t location, Ratio exact, Value result, RoundMode mode) override;
  void compared(uint32_t location, const char* op, Value left, TypeId left_type, Value right, TypeId right_type,
                bool result) override;
  void iteration(uint32_t node, int64_t element, const Value* registers, uint32_t count) override;

  const TraceNode& root() const { return root_; }
  void clear();

 private:
  TraceNode root_;
  std::vector<TraceNode*> stack_;
};

}  // namespace doudi
