// Symbolic evaluation of checked expressions into Z3 terms, for the static
// checks. A household is symbolic (bounded number of list items); parameters
// take the concrete values of one jurisdiction and date (a missing value is
// symbolic). Anything that cannot be encoded exactly throws Unsupported, so
// a check never claims a proof it does not have.
#pragma once
#include <z3++.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/analysis/proof_bounds.h"
#include "compiler/sema/program.h"

namespace doudi::smt {


struct Unsupported {
  std::string reason;
};

struct Sym {
  enum class Kind { Scalar, Struct, List, Text } kind = Kind::Scalar;
  std::optional<z3::expr> v;        // Int, Bool or Real
  std::optional<z3::expr> present;  // optional values: whether present
  std::vector<Sym> items;           // Struct fields, or List slots
  std::optional<z3::expr> len;      // List length
};

struct Env {
  uint32_t jurisdiction;
  int64_t day;    // first day of the decision month
  int64_t month;  // year-month
};

class Evaluator {
 public:
  // Lists (household members) have 1 to max_items elements (0 to max_items
  // with `empty_lists`: an analysis of one household whose list is empty).
  Evaluator(z3::context& ctx, const Program& p, Env env, int max_items = kDefaultMaxItems, bool empty_lists = false);

  // The symbolic input record and the domain assumptions on it.
  Sym make_input(const std::string& prefix);
  // `may_be_negative`: a 可为负 field's value (amounts and whole numbers in it
  // range below zero too).
  Sym make_value(TypeId t, const std::string& name, bool may_be_negative = false);
  const std::vector<z3::expr>& assumptions() const { return assumptions_; }

  Sym eval(const ast::Expr& e, std::vector<Sym>& frame);
  Sym call(uint32_t function, std::vector<Sym> args);
  // A rule's branches evaluated in a frame holding its parameters.
  struct Branch {
    z3::expr condition;
    Sym value;
  };
  std::vector<std::optional<Branch>> branches(uint32_t function, std::vector<Sym>& frame);

  void set_input(Sym input) { input_ = std::move(input); }

 private:
  z3::expr param(uint32_t p, int64_t day);
  z3::expr rounded(const z3::expr& exact, uint8_t rounding);
  Sym scalar(z3::expr e) { return Sym{Sym::Kind::Scalar, e, std::nullopt, {}, std::nullopt}; }
  z3::expr as_real(const Sym& s, TypeId t);
  z3::expr value_of(const Sym& s);
  Sym binary(const ast::Expr& e, std::vector<Sym>& frame);
  Sym aggregate(const ast::Expr& e, std::vector<Sym>& frame);
  Sym rule_value(uint32_t function, std::vector<Sym>& frame);
  // An unconstrained value of `type` (scalar types).
  Sym fresh_value(TypeId type, const std::string& what);

  z3::context& ctx_;
  const Program& p_;
  Env env_;
  Sym input_;
  std::vector<z3::expr> assumptions_;
  std::map<uint32_t, Sym> memo_;  // parameterless functions
  std::map<std::pair<uint32_t, int64_t>, z3::expr> params_;
  int fresh_ = 0;
  int max_items_;
  bool empty_lists_ = false;
};

}  // namespace doudi::smt
