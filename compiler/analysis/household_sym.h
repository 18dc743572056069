// A household record beside the solver's symbolic household: which input
// values may change and where each lives in the record, for the analyses
// that change one household (why_not, thresholds). Internal to
// compiler/analysis: it speaks Z3.
#pragma once
#include <z3++.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/analysis/smt_eval.h"
#include "runtime/record/record_layout.h"

namespace doudi::smt {

// One input value the solver may change, with where it lives.
struct Leaf {
  std::string path;  // 家庭.财产符合规定, 成员#2.工资性收入
  TypeId type;       // as declared (Optional kept)
  const Sym* sym;
  Value original;
  size_t slot;       // its first word in RecordData::words (record_layout.h)
};

class Household {
 public:
  Household(const Program& p, const RecordData& r) : p_(p), r_(r) {}
  // The value of type `t` at word `slot` of the record.
  Value at(size_t slot, TypeId t) const { return r_.read(slot, record::wide_slot(p_.types, t)); }
  // The longest list in the record (the solver's lists get that many slots).
  int64_t longest(TypeId t, Value v) const;
  // The record's values beside the symbolic household `s`: hard facts for
  // what may not change (list lengths, presence of structures), leaves for
  // the rest. Text never changes.
  void pair(const Sym& s, TypeId t, Value v, size_t slot, const std::string& path, z3::context& ctx,
            std::vector<z3::expr>& fixed, std::vector<Leaf>& leaves) const;

 private:
  const Program& p_;
  const RecordData& r_;
};

// A value of type `t` as a Z3 term, and back from a model.
z3::expr encode(z3::context& ctx, const Program& p, TypeId t, Value v);
Value decode(const z3::model& model, const Program& p, TypeId t, const z3::expr& e);
// Whether the leaf keeps its value.
z3::expr unchanged(z3::context& ctx, const Program& p, const Leaf& l);
// How far a number moves (fen, units), for minimising; none for others.
std::optional<z3::expr> distance(z3::context& ctx, const Program& p, const Leaf& l);
// The leaf's value in the model (absent if an optional was left out).
Value leaf_value(const z3::model& model, const Program& p, const Leaf& l);

// Why an analysis of one household cannot be made (bilingual): the rules
// have a part the solver cannot express, or the record lies outside the
// solver's bounds.
std::string unsupported_reason(const Unsupported& u);
std::string out_of_bounds_reason();
std::string solver_failure_reason(const z3::exception& e);

// The solver's view of one household in one place and month: the symbolic
// household paired with the record (its list lengths fixed, empty lists
// allowed), and the facts every query starts from.
class HouseholdQuery {
 public:
  HouseholdQuery(const Program& p, const RecordData& record, uint32_t jurisdiction, int64_t month);
  z3::context& ctx() { return ctx_; }
  const std::vector<Leaf>& leaves() const { return leaves_; }
  // Domain assumptions, fixed list lengths, and what outputs assumed.
  const std::vector<z3::expr>& facts() const { return facts_; }
  // A parameterless rule's value (its assumptions join the facts).
  Sym output(uint32_t function);
  // Whether the record itself meets the assumptions (amounts within the
  // solver's bounds, say); an analysis of it means nothing otherwise.
  bool record_fits();

 private:
  z3::context ctx_;
  const Program& p_;
  Household household_;
  std::unique_ptr<Evaluator> ev_;
  Sym input_;
  std::vector<z3::expr> facts_;
  std::vector<Leaf> leaves_;
  size_t assumptions_taken_ = 0;
};

}  // namespace doudi::smt
