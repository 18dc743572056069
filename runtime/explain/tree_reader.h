// Reading a function's explanation tree (ir/expr_tree.h) with the registers
// a trace kept: why a condition has its value (the part that decides it), how
// an amount was computed (the arithmetic with the values put in, the rounding
// named), which elements of an aggregation decide it. What it reads comes
// back as `Said`; the summary (summary.cc) lays it out in lines.
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/explain/member_labels.h"
#include "runtime/interp/trace.h"
#include "runtime/ir/ir.h"

namespace doudi::explain {

using ir::Shape;

// Where a tree is read: the call's trace node and the registers of the
// function's return, or of one element of an aggregation.
struct Frame {
  const TraceNode* node;
  const std::vector<Value>* regs;
  const ir::Function* fn;
};

struct ParamMention {
  uint32_t param;
  const ParamRead* read;
};

// What one part of a reason says: clauses for one line, lines of their own
// (one per element of an aggregation), and the calls and parameters it
// relies on, given after it.
struct Said {
  std::vector<std::string> clauses;
  std::vector<std::string> lines;
  std::vector<const TraceNode*> calls;
  std::vector<ParamMention> params;
  void add(Said&& o) {
    for (auto& x : o.clauses) clauses.push_back(std::move(x));
    for (auto& x : o.lines) lines.push_back(std::move(x));
    calls.insert(calls.end(), o.calls.begin(), o.calls.end());
    params.insert(params.end(), o.params.begin(), o.params.end());
  }
};

class TreeReader {
 public:
  TreeReader(const ir::Module& m, const TraceNode& root, Lang lang, const RecordData* record);

  // Whether a call's reason has been given already (once per call key).
  bool said(const TraceNode* call) const { return said_.count(call_key(*full(call))) > 0; }

  std::string cites(const std::vector<std::string>& c) const;
  std::string value(Value v, TypeId t) const;
  std::string call_text(const TraceNode& n) const;
  // The call with its registers: a remembered result's first evaluation.
  const TraceNode* full(const TraceNode* n) const;
  const ir::ExprNode& node(const Frame& fr, uint32_t k) const { return fr.fn->tree[k]; }
  Value val(const Frame& fr, uint32_t k) const { return (*fr.regs)[node(fr, k).reg]; }
  TypeId type(const Frame& fr, uint32_t k) const { return fr.fn->regs[node(fr, k).reg]; }
  TypeKind kind_of(const Frame& fr, uint32_t k) const;
  bool holds(const Frame& fr, uint32_t k) const { return val(fr, k).a != 0 && !val(fr, k).is_absent(); }
  // Values, literals too, are formatted from the registers in the asked
  // language (0 yuan/month in English), never copied from the source text.
  std::string shown(const Frame& fr, uint32_t k) const { return value(val(fr, k), type(fr, k)); }
  std::string src(const Frame& fr, uint32_t k) const;
  // The trace node of a call the tree makes: same function, same arguments
  // (or, failing that, same result).
  const TraceNode* callee(const Frame& fr, uint32_t k) const;
  const ParamRead* param_read(const Frame& fr, uint32_t k) const;
  // The calls and parameters an evaluated part of a tree reads directly.
  void leaves(const Frame& fr, uint32_t k, Said& s) const;
  void arguments(const Frame& fr, uint32_t k, const TraceNode* c, Said& s) const;
  bool decided_by_register(const TraceNode& call, uint32_t reg) const;
  bool reads(const Frame& fr, uint32_t k, uint32_t reg) const;
  bool reads_anywhere(const Frame& fr, uint32_t k, uint32_t reg) const;
  // Why a condition has its value: the part that decides it.
  Said why(const Frame& fr, uint32_t k);
  // An operand of a comparison: its value, with the arithmetic that made it.
  std::string operand(const Frame& fr, uint32_t k) const;
  static bool is_sum(const ir::ExprNode& n) {
    return n.shape == Shape::Aggregate && static_cast<ir::Aggregation>(n.op) == ir::Aggregation::Sum;
  }
  // An aggregation's filter (UINT32_MAX if none): its kids are the list,
  // then the filter (if any) and the body (count-where has no body).
  uint32_t filter_of(const Frame& fr, uint32_t k) const;
  // The elements an aggregation counted or added (its filter held), and
  // those it passed over.
  std::pair<std::vector<const IterationNote*>, std::vector<const IterationNote*>> split(const Frame& fr, uint32_t k) const;
  std::vector<const IterationNote*> kept(const Frame& fr, uint32_t k) const { return split(fr, k).first; }
  bool zero_field(const Frame& fr, uint32_t k) const;
  static int precedence(const ir::ExprNode& n);
  // The expression with the values it read put in: 690 元/月 × (1 + 20%).
  std::string substituted(const Frame& fr, uint32_t k) const;
  std::string rounding_of(const Frame& fr, uint32_t k) const;
  // How an amount was computed.
  Said amount(const Frame& fr, uint32_t k);
  // The reasons of the 若 conditions an amount's formula went through.
  void conditions_within(const Frame& fr, uint32_t k, Said& s);
  // An aggregation, element by element: the elements that decide it.
  Said elements(const Frame& fr, uint32_t k);
  static std::string join(const std::vector<std::string>& xs, std::string_view sep);

 protected:
  static constexpr size_t kLongFormula = 90;  // bytes of source text
  const ir::Module& m_;
  bool zh_;
  bool named_fields_ = false;
  MemberLabels labels_;
  std::map<CallKey, const TraceNode*> first_;
  std::set<CallKey> said_;

 private:
  void index(const TraceNode& n);
};

}  // namespace doudi::explain
