// Pass 1 of checking: declare every name, resolve declared types, build the
// jurisdiction tree and the effective-dated parameter values.
#include <fmt/format.h>

#include <set>

#include "compiler/ast/keywords.h"
#include "compiler/sema/checker_internal.h"

namespace doudi::check_detail {
namespace {

struct BuiltinType {
  const char* zh;
  const char* en;
  TypeId id;
};
constexpr BuiltinType kBuiltinTypes[] = {
#define TYPE(kind, zh, en) {zh, en, TypeTable::k##kind},
#include "runtime/types/builtin_names.def"
};

const ast::File* file_of(const Program& p, Span at) {
  for (const auto& f : p.files)
    if (f.file == at.file) return &f;
  return nullptr;
}

// Whether module `a` imports `b`, directly or through other modules.
bool imports(const Program& p, const std::string& a, const std::string& b) {
  return a != b && p.imported_modules(a).count(b) > 0;
}

}  // namespace

void Checker::declare(const std::string& name, SymbolKind kind, uint32_t index, Span span) {
  auto& table = kind == SymbolKind::Enum || kind == SymbolKind::Struct ? p_.type_names : p_.globals;
  auto [it, inserted] = table.emplace(name, Symbol{kind, index, span});
  if (inserted) return;
  // Across modules, the redefinition is the one in the module that imports
  // the other (a deployment redefining the policy's 计入收入), whatever the
  // order the files were read in.
  Span at = span, earlier = it->second.span;
  const ast::File* here = file_of(p_, span);
  const ast::File* there = file_of(p_, earlier);
  const bool across = here && there && here->module.text != there->module.text;
  uint32_t owner_fn = it->second.kind == SymbolKind::Function ? it->second.index : kNone;
  const bool there_imports_here = across && imports(p_, there->module.text, here->module.text);
  const bool layered = there_imports_here || (across && imports(p_, here->module.text, there->module.text));
  if (there_imports_here) {
    std::swap(at, earlier);
    std::swap(here, there);
    owner_fn = kind == SymbolKind::Function ? index : kNone;
  }
  auto& d = d_.report(DiagCode::E0102, at, {name});
  d.notes.push_back(make_note(DiagCode::N0401, earlier));
  // The way to change another module's definition in one place, when one
  // module builds on the other.
  if (layered && kind == SymbolKind::Function && it->second.kind == SymbolKind::Function && owner_fn != kNone) {
    const auto& f = p_.functions[owner_fn];
    const auto& params = f.def ? f.def->params : f.rule->params;
    std::string names;
    for (size_t i = 0; i < params.size(); ++i) names += (i ? ", " : "") + params[i].name.text;
    // In the keywords of the file the officer is writing.
    const std::string call = name + (names.empty() ? "" : "(" + names + ")");
    const std::string syntax = here->dialect == Dialect::En
                                   ? fmt::format("jurisdiction X {{ exception {} label when … then … }}", call)
                                   : fmt::format("辖区 X {{ 例外 {} 标签 当 … 则 … }}", call);
    d.notes.push_back(make_note(DiagCode::N0412, Span{}, {name, there->module.text, syntax}));
  }
}

void Checker::collect() {
  for (auto& file : p_.files) {
    const std::string& module = file.module.text;
    for (auto& node : file.items) {
      std::visit(
          [&](auto& item) {
            using T = std::decay_t<decltype(item)>;
            if constexpr (std::is_same_v<T, ast::EnumDecl>) {
              const auto idx = static_cast<uint32_t>(p_.enums.size());
              EnumInfo info{item.name.text, item.name.span, {}};
              for (uint32_t v = 0; v < item.values.size(); ++v) {
                const auto& val = item.values[v];
                for (uint32_t prev = 0; prev < v; ++prev)
                  if (item.values[prev].name.text == val.name.text) {
                    auto& d = d_.report(DiagCode::E0102, val.name.span, {val.name.text});
                    d.notes.push_back(make_note(DiagCode::N0401, item.values[prev].name.span));
                  }
                info.values.push_back(val.name.text);
                p_.enum_values[val.name.text].push_back({idx, v});
              }
              p_.enums.push_back(std::move(info));
              declare(item.name.text, SymbolKind::Enum, idx, item.name.span);
            } else if constexpr (std::is_same_v<T, ast::StructDecl>) {
              const auto idx = static_cast<uint32_t>(p_.structs.size());
              p_.structs.push_back(StructInfo{item.name.text, item.name.span, {}, &item});
              declare(item.name.text, SymbolKind::Struct, idx, item.name.span);
            } else if constexpr (std::is_same_v<T, ast::InputDecl>) {
              input_decls_.push_back(&item);
            } else if constexpr (std::is_same_v<T, ast::ParamDecl>) {
              const auto idx = static_cast<uint32_t>(p_.params.size());
              p_.params.push_back(ParamInfo{item.name.text, item.name.span, 0, cite_of(item.annos), {}, module});
              declare(item.name.text, SymbolKind::Param, idx, item.name.span);
            } else if constexpr (std::is_same_v<T, ast::JurisdictionDecl>) {
              juris_decls_.push_back({&item, module});
            } else if constexpr (std::is_same_v<T, ast::ConstraintDecl>) {
              p_.constraints.push_back(ConstraintInfo{&item, module, kNone, {}});
            } else if constexpr (std::is_same_v<T, ast::DefinitionDecl>) {
              const auto idx = static_cast<uint32_t>(p_.functions.size());
              FunctionInfo f{FunctionKind::Definition, item.name.text, item.name.span, module, {}, 0, {},
                             cite_of(item.annos), &item, nullptr, {}, {}};
              p_.functions.push_back(std::move(f));
              declare(item.name.text, SymbolKind::Function, idx, item.name.span);
            } else if constexpr (std::is_same_v<T, ast::RuleDecl>) {
              const auto idx = static_cast<uint32_t>(p_.functions.size());
              FunctionInfo f{FunctionKind::Rule, item.name.text, item.name.span, module, {}, 0, {},
                             cite_of(item.annos), nullptr, &item, {}, {}};
              p_.functions.push_back(std::move(f));
              declare(item.name.text, SymbolKind::Function, idx, item.name.span);
            } else if constexpr (std::is_same_v<T, ast::FlagDecl>) {
              const auto idx = static_cast<uint32_t>(p_.flags.size());
              p_.flags.push_back(FlagInfo{item.name.text, item.name.span, module, &item, {}});
              declare(item.name.text, SymbolKind::Flag, idx, item.name.span);
            } else if constexpr (std::is_same_v<T, ast::TestDecl>) {
              TestInfo t;
              t.decl = &item;
              t.module = module;
              p_.tests.push_back(std::move(t));
            }
          },
          node.item);
    }
  }
}

TypeId Checker::resolve_type(const ast::TypeRef& t) {
  TypeId base = TypeTable::kError;
  switch (t.kind) {
    case ast::TypeRef::Kind::Money:
      base = p_.types.money(t.unit == ast::Unit::YuanPerMonth  ? Period::Month
                            : t.unit == ast::Unit::YuanPerYear ? Period::Year
                                                               : Period::None);
      break;
    case ast::TypeRef::Kind::Months: base = TypeTable::kMonths; break;
    case ast::TypeRef::Kind::Days: base = TypeTable::kDays; break;
    case ast::TypeRef::Kind::List: {
      const TypeId e = resolve_type(*t.elem);
      base = e == TypeTable::kError ? e : p_.types.list_of(e);
      break;
    }
    case ast::TypeRef::Kind::Named: {
      for (const auto& b : kBuiltinTypes)
        if (t.name.text == b.zh || t.name.text == b.en) base = b.id;
      if (base != TypeTable::kError) break;
      auto it = p_.type_names.find(t.name.text);
      if (it != p_.type_names.end() && it->second.kind == SymbolKind::Enum) {
        base = p_.types.enum_type(it->second.index);
      } else if (it != p_.type_names.end() && it->second.kind == SymbolKind::Struct) {
        base = p_.types.struct_type(it->second.index);
      } else {
        auto& d = d_.report(DiagCode::E0105, t.name.span, {t.name.text});
        std::vector<std::string> names;
        for (const auto& b : kBuiltinTypes) names.push_back(b.zh);
        for (const auto& [n, sym] : p_.type_names) names.push_back(n);
        if (auto s = closest_name(t.name.text, names); !s.empty())
          d.notes.push_back(make_note(DiagCode::N0402, Span{}, {s}));
      }
      break;
    }
  }
  if (t.optional && base != TypeTable::kError) {
    const auto k = p_.types.kind(base);
    if (k == TypeKind::List || k == TypeKind::Ratio || k == TypeKind::Struct) {
      d_.report(DiagCode::E0213, t.span, {p_.type_name_both(base)});
      return TypeTable::kError;
    }
    return p_.types.optional_of(base);
  }
  return base;
}

void Checker::resolve_signatures() {
  for (auto& s : p_.structs) {
    for (auto& f : s.decl->fields) {
      for (const auto& other : s.fields)
        if (other.name == f.name.text) {
          auto& d = d_.report(DiagCode::E0102, f.name.span, {f.name.text});
          d.notes.push_back(make_note(DiagCode::N0401, other.decl->name.span));
        }
      s.fields.push_back(FieldInfo{f.name.text, resolve_type(f.type), f.sensitive, &f, std::nullopt, f.signed_});
      // The decision log replaces sensitive values by a keyed hash, which is text.
      const TypeId ft = s.fields.back().type;
      if (f.sensitive && ft != TypeTable::kError && p_.types.unwrap(ft) != TypeTable::kText)
        d_.report(DiagCode::E0218, f.name.span, {f.name.text, p_.type_name_both(ft)});
      if (f.signed_ && ft != TypeTable::kError && !p_.types.can_be_negative(ft))
        d_.report(DiagCode::E0219, f.name.span, {f.name.text, p_.type_name_both(ft)});
    }
  }
  for (auto* in : input_decls_) {
    if (p_.input) {
      auto& d = d_.report(DiagCode::E0125, in->name.span);
      d.notes.push_back(make_note(DiagCode::N0401, p_.input->span));
      continue;
    }
    p_.input = InputInfo{in->name.text, in->name.span, resolve_type(in->type)};
    declare(in->name.text, SymbolKind::Input, 0, in->name.span);
  }
  for (auto& file : p_.files)
    for (auto& node : file.items)
      if (auto* pd = std::get_if<ast::ParamDecl>(&node.item))
        p_.params[p_.globals.at(pd->name.text).index].type = resolve_type(pd->type);
  for (auto& f : p_.functions) {
    const auto& params = f.def ? f.def->params : f.rule->params;
    for (const auto& prm : params) f.params.push_back(LocalVar{prm.name.text, resolve_type(prm.type)});
    f.result = resolve_type(f.def ? f.def->type : f.rule->type);
    f.local_vars = f.params;
    if (f.rule)
      for (auto& b : f.rule->branches)
        f.branches.push_back(BranchInfo{b.is_default, b.label.text, b.overrides, b.condition.get(), b.value.get(),
                                        &b.annos, b.span, b.label.span, kNone, f.module, nullptr});
  }
}

void Checker::resolve_jurisdictions() {
  // Every block names a jurisdiction; at most one distinct parent per name.
  for (auto& [decl, module] : juris_decls_) {
    if (!p_.jurisdiction_index.count(decl->name.text)) {
      p_.jurisdiction_index[decl->name.text] = static_cast<uint32_t>(p_.jurisdictions.size());
      p_.jurisdictions.push_back(JurisdictionInfo{decl->name.text, decl->name.span, false, kNone, {}});
    }
  }
  // A jurisdiction declared `仅供测试` is a test fixture: static checks leave
  // it alone (tests may set values that break rules). Said explicitly, so a
  // deployment that keeps its tests beside its values is still checked.
  for (auto& [decl, module] : juris_decls_)
    if (decl->test_only) p_.jurisdictions[p_.jurisdiction_index.at(decl->name.text)].test_fixture = true;
  std::vector<std::string> parent_names(p_.jurisdictions.size());
  for (auto& [decl, module] : juris_decls_) {
    if (!decl->parent) continue;
    const uint32_t j = p_.jurisdiction_index.at(decl->name.text);
    auto& info = p_.jurisdictions[j];
    const uint32_t parent = p_.find_jurisdiction(decl->parent->text);
    if (parent == kNone) {
      auto& d = d_.report(DiagCode::E0106, decl->parent->span, {decl->parent->text});
      std::vector<std::string> names;
      for (const auto& x : p_.jurisdictions) names.push_back(x.name);
      if (auto s = closest_name(decl->parent->text, names); !s.empty())
        d.notes.push_back(make_note(DiagCode::N0402, Span{}, {s}));
      continue;
    }
    if (info.parent != kNone && info.parent != parent) {
      // Reported in the module that imports the other (a deployment giving
      // the policy's county another parent), whatever the reading order;
      // the imported declaration stands.
      const ast::File* here = file_of(p_, decl->parent->span);
      const ast::File* there = file_of(p_, info.parent_span);
      const bool earlier_imports = here && there && imports(p_, there->module.text, here->module.text);
      const Span at = earlier_imports ? info.parent_span : decl->parent->span;
      const Span other = earlier_imports ? decl->parent->span : info.parent_span;
      const std::string kept = earlier_imports ? decl->parent->text : p_.jurisdictions[info.parent].name;
      const std::string refused = earlier_imports ? p_.jurisdictions[info.parent].name : decl->parent->text;
      auto& d = d_.report(DiagCode::E0107, at, {info.name, kept, refused});
      d.notes.push_back(make_note(DiagCode::N0413, other, {info.name}));
      if (earlier_imports) {
        info.parent = parent;
        info.parent_span = decl->parent->span;
      }
      continue;
    }
    info.parent = parent;
    info.parent_span = decl->parent->span;
  }
  // A block without 上级 that sets values for a name no one declares is a
  // new top-level jurisdiction, which is what a typo for a county in the
  // tree looks like (`泾原县` for `泾源县`), or a county the tree does not
  // have: its values would silently apply to nothing the policy knows.
  // Where the rules have a jurisdiction tree, refuse it (with the closest
  // name in the tree, if any). A real top level has jurisdictions below it;
  // a module with no tree at all (a rule of its own, `辖区 bench { … }`)
  // keeps its one jurisdiction.
  std::vector<std::string> in_tree;
  std::set<uint32_t> parents;
  for (const auto& x : p_.jurisdictions)
    if (x.parent != kNone) {
      in_tree.push_back(x.name);
      parents.insert(x.parent);
    }
  std::set<uint32_t> refused;
  for (auto& [decl, module] : juris_decls_) {
    const uint32_t j = p_.jurisdiction_index.at(decl->name.text);
    if (decl->parent || (decl->values.empty() && decl->exceptions.empty()) || p_.jurisdictions[j].parent != kNone || parents.count(j) ||
        refused.count(j))
      continue;
    if (in_tree.empty()) continue;
    auto& d = d_.report(DiagCode::E0129, decl->name.span, {decl->name.text});
    if (auto s = closest_name(decl->name.text, in_tree); !s.empty())
      d.notes.push_back(make_note(DiagCode::N0402, Span{}, {s}));
    refused.insert(j);
  }
  for (uint32_t j = 0; j < p_.jurisdictions.size(); ++j) {
    uint32_t cur = p_.jurisdictions[j].parent;
    for (size_t steps = 0; cur != kNone; ++steps) {
      if (cur == j || steps > p_.jurisdictions.size()) {
        d_.report(DiagCode::E0108, p_.jurisdictions[j].parent_span, {p_.jurisdictions[j].name});
        p_.jurisdictions[j].parent = kNone;
        break;
      }
      cur = p_.jurisdictions[cur].parent;
    }
  }
}

}  // namespace doudi::check_detail
