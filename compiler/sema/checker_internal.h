// Shared state of the checker's passes (collect, expressions, declarations).
#pragma once
#include <optional>

#include "compiler/sema/checker.h"

namespace doudi::check_detail {

struct Scope {
  std::vector<std::pair<std::string, uint32_t>> vars;  // name → local slot
  std::vector<LocalVar>* locals = nullptr;              // the function's local table
  bool constant = false;       // parameter values: literals only
  bool params_only = false;    // constraints: parameters, no household
  uint32_t current_function = kNone;
};

class Checker {
 public:
  Checker(Program& p, DiagSink& d) : p_(p), d_(d) {}
  void run();

  // collect.cc
  void collect();
  void declare(const std::string& name, SymbolKind kind, uint32_t index, Span span);
  TypeId resolve_type(const ast::TypeRef& t);
  void resolve_signatures();
  void resolve_jurisdictions();

  // check_expr.cc
  TypeId check(ast::Expr& e, Scope& s, TypeId expected = 0);
  TypeId check_name(ast::Expr& e, Scope& s, TypeId expected);
  TypeId check_binary(ast::Expr& e, Scope& s);
  TypeId check_call(ast::Expr& e, Scope& s);
  TypeId check_aggregate(ast::Expr& e, Scope& s);
  TypeId check_record(ast::Expr& e, Scope& s, TypeId expected);
  TypeId arith_result(ast::Expr& e, TypeId l, TypeId r);
  bool compatible(TypeId expected, TypeId actual) const;  // int widens to ratio
  void expect_type(ast::Expr& e, TypeId expected, TypeId actual);
  bool require_bool(ast::Expr& e, TypeId t);
  bool reject_optional(ast::Expr& e, TypeId t);
  // E0101 with a suggestion; `expected`, when a 布尔 or an enumeration, limits
  // the suggestion to its values and lists them.
  void unknown_name(const ast::Name& n, Scope& s, TypeId expected = 0);

  // check_decls.cc
  void check_bodies();
  // E0203 for two amounts of different periods, naming 按月/按年 when that converts one.
  void units_differ(Span at, TypeId a, TypeId b);
  void settle_validity(uint32_t param);  // settle_validity.cc
  void check_rule(FunctionInfo& f, uint32_t index);
  // Adds each jurisdiction block's local exceptions to the branches of the
  // rule or definition they name (local_exceptions.cc).
  void attach_local_exceptions();
  void check_tests();
  void check_citations();
  void check_cycles();
  std::optional<Value> constant_value(const ast::Expr& e, TypeId type, RecordData* rec);

  Program& p_;
  DiagSink& d_;
  // Calls made by each function, for the dependency cycle check.
  std::vector<std::vector<std::pair<uint32_t, Span>>> calls_;
  // Raw (AST) declarations gathered by collect, in file order.
  std::vector<std::pair<ast::JurisdictionDecl*, std::string>> juris_decls_;
  std::vector<const ast::InputDecl*> input_decls_;
};

}  // namespace doudi::check_detail
