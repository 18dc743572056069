// The checked program: every declaration of every loaded file, resolved and
// typed. Passes after type checking (lowering, fmt's dialect switch, the
// static checks) read it; nothing here is ANTLR-shaped.
#pragma once
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "runtime/diag/diagnostic.h"
#include "runtime/types/type_table.h"
#include "runtime/value/value.h"

namespace doudi {

inline constexpr uint32_t kNone = UINT32_MAX;

struct EnumInfo {
  std::string name;
  Span span;
  std::vector<std::string> values;
};

struct FieldInfo {
  std::string name;
  TypeId type = 0;
  bool sensitive = false;
  ast::FieldDecl* decl = nullptr;
  bool required() const;  // no default and not optional
  std::optional<Value> default_value;
  bool signed_ = false;  // 可为负; otherwise records give no negative amount or number
};

struct StructInfo {
  std::string name;
  Span span;
  std::vector<FieldInfo> fields;
  ast::StructDecl* decl = nullptr;
  uint32_t field_index(const std::string& n) const;
};

struct CitationRef {
  std::vector<ast::Citation> citations;
  std::vector<ast::Name> notes;
  std::vector<ast::Name> provisions;
};

inline CitationRef cite_of(const ast::Annotations& a) { return CitationRef{a.citations, a.notes, a.provisions}; }

struct ParamValue {
  uint32_t jurisdiction = kNone;  // kNone: set at the declaration, applies everywhere
  std::optional<int64_t> from, until;
  Value value;
  Span span;
  CitationRef cite;
};

struct ParamInfo {
  std::string name;
  Span span;
  TypeId type = 0;
  CitationRef cite;
  std::vector<ParamValue> values;
  std::string module;  // the module that declares it
};

// A value a module sets for a jurisdiction that replaces, on the days both
// are in force, the value a module it imports sets for the same
// jurisdiction: a county's deployment over the policy. Both as written; in
// `ParamInfo::values` the replaced one no longer covers those days.
struct ReplacedValue {
  uint32_t param = 0;
  ParamValue by, replaced;
};

struct JurisdictionInfo {
  std::string name;
  Span span;
  bool test_fixture = false;  // declared `仅供测试`: made up for tests
  uint32_t parent = kNone;
  Span parent_span;
};

enum class FunctionKind : uint8_t { Definition, Rule };

struct LocalVar {
  std::string name;
  TypeId type;
};

// One branch of a rule, or of a definition that jurisdictions add local
// exceptions to (its body is then the default): the declaration's own, in
// order, then those jurisdiction blocks add (`辖区 X { 例外 计入收入(m) … }`),
// which apply only in their jurisdiction and those below it.
struct BranchInfo {
  bool is_default = false;
  std::string label;                   // exceptions
  std::vector<ast::Name> overrides;    // labels this exception takes precedence over
  ast::Expr* condition = nullptr;      // exceptions
  ast::Expr* value = nullptr;
  const ast::Annotations* annos = nullptr;
  Span span, label_span;
  uint32_t jurisdiction = kNone;       // local exceptions: where they apply
  std::string module;                  // the module that wrote the branch
  const ast::LocalException* local = nullptr;
};

struct FunctionInfo {
  FunctionKind kind;
  std::string name;
  Span span;
  std::string module;
  std::vector<LocalVar> params;
  TypeId result = 0;
  std::vector<LocalVar> local_vars;  // params first, then aggregation variables
  CitationRef cite;
  ast::DefinitionDecl* def = nullptr;
  ast::RuleDecl* rule = nullptr;
  // A rule's branches; a definition's only when jurisdictions add exceptions
  // to it (empty: the definition is its body).
  std::vector<BranchInfo> branches;
  // Precedence as a transitive closure: overridden_by[i] lists the
  // exceptions that win over exception i (indices into branches).
  std::vector<std::vector<uint32_t>> overridden_by;
  bool decided_by_branches() const { return !branches.empty(); }
};

struct FlagInfo {
  std::string name;
  Span span;
  std::string module;
  ast::FlagDecl* decl = nullptr;
  std::vector<LocalVar> local_vars;
};

struct ConstraintInfo {
  ast::ConstraintDecl* decl = nullptr;
  std::string module;
  uint32_t jurisdiction = kNone;  // binds this one and below; kNone: all
  std::vector<LocalVar> local_vars;
};

struct TestInfo {
  ast::TestDecl* decl = nullptr;
  std::string module;
  uint32_t jurisdiction = kNone;
  std::vector<std::pair<uint32_t, Value>> param_overrides;
  RecordData input;  // built by the checker from the literal
  bool has_input = false;
  struct Expectation {
    const ast::TestStmt* stmt;
    uint32_t function = kNone;  // expected output
    uint32_t flag = kNone;      // expected flag
    uint32_t constraint = kNone;  // expected to hold (value true) or be violated
    Value value;
  };
  std::vector<Expectation> expectations;
};

struct InputInfo {
  std::string name;
  Span span;
  TypeId type = 0;
};

enum class SymbolKind : uint8_t { Enum, Struct, Param, Function, Flag, Input };

struct Symbol {
  SymbolKind kind;
  uint32_t index;
  Span span;
};

struct Program {
  explicit Program(SourceManager& s) : sm(s) {}
  SourceManager& sm;
  std::vector<ast::File> files;
  TypeTable types;

