#include "compiler/sema/program.h"

#include "runtime/ir/jurisdiction_tree.h"

namespace doudi {

bool FieldInfo::required() const { return decl != nullptr && !decl->default_value && !decl->type.optional; }

uint32_t StructInfo::field_index(const std::string& n) const {
  for (uint32_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == n) return i;
  return kNone;
}

std::string Program::type_name(TypeId t, Lang lang) const {
  return type_display_name(
      types, t, lang == Lang::Zh,
      [](const void* ctx, TypeKind kind, uint32_t i) {
        const auto* p = static_cast<const Program*>(ctx);
        return kind == TypeKind::Enum ? p->enums[i].name : p->structs[i].name;
      },
      this);
}

std::string Program::type_name_both(TypeId t) const {
  const std::string zh = type_name(t, Lang::Zh), en = type_name(t, Lang::En);
  return zh == en ? zh : bilingual(zh, en);
}

const ParamValue* Program::value_in_force(uint32_t param, uint32_t j, int64_t day) const {
  const auto& values = params[param].values;
  const uint32_t i = doudi::value_in_force(
      values, j, day, jurisdictions.size(), [this](uint32_t k) { return jurisdictions[k].parent; },
      [](const ParamValue& v) { return v.jurisdiction; },
      [](const ParamValue& v, int64_t d) { return v.from.value_or(INT64_MIN) <= d && d <= v.until.value_or(INT64_MAX); });
  return i == kEverywhere ? nullptr : &values[i];
}

uint32_t Program::find_jurisdiction(const std::string& name) const {
  auto it = jurisdiction_index.find(name);
  return it == jurisdiction_index.end() ? kNone : it->second;
}

std::vector<uint32_t> Program::jurisdiction_chain(uint32_t j) const {
  std::vector<uint32_t> chain;
  walk_up(j, jurisdictions.size(), [this](uint32_t k) { return jurisdictions[k].parent; }, [&](uint32_t k) {
    chain.push_back(k);
    return false;
  });
  return chain;
}

bool Program::is_within(uint32_t j, uint32_t ancestor) const {
  return doudi::is_within(j, ancestor, jurisdictions.size(), [this](uint32_t k) { return jurisdictions[k].parent; });
}

const ast::File* Program::file_of_module(const std::string& module) const {
  for (const auto& f : files)
    if (f.module.text == module) return &f;
  return nullptr;
}

std::set<std::string> Program::imported_modules(const std::string& from) const {
  std::set<std::string> out{from};
  std::vector<std::string> pending{from};
  while (!pending.empty()) {
    const std::string m = pending.back();
    pending.pop_back();
    if (const auto* file = file_of_module(m))
      for (const auto& imp : file->imports)
        if (out.insert(imp.text).second) pending.push_back(imp.text);
  }
  return out;
}

std::set<std::string> Program::output_modules() const { return imported_modules(root_module); }

std::set<std::string> Program::deployment_modules() const {
  std::set<std::string> with_rules;
  for (const auto& f : functions)
    if (f.rule) with_rules.insert(f.module);
  std::set<std::string> out{root_module};
  for (const auto& m : imported_modules(root_module))
    if (!with_rules.count(m)) out.insert(m);
  return out;
}

}  // namespace doudi
