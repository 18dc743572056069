// A jurisdiction's own exceptions to a rule or definition of the policy it
// deploys: `辖区 会宁县 { 例外 计入收入(m) 本县奖励不计入 当 … 则 … }`.
// They join the target's branches (a definition's body becomes its default),
// so every output that reads the target sees the local version in that
// jurisdiction and below only, precedence and conflicts work as for the
// policy's own exceptions, and check proves them like any other.
#include <fmt/format.h>

#include "compiler/sema/checker_internal.h"

namespace doudi::check_detail {

void Checker::attach_local_exceptions() {
  for (auto& [decl, module] : juris_decls_) {
    const uint32_t j = p_.find_jurisdiction(decl->name.text);
    for (auto& x : decl->exceptions) {
      auto it = p_.globals.find(x.target.text);
      if (it == p_.globals.end()) {
        std::vector<LocalVar> none;
        Scope s;
        s.locals = &none;
        unknown_name(x.target, s);
        continue;
      }
      if (it->second.kind != SymbolKind::Function) {
        d_.report(DiagCode::E0130, x.target.span, {x.target.text});
        continue;
      }
      auto& f = p_.functions[it->second.index];
      if (x.params.size() != f.params.size()) {
        std::string signature, names;
        for (size_t i = 0; i < f.params.size(); ++i) {
          signature += fmt::format("{}{} {}", i ? ", " : "", p_.type_name(f.params[i].type, Lang::Zh), f.params[i].name);
          names += (i ? ", " : "") + f.params[i].name;
        }
        auto& d = d_.report(DiagCode::E0131, x.target.span,
                            {x.target.text, std::to_string(f.params.size()), signature, names});
        d.notes.push_back(make_note(DiagCode::N0413, f.span, {f.name}));
        continue;
      }
      if (f.branches.empty()) {
        // A definition: its body is the default the exceptions override.
        f.branches.push_back(BranchInfo{true, "", {}, nullptr, f.def->body.get(), &f.def->annos, f.def->body->span,
                                        Span{}, kNone, f.module, nullptr});
      }
      auto& b = x.branch;
      f.branches.push_back(BranchInfo{false, b.label.text, b.overrides, b.condition.get(), b.value.get(), &b.annos,
                                      b.span, b.label.span, j, module, &x});
    }
  }
}

}  // namespace doudi::check_detail
