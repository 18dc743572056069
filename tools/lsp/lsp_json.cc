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

uint32_t offset_in(const std::string& text, const Json& position) {
  return offset_of(text, Position{position.at("line").get<uint32_t>(), position.at("character").get<uint32_t>()});
}

Json diagnostics_json(const Analysis& a, const Document& doc, Lang lang) {
  Json list = Json::array();
  if (!a.compilation) return list;
  const SourceManager& sm = a.compilation->sources;
  const FileId here = a.file_of(doc.path);
  const Json top{{"start", position_json({0, 0})}, {"end", position_json({0, 0})}};
  for (const Diagnostic& d : a.compilation->diags.all()) {
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
    out["message"] = message;
    Json related = Json::array();
    for (const Diagnostic& n : d.notes) {
      if (n.span.valid()) related.push_back(Json{{"location", location_json(sm, n.span)}, {"message", n.message(lang)}});
      else out["message"] = out["message"].get<std::string>() + "\n" + n.message(lang);
    }
    if (!related.empty()) out["relatedInformation"] = related;
    if (Json fixes = quick_fixes(a, doc, d, lang); !fixes.empty()) out["data"] = Json{{"fixes", fixes}};
    list.push_back(std::move(out));
  }
  return list;
}

}  // namespace doudi::lsp
