#include "compiler/resolve/program.h"

namespace doudi {

bool FieldInfo::required() const { return decl != nullptr && !decl->default_value && !decl->type.optional; }

uint32_t StructInfo::field_index(const std::string& n) const {
  for (uint32_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == n) return i;
  return kNone;
}

std::string Program::type_name(TypeId t, Lang lang) const {
  const bool zh = lang == Lang::Zh;
  const Type& ty = types.get(t);
  switch (ty.kind) {
    case TypeKind::Unchecked:
    case TypeKind::Error: return "?";
    case TypeKind::Int: return zh ? "整数" : "int";
    case TypeKind::Ratio: return zh ? "比例" : "ratio";
    case TypeKind::Bool: return zh ? "布尔" : "bool";
    case TypeKind::Text: return zh ? "文本" : "text";
    case TypeKind::Date: return zh ? "日期" : "date";
    case TypeKind::YearMonth: return zh ? "年月" : "yearmonth";
    case TypeKind::Months: return zh ? "月" : "months";
    case TypeKind::Days: return zh ? "日" : "days";
    case TypeKind::Money:
      switch (ty.period) {
        case Period::None: return zh ? "元" : "yuan";
        case Period::Month: return zh ? "元/月" : "yuan/month";
        case Period::Year: return zh ? "元/年" : "yuan/year";
      }
      return "";
    case TypeKind::Enum: return enums[ty.ref].name;
    case TypeKind::Struct: return structs[ty.ref].name;
    case TypeKind::List: return (zh ? "列表<" : "list<") + type_name(ty.elem, lang) + ">";
    case TypeKind::Optional: return type_name(ty.elem, lang) + "?";
    case TypeKind::Set: return "{" + type_name(ty.elem, lang) + "}";
  }
  return "?";
}

std::string Program::type_name_both(TypeId t) const {
  const std::string zh = type_name(t, Lang::Zh), en = type_name(t, Lang::En);
  return zh == en ? zh : bilingual(zh, en);
}

uint32_t Program::find_jurisdiction(const std::string& name) const {
  auto it = jurisdiction_index.find(name);
  return it == jurisdiction_index.end() ? kNone : it->second;
}

std::vector<uint32_t> Program::jurisdiction_chain(uint32_t j) const {
  std::vector<uint32_t> chain;
  while (j != kNone && chain.size() <= jurisdictions.size()) {
    chain.push_back(j);
    j = jurisdictions[j].parent;
  }
  return chain;
}

const ast::File* Program::file_of_module(const std::string& module) const {
  for (const auto& f : files)
    if (f.module.text == module) return &f;
  return nullptr;
}

}  // namespace doudi
