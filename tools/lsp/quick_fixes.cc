#include "tools/lsp/quick_fixes.h"

#include "compiler/parse/token_classes.h"
#include "tools/lsp/lsp_json.h"

namespace doudi::lsp {
namespace {

using Json = nlohmann::json;

const ast::File* file_ast(const Analysis& a, FileId file) {
  if (!a.compilation->program) return nullptr;
  for (const auto& f : a.compilation->program->files)
    if (f.file == file) return &f;
  return nullptr;
}

Json insert_at(const std::string& text, uint32_t offset, const std::string& what) {
  const Json at = position_json(position_of(text, offset));
  return Json{{"range", {{"start", at}, {"end", at}}}, {"newText", what}};
}

}  // namespace

Json quick_fixes(const Analysis& a, const Document& doc, const Diagnostic& d, Lang lang) {
  Json fixes = Json::array();
  const bool zh = lang == Lang::Zh;
  const SourceManager& sm = a.compilation->sources;
  const FileId here = a.file_of(doc.path);
  const ast::File* file = file_ast(a, here);
  const Dialect dialect = file ? file->dialect : Dialect::Zh;
  const std::string& text = sm.file(here == kNoFile ? 0 : here).text();
  if (here == kNoFile) return fixes;
  for (const Diagnostic& n : d.notes) {
    if (n.code == DiagCode::N0402 && !n.args.empty() && d.span.valid() && d.span.file == here &&
        is_one_name(std::string(sm.slice(d.span)))) {
      fixes.push_back(Json{{"title", zh ? "改为 `" + n.args[0] + "`" : "change to `" + n.args[0] + "`"},
                           {"edits", {Json{{"range", range_json(sm, d.span)}, {"newText", n.args[0]}}}}});
    }
    if (n.code == DiagCode::N0408 && !n.args.empty() && n.span.valid() && n.span.file == here) {
      // The earlier value ends the day before the later starts: its `至`
      // date changed, or `至 DATE` added before its citation.
      const std::string_view setting = sm.slice(n.span);
      const std::string until_word = dialect == Dialect::Zh ? "至 " : "until ";
      const std::string title = zh ? "改为“至 " + n.args[0] + "”" : "end it: `until " + n.args[0] + "`";
      if (const size_t until = setting.find(until_word); until != std::string_view::npos) {
        const size_t date = until + until_word.size();
        size_t end = date;
        while (end < setting.size() && setting[end] != ' ' && setting.compare(end, 3, "【") != 0 && setting[end] != '[' &&
               setting[end] != '\n')
          ++end;
        const Json range{{"start", position_json(position_of(text, n.span.begin + static_cast<uint32_t>(date)))},
                         {"end", position_json(position_of(text, n.span.begin + static_cast<uint32_t>(end)))}};
        fixes.push_back(Json{{"title", title}, {"edits", {Json{{"range", range}, {"newText", n.args[0]}}}}});
        continue;
      }
      size_t cite = setting.find(dialect == Dialect::Zh ? "【" : "[");
      uint32_t at = n.span.end;
      if (cite != std::string_view::npos) {
        while (cite > 0 && setting[cite - 1] == ' ') --cite;
        at = n.span.begin + static_cast<uint32_t>(cite);
      }
      fixes.push_back(Json{{"title", title}, {"edits", {insert_at(text, at, " " + until_word + n.args[0])}}});
    }
  }
  if (d.code == DiagCode::W0301 && d.span.valid() && d.span.file == here && file) {
    // A definition's or flag's citation follows its whole declaration; a
    // value's, a branch's and a constraint's follow the span itself.
    uint32_t at = d.span.end;
    for (const auto& node : file->items)
      if (node.span.begin <= d.span.begin && d.span.end <= node.span.end &&
          (std::holds_alternative<ast::DefinitionDecl>(node.item) || std::holds_alternative<ast::FlagDecl>(node.item)))
        at = node.span.end;
    while (at > 0 && (text[at - 1] == '\n' || text[at - 1] == ' ')) --at;
    const std::string placeholder = dialect == Dialect::Zh ? " 【待补充：出处】" : " [source to be added]";
    fixes.push_back(Json{{"title", zh ? "加上出处占位" : "add a citation placeholder"},
                         {"edits", {insert_at(text, at, placeholder)}}});
  }
  return fixes;
}

}  // namespace doudi::lsp
