#include "tools/lsp/lsp_json.h"

#include <fmt/format.h>

#include "tools/lsp/quick_fixes.h"

namespace doudi::lsp {

using Json = nlohmann::json;

Json position_json(Position p) { return Json{{"line", p.line}, {"character", p.character}}; }

Json range_json(const SourceManager& sm, const Span& span) {
  const std::string& text = sm.file(span.file).text();
  return Json{{"start", position_json(position_of(text, span.begin))}, {"end", position_json(position_of(text, span.end))}};
}

Json location_json(const SourceManager& sm, const Span& span) {
  return Json{{"uri", uri_of_path(sm.file(span.file).path())}, {"range", range_json(sm, span)}};
}

int symbol_kind_of(NameKind k) {
  using namespace symbol_kind;
  switch (k) {
    case NameKind::Module: return kModule;
    case NameKind::Enum: return kEnum;
    case NameKind::EnumValue: return kEnumMember;
    case NameKind::Struct: return kStruct;
    case NameKind::Field: return kField;
    case NameKind::Param: return kConstant;
    case NameKind::Function: return kFunction;
    case NameKind::Flag: return kEvent;
    case NameKind::Jurisdiction: return kNamespace;
    case NameKind::Input:
    case NameKind::Local: return kVariable;
  }
  return kVariable;
}

uint32_t offset_in(const std::string& text, const Json& position) {
  return offset_of(text, Position{position.at("line").get<uint32_t>(), position.at("character").get<uint32_t>()});
}

Json diagnostic_json(const Diagnostic& d, const SourceManager& sm, FileId here, Lang lang) {
  const Json top{{"start", position_json({0, 0})}, {"end", position_json({0, 0})}};
  Json out{{"severity", d.severity() == Severity::Error ? 1 : d.severity() == Severity::Warning ? 2 : 3},
           {"code", diag_info(d.code).code},
           {"source", "doudi"}};
  std::string message = d.message(lang);
  if (d.span.valid() && d.span.file == here) {
    out["range"] = range_json(sm, d.span);
  } else {
    out["range"] = top;
    if (d.span.valid()) {
      const SourceFile& f = sm.file(d.span.file);
      const LineCol at = f.line_col(d.span.begin);
      message = fmt::format("{}:{}:{}: {}", f.path(), at.line, at.column, message);
    }
  }
  Json related = Json::array();
  for (const Diagnostic& n : d.notes) {
    if (n.span.valid()) related.push_back(Json{{"location", location_json(sm, n.span)}, {"message", n.message(lang)}});
    // A counterexample household (a note with data) is shown where the finding is.
    else if (!n.data_json.empty() && d.span.valid())
      related.push_back(Json{{"location", location_json(sm, d.span)}, {"message", n.message(lang)}});
    else message += "\n" + n.message(lang);
  }
  if (!d.data_json.empty() && d.span.valid())
    related.push_back(Json{{"location", location_json(sm, d.span)},
                           {"message", (lang == Lang::Zh ? "反例家庭：" : "counterexample household: ") + d.data_json}});
  out["message"] = message;
  if (!related.empty()) out["relatedInformation"] = related;
  return out;
}

Json diagnostics_json(const Analysis& a, const Document& doc, Lang lang) {
  Json list = Json::array();
  if (!a.compilation) return list;
  const FileId here = a.file_of(doc.path);
  for (const Diagnostic& d : a.compilation->diags.all()) {
    Json out = diagnostic_json(d, a.compilation->sources, here, lang);
    if (Json fixes = quick_fixes(a, doc, d, lang); !fixes.empty()) out["data"] = Json{{"fixes", fixes}};
    list.push_back(std::move(out));
  }
  return list;
}

}  // namespace doudi::lsp
