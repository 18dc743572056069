// The owned syntax tree. compiler/parse builds it from the ANTLR parse tree
// and nothing else ever sees ANTLR types. Later passes annotate expressions
// in place (type and resolved reference), so one tree serves fmt, resolve,
// type checking and lowering.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/ast/keywords.h"
#include "runtime/source/operators.h"
#include "runtime/source/source.h"

namespace doudi::ast {

struct Name {
  std::string text;
  Span span;
};

enum class Unit : uint8_t { None, Yuan, YuanPerMonth, YuanPerYear, Months, Days };

enum class ExprKind : uint8_t {
  Number,     // text = digits as written, unit
  Percent,    // text = digits without '%'
  Date,       // text
  YearMonth,  // text
  String,     // text = contents
  Bool,       // text = "true" / "false"
  Name,       // name
  Field,      // kids[0] . name
  Call,       // name(kids...)
  Neg,        // - kids[0]
  Not,        // 非 kids[0]
  Binary,     // kids[0] op kids[1]
  In,         // kids[0] ∈ kids[1]; negated for ∉
  If,         // 若 kids[0] 则 kids[1] 否则 kids[2]
  Aggregate,  // agg name 属于 kids[0] (当 kids[2])? : kids[1]
  CountWhere, // 人数 name 属于 kids[0] (当 kids[1])?
  CountList,  // 人数(kids[0])
  LastYear,   // 上年度 name
  AsOf,       // name 于 kids[0]
  Set,        // {kids...}
  List,       // [kids...]
  Record,     // {keys[i]: kids[i]}
};

// The symbol operators in the order of runtime/source/operators.def, then
// the two written as keywords.
enum class BinOp : uint8_t {
#define OPERATOR(name, zh, en) name,
#include "runtime/source/operators.def"
#undef OPERATOR
  And,
  Or
};
// The symbol of a BinOp before And (operators.def).
inline Operator symbol_of(BinOp op) { return static_cast<Operator>(op); }
enum class AggKind : uint8_t { Sum, Exists, All, Max, Min };

// What a name or call resolved to; set by the type checker.
enum class RefKind : uint8_t {
  None, Local, Input, Param, Definition, Rule, EnumValue, Builtin, DecisionMonth
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  Span span;
  std::string text;
  Name name;
  Unit unit = Unit::None;
  BinOp op = BinOp::Add;
  AggKind agg = AggKind::Sum;
  bool negated = false;
  bool has_filter = false;
  bool parens = false;  // written in parentheses (kept by fmt for readability)
  std::vector<ExprPtr> kids;
  std::vector<Name> keys;

  // Annotations written by the type checker.
  uint32_t type = 0;                  // TypeId; 0 = not yet checked
  RefKind ref = RefKind::None;
  uint32_t ref_index = 0;             // symbol index for ref (or enum id for EnumValue)
  uint32_t ref_sub = 0;               // enum value index, local slot, builtin id
  uint8_t rounding = 0;               // 0: exact; 1 四舍五入, 2 向下, 3 向上 (RoundMode + 1)
};

struct Citation {
  std::string text;  // without the brackets
  Span span;
};

struct Annotations {
  std::vector<Citation> citations;
  std::vector<Name> notes;  // 解释 texts
  std::vector<Name> provisions;  // 编号 "HN-2": rows of the provisions registry
};

struct TypeRef {
  enum class Kind : uint8_t { Named, List, Money, Months, Days } kind = Kind::Named;
  Name name;                  // Named
  Unit unit = Unit::None;     // Money
  std::unique_ptr<TypeRef> elem;  // List
  bool optional = false;
  Span span;
};

struct Validity {
  std::optional<int64_t> from;   // day number, inclusive
  std::optional<int64_t> until;  // day number, inclusive
  Span from_span, until_span;
};

struct EnumValueDecl {
  Name name;
  Annotations annos;
};

struct EnumDecl {
  Name name;
  Annotations annos;
  std::vector<EnumValueDecl> values;
};

struct FieldDecl {
  Name name;
  TypeRef type;
  bool sensitive = false;
  bool signed_ = false;  // 可为负: records may give a negative amount or number
  ExprPtr default_value;
  Annotations annos;
  Span span;
};

struct StructDecl {
  Name name;
  Annotations annos;
  std::vector<FieldDecl> fields;
};

struct InputDecl {
  Name name;
  TypeRef type;
  Annotations annos;
};

struct ValueSetting {
  Name param;
  ExprPtr value;
  Validity validity;
  Annotations annos;
  Span span;
};

struct ParamDecl {
  Name name;
  TypeRef type;
  std::optional<ValueSetting> value;
  Annotations annos;
};

struct Branch {
  bool is_default = false;
  Name label;                  // exceptions only
  std::vector<Name> overrides; // labels this exception takes precedence over
  ExprPtr condition;           // exceptions only
  ExprPtr value;
  Annotations annos;
  Span span;
};

// An exception a jurisdiction block adds to a rule or a definition, usually
// of the policy a county deploys (a local income exclusion): it applies in
// that jurisdiction and those below it, beside the target's own exceptions.
struct LocalException {
  Name target;
  std::vector<Name> params;  // names standing for the target's parameters, in order
  Branch branch;
};

struct JurisdictionDecl {
  Name name;
  std::optional<Name> parent;
  bool test_only = false;  // 仅供测试: made up for tests
  Annotations annos;
  std::vector<ValueSetting> values;
  std::vector<LocalException> exceptions;
};

struct ConstraintDecl {
  std::optional<Name> label;
  std::optional<Name> jurisdiction;  // binds this one and those below it; all when absent
  ExprPtr expr;
  Validity validity;
  Annotations annos;
};

struct Parameter {
  TypeRef type;
  Name name;
};

struct DefinitionDecl {
  Name name;
  std::vector<Parameter> params;
  TypeRef type;
  ExprPtr body;
  Annotations annos;
};

struct RuleDecl {
  Name name;
  std::vector<Parameter> params;
  TypeRef type;
  Annotations annos;
  std::vector<Branch> branches;
};

struct FlagDecl {
  Name name;
  ExprPtr condition;
  Name message;
  Annotations annos;
};

struct TestStmt {
  enum class Kind : uint8_t { SetParam, SetInput, Expect, ExpectFlag, ExpectConstraint } kind;
  Name name;  // ExpectConstraint: the constraint's label
  ExprPtr value;       // SetParam, SetInput, Expect
  bool negated = false;  // ExpectFlag: 期望 非 标记 X
  Span span;
};

struct TestDecl {
  Name name;  // the quoted title
  Name jurisdiction;
  int64_t month = 0;  // year-month
  Span month_span;
  std::vector<TestStmt> stmts;
};

struct ModuleDecl {
  Name name;  // dotted, e.g. 会宁县.城镇低保
};

struct ImportDecl {
  Name name;
};

using Item = std::variant<ModuleDecl, ImportDecl, EnumDecl, StructDecl, InputDecl, ParamDecl, JurisdictionDecl,
                          ConstraintDecl, DefinitionDecl, RuleDecl, FlagDecl, TestDecl>;

struct ItemNode {
  Item item;
  Span span;
};

struct Comment {
  std::string text;  // including '#'
  Span span;
};

struct File {
  FileId file = kNoFile;
  Dialect dialect = Dialect::Zh;
  Name module;
  std::vector<Name> imports;
  std::vector<ItemNode> items;
  std::vector<Comment> comments;
};

}  // namespace doudi::ast
