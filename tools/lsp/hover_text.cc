#include "tools/lsp/hover_text.h"

#include <fmt/format.h>

#include "runtime/value/calendar.h"

namespace doudi::lsp {
namespace {

std::string citations(const CitationRef& c) {
  std::string out;
  for (const auto& x : c.citations) out += fmt::format("【{}】", x.text);
  for (const auto& n : c.notes) out += (out.empty() ? "" : "\n\n") + n.text;
  return out;
}

std::string where(const Program& p, const Span& span) {
  if (!span.valid()) return "";
  const SourceFile& f = p.sm.file(span.file);
  return fmt::format("{}:{}", f.path(), f.line_col(span.begin).line);
}

// The comment lines directly above `span`'s line, and one at the end of it.
std::string comment_of(const Program& p, const Span& span) {
  if (!span.valid()) return "";
  const ast::File* file = nullptr;
  for (const auto& f : p.files)
    if (f.file == span.file) file = &f;
  if (!file) return "";
  const SourceFile& sf = p.sm.file(span.file);
  const uint32_t line = sf.line_col(span.begin).line;
  std::vector<std::string> above;
  std::string after;
  for (auto it = file->comments.rbegin(); it != file->comments.rend(); ++it) {
    const uint32_t at = sf.line_col(it->span.begin).line;
    if (at == line && it->span.begin > span.begin) after = it->text;
    if (at == line - 1 - above.size() && sf.line_col(it->span.begin).column == sf.line_col(span.begin).column)
      above.insert(above.begin(), it->text);
  }
  std::string out;
  for (const auto& l : above) out += l + "\n";
  out += after;
  // Without the leading '#'.
  std::string clean;
  for (size_t start = 0; start < out.size();) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string l = out.substr(start, end - start);
    size_t k = l.find_first_not_of("# ");
    if (!l.empty()) clean += (clean.empty() ? "" : " ") + (k == std::string::npos ? "" : l.substr(k));
    start = end + 1;
  }
  return clean;
}

}  // namespace

std::string hover_text(const Program& p, const NameIndex& names, const NameRef& ref, Lang lang) {
  const bool zh = lang == Lang::Zh;
  auto head = [&](const char* zh_kind, const char* en_kind, const std::string& rest) {
    return fmt::format("**{}** `{}`{}", zh ? zh_kind : en_kind, names.name(ref), rest);
  };
  auto typed = [&](TypeId t) { return t ? fmt::format(" : {}", p.type_name(t, lang)) : std::string(); };
  switch (ref.kind) {
    case NameKind::Param: {
      const ParamInfo& param = p.params[ref.a];
      std::string out = head("参数", "parameter", typed(param.type));
      if (auto c = citations(param.cite); !c.empty()) out += "\n\n" + c;
      out += zh ? "\n\n**设定的值**（按辖区，含日期与依据）：" : "\n\n**Values set** (by jurisdiction, with dates and citations):";
      if (param.values.empty()) out += zh ? "\n\n（没有设定任何值）" : "\n\n(no value is set)";
      for (const auto& v : param.values) {
        const std::string j = v.jurisdiction == kNone ? (zh ? "全国（声明处）" : "everywhere (at the declaration)")
                                                      : p.jurisdictions[v.jurisdiction].name;
        const std::string from = v.from ? format_date(*v.from) : (zh ? "始终" : "always");
        const std::string until = v.until ? format_date(*v.until) : "";
        out += fmt::format("\n- {}，{}{}{}：`{}` （{}）", j, from, until.empty() ? "" : " – ", until,
                           std::string(p.sm.slice(v.span)), where(p, v.span));
      }
      return out;
    }
    case NameKind::Function: {
      const FunctionInfo& f = p.functions[ref.a];
      std::string params;
      for (size_t i = 0; i < f.params.size(); ++i)
        params += fmt::format("{}{} : {}", i ? ", " : "", f.params[i].name, p.type_name(f.params[i].type, lang));
      std::string out = f.kind == FunctionKind::Rule ? head("规则", "rule", "") : head("定义", "definition", "");
      if (!f.params.empty()) out += "(" + params + ")";
      out += typed(f.result);
      if (f.params.empty()) out += zh ? "（输出）" : " (an output)";
      if (auto c = citations(f.cite); !c.empty()) out += "\n\n" + c;
      out += fmt::format("\n\n{} {}", zh ? "模块" : "module", f.module);
      return out;
    }
    case NameKind::Field: {
      const FieldInfo& field = p.structs[ref.a].fields[ref.b];
      std::string out = fmt::format("**{}** `{}.{}`{}", zh ? "字段" : "field", p.structs[ref.a].name, field.name, typed(field.type));
      if (field.sensitive) out += zh ? "（敏感）" : " (sensitive)";
      if (field.decl) {
        if (auto c = citations(cite_of(field.decl->annos)); !c.empty()) out += "\n\n" + c;
        if (auto c = comment_of(p, field.decl->span); !c.empty()) out += "\n\n" + c;
      }
      return out;
    }
    case NameKind::Struct: {
      std::string out = head("结构", "structure", "");
      if (auto* d = p.structs[ref.a].decl) {
        if (auto c = citations(cite_of(d->annos)); !c.empty()) out += "\n\n" + c;
      }
      return out;
    }
    case NameKind::Enum: {
      std::string values;
      for (const auto& v : p.enums[ref.a].values) values += (values.empty() ? "" : " / ") + v;
      return head("枚举", "enumeration", "") + "\n\n" + values;
    }
    case NameKind::EnumValue: return head("枚举值", "enumeration value", fmt::format(" ({})", p.enums[ref.a].name));
    case NameKind::Input: return head("输入", "input", p.input ? typed(p.input->type) : "");
    case NameKind::Flag: return head("审核标记", "review flag", "");
    case NameKind::Jurisdiction: {
      const JurisdictionInfo& j = p.jurisdictions[ref.a];
      std::string out = head("辖区", "jurisdiction", "");
      if (j.parent != kNone) out += (zh ? "，属于 " : ", within ") + p.jurisdictions[j.parent].name;
      if (j.test_fixture) out += zh ? "（仅供测试）" : " (for tests only)";
      return out;
    }
    case NameKind::Module: return head("模块", "module", "") + "\n\n" + p.sm.file(p.files[ref.a].file).path();
    case NameKind::Local: return head("局部名称", "local name", "");
  }
  return "";
}

}  // namespace doudi::lsp