  std::vector<EnumInfo> enums;
  std::vector<StructInfo> structs;
  std::vector<ParamInfo> params;
  std::vector<JurisdictionInfo> jurisdictions;
  std::vector<FunctionInfo> functions;
  std::vector<FlagInfo> flags;
  std::vector<ConstraintInfo> constraints;
  std::vector<TestInfo> tests;
  std::vector<ReplacedValue> replaced_values;
  std::optional<InputInfo> input;

  // Types (enums, structs) and values (parameters, definitions, rules, flags,
  // the input) are separate namespaces, so `输入 家庭 : 家庭` reads naturally.
  std::unordered_map<std::string, Symbol> type_names;
  std::unordered_map<std::string, Symbol> globals;
  std::unordered_map<std::string, std::vector<std::pair<uint32_t, uint32_t>>> enum_values;  // → (enum, value)
  std::unordered_map<std::string, uint32_t> jurisdiction_index;
  std::deque<std::string> constant_strings;  // text constants; addresses stay valid
  std::string root_module;  // the module a run or a test is about

  std::string type_name(TypeId t, Lang lang) const;
  std::string type_name_both(TypeId t) const;  // bilingual argument
  uint32_t find_jurisdiction(const std::string& name) const;
  std::vector<uint32_t> jurisdiction_chain(uint32_t j) const;  // j, parent, ..., root
  bool is_within(uint32_t j, uint32_t ancestor) const;          // j is ancestor or below it
  // The value of parameter `param` in force in `j` on `day`: the nearest
  // jurisdiction's first, then one set at the declaration; null if none.
  const ParamValue* value_in_force(uint32_t param, uint32_t j, int64_t day) const;
  const ast::File* file_of_module(const std::string& module) const;
  // The modules whose rules without parameters are the outputs of a run:
  // the root module and every module it imports, directly or not. A county's
  // deployment that adds a rule of its own (a local top-up) still decides
  // every output of the policy it deploys, and one that adds none decides
  // with the policy's rules (a town's deployment over the county's).
  std::set<std::string> output_modules() const;
  // `from` and every module it imports, directly or through others.
  std::set<std::string> imported_modules(const std::string& from) const;
  // The root and the modules without rules it imports, directly or not: the
  // deployment layers over the policy (a town's, the county's), whose values
  // say when the deployment starts.
  std::set<std::string> deployment_modules() const;
};

}  // namespace doudi
