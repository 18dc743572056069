#include "compiler/index/name_index.h"

#include <algorithm>
#include <tuple>
#include <type_traits>

namespace doudi {
namespace {

class Indexer {
 public:
  Indexer(const Program& p, std::vector<NameOccurrence>& out) : p_(p), out_(out) {}

  void file(const ast::File& f, uint32_t file_index) {
    add(f.module.span, {NameKind::Module, file_index, 0}, true);
    for (const auto& imp : f.imports) module_use(imp);
    for (const auto& node : f.items) std::visit([&](const auto& item) { this->item(item); }, node.item);
  }

 private:
  void add(const Span& span, NameRef ref, bool declaration = false, TypeId type = 0) {
    if (span.valid() && span.end > span.begin) out_.push_back({span, ref, declaration, type});
  }

  void module_use(const ast::Name& n) {
    for (uint32_t i = 0; i < p_.files.size(); ++i)
      if (p_.files[i].module.text == n.text) return add(n.span, {NameKind::Module, i, 0});
  }

  // A value's name: a parameter, a definition or rule, a flag, the input.
  void global(const ast::Name& n, bool declaration = false) {
    auto it = p_.globals.find(n.text);
    if (it == p_.globals.end()) return;
    switch (it->second.kind) {
      case SymbolKind::Param: return add(n.span, {NameKind::Param, it->second.index, 0}, declaration);
      case SymbolKind::Function: return add(n.span, {NameKind::Function, it->second.index, 0}, declaration);
      case SymbolKind::Flag: return add(n.span, {NameKind::Flag, it->second.index, 0}, declaration);
      case SymbolKind::Input: return add(n.span, {NameKind::Input, 0, 0}, declaration);
      default: return;
    }
  }

  void jurisdiction(const ast::Name& n, bool declaration = false) {
    if (auto j = p_.find_jurisdiction(n.text); j != kNone) add(n.span, {NameKind::Jurisdiction, j, 0}, declaration);
  }

  void type(const ast::TypeRef& t) {
    if (t.kind == ast::TypeRef::Kind::List && t.elem) return type(*t.elem);
    if (t.kind != ast::TypeRef::Kind::Named) return;
    auto it = p_.type_names.find(t.name.text);
    if (it == p_.type_names.end()) return;
    add(t.name.span, {it->second.kind == SymbolKind::Enum ? NameKind::Enum : NameKind::Struct, it->second.index, 0});
  }

  // The struct a type is (through an optional), or kNone.
  uint32_t struct_of(TypeId t) const {
    if (t == 0) return kNone;
    const TypeId bare = p_.types.unwrap(t);
    return p_.types.kind(bare) == TypeKind::Struct ? p_.types.get(bare).ref : kNone;
  }

  void expr(const ast::Expr* e) {
    if (!e) return;
    using ast::ExprKind;
    using ast::RefKind;
    switch (e->ref) {
      case RefKind::Local: add(e->name.span, {NameKind::Local, scope_, e->ref_sub}, false, e->type); break;
      case RefKind::Input: add(e->name.span, {NameKind::Input, 0, 0}, false, e->type); break;
      case RefKind::Param: add(e->name.span, {NameKind::Param, e->ref_index, 0}, false, e->type); break;
      case RefKind::Definition:
      case RefKind::Rule: add(e->name.span, {NameKind::Function, e->ref_index, 0}, false, e->type); break;
      case RefKind::EnumValue:
        add(e->name.span, {NameKind::EnumValue, e->ref_index, e->ref_sub});
        // `枚举名.值`: the enum's name too.
        if (e->kind == ExprKind::Field && !e->kids.empty() && e->kids[0]->kind == ExprKind::Name)
          add(e->kids[0]->name.span, {NameKind::Enum, e->ref_index, 0});
        break;
      default: break;
    }
    if (e->kind == ExprKind::Field && e->ref == RefKind::None && !e->kids.empty()) {
      const uint32_t s = struct_of(e->kids[0]->type);
      if (s != kNone && e->ref_index == s && e->ref_sub < p_.structs[s].fields.size())
        add(e->name.span, {NameKind::Field, s, e->ref_sub}, false, e->type);
    }
    if ((e->kind == ExprKind::Aggregate || e->kind == ExprKind::CountWhere) && e->type != 0)
      add(e->name.span, {NameKind::Local, scope_, e->ref_sub}, true);
    if (e->kind == ExprKind::Record) {
      const uint32_t s = struct_of(e->type);
      if (s != kNone)
        for (const auto& k : e->keys)
          if (auto fi = p_.structs[s].field_index(k.text); fi != kNone) add(k.span, {NameKind::Field, s, fi});
    }
    for (const auto& kid : e->kids) expr(kid.get());
  }

  void params(const std::vector<ast::Parameter>& ps) {
    for (uint32_t i = 0; i < ps.size(); ++i) {
      type(ps[i].type);
      add(ps[i].name.span, {NameKind::Local, scope_, i}, true);
    }
  }

  void value_setting(const ast::ValueSetting& v) {
    global(v.param);
    expr(v.value.get());
  }

  void item(const ast::ModuleDecl&) {}
  void item(const ast::ImportDecl&) {}
  void item(const ast::EnumDecl& d) {
    auto it = p_.type_names.find(d.name.text);
    if (it == p_.type_names.end() || it->second.kind != SymbolKind::Enum) return;
    add(d.name.span, {NameKind::Enum, it->second.index, 0}, true);
    for (uint32_t v = 0; v < d.values.size(); ++v) add(d.values[v].name.span, {NameKind::EnumValue, it->second.index, v}, true);
  }
  void item(const ast::StructDecl& d) {
    auto it = p_.type_names.find(d.name.text);
    if (it == p_.type_names.end() || it->second.kind != SymbolKind::Struct) return;
    add(d.name.span, {NameKind::Struct, it->second.index, 0}, true);
    for (uint32_t f = 0; f < d.fields.size(); ++f) {
      add(d.fields[f].name.span, {NameKind::Field, it->second.index, f}, true);
      type(d.fields[f].type);
      expr(d.fields[f].default_value.get());
    }
  }
  void item(const ast::InputDecl& d) {
    add(d.name.span, {NameKind::Input, 0, 0}, true);
    type(d.type);
  }
  void item(const ast::ParamDecl& d) {
    global(d.name, true);
    type(d.type);
    // `参数 X : T = v`: the value's name is the declaration's own.
    if (d.value) expr(d.value->value.get());
  }
  void item(const ast::JurisdictionDecl& d) {
    jurisdiction(d.name, true);
    if (d.parent) jurisdiction(*d.parent);
    for (const auto& v : d.values) value_setting(v);
    for (const auto& x : d.exceptions) {
      ++scope_;
      global(x.target);
      for (uint32_t i = 0; i < x.params.size(); ++i) add(x.params[i].span, {NameKind::Local, scope_, i}, true);
      expr(x.branch.condition.get());
      expr(x.branch.value.get());
    }
  }
  void item(const ast::ConstraintDecl& d) {
    ++scope_;
    if (d.jurisdiction) jurisdiction(*d.jurisdiction);
    expr(d.expr.get());
  }
  void item(const ast::DefinitionDecl& d) {
    ++scope_;
    global(d.name, true);
    params(d.params);
    type(d.type);
    expr(d.body.get());
  }
  void item(const ast::RuleDecl& d) {
    ++scope_;
    global(d.name, true);
    params(d.params);
    type(d.type);
    for (const auto& b : d.branches) {
      expr(b.condition.get());
      expr(b.value.get());
    }
  }
  void item(const ast::FlagDecl& d) {
    ++scope_;
    global(d.name, true);
    expr(d.condition.get());
  }
  void item(const ast::TestDecl& d) {
    ++scope_;
    jurisdiction(d.jurisdiction);
    for (const auto& s : d.stmts) {
      if (s.kind != ast::TestStmt::Kind::ExpectConstraint) global(s.name);
      expr(s.value.get());
    }
  }

  const Program& p_;
  std::vector<NameOccurrence>& out_;
  uint32_t scope_ = 0;
};

}  // namespace

NameIndex::NameIndex(const Program& program) : program_(program) {
  Indexer indexer(program, names_);
  for (uint32_t i = 0; i < program.files.size(); ++i) indexer.file(program.files[i], i);
  // Declarations first where two occurrences share a place.
  std::stable_sort(names_.begin(), names_.end(), [](const NameOccurrence& x, const NameOccurrence& y) {
    return std::make_tuple(x.span.file, x.span.begin, !x.declaration) < std::make_tuple(y.span.file, y.span.begin, !y.declaration);
  });
}

const NameOccurrence* NameIndex::at(FileId file, uint32_t offset) const {
  auto it = std::upper_bound(names_.begin(), names_.end(), std::make_pair(file, offset),
                             [](const std::pair<FileId, uint32_t>& key, const NameOccurrence& n) {
                               return std::tie(key.first, key.second) < std::tie(n.span.file, n.span.begin);
                             });
  if (it == names_.begin()) return nullptr;
  --it;
  // Of several at one place, the first (a declaration, when there is one).
  while (it != names_.begin() && std::prev(it)->span.file == it->span.file && std::prev(it)->span.begin == it->span.begin)
    --it;
  return it->span.file == file && offset <= it->span.end ? &*it : nullptr;
}

std::vector<const NameOccurrence*> NameIndex::occurrences(const NameRef& ref) const {
  std::vector<const NameOccurrence*> out;
  for (const auto& n : names_)
    if (n.ref == ref) out.push_back(&n);
  std::stable_partition(out.begin(), out.end(), [](const NameOccurrence* n) { return n->declaration; });
  return out;
}

const NameOccurrence* NameIndex::declaration(const NameRef& ref) const {
  for (const auto& n : names_)
    if (n.ref == ref && n.declaration) return &n;
  return nullptr;
}

std::string NameIndex::name(const NameRef& ref) const {
  const Program& p = program_;
  switch (ref.kind) {
    case NameKind::Module: return p.files[ref.a].module.text;
    case NameKind::Enum: return p.enums[ref.a].name;
    case NameKind::EnumValue: return p.enums[ref.a].values[ref.b];
    case NameKind::Struct: return p.structs[ref.a].name;
    case NameKind::Field: return p.structs[ref.a].fields[ref.b].name;
    case NameKind::Input: return p.input ? p.input->name : "";
    case NameKind::Param: return p.params[ref.a].name;
    case NameKind::Function: return p.functions[ref.a].name;
    case NameKind::Flag: return p.flags[ref.a].name;
    case NameKind::Jurisdiction: return p.jurisdictions[ref.a].name;
    case NameKind::Local:
      if (const NameOccurrence* d = declaration(ref)) return std::string(p.sm.slice(d->span));
      return "";
  }
  return "";
}

}  // namespace doudi
