// The requests about what is in a file: hover, definition, references,
// the outline, formatting.
#include <functional>
#include <set>

#include "compiler/fmt/formatter.h"
#include "compiler/parse/parser.h"
#include "tools/lsp/hover_text.h"
#include "tools/lsp/language_server.h"
#include "tools/lsp/lsp_json.h"

namespace doudi::lsp {
// The symbol's declaration as (path, offset): what names it in every other
// compilation of the workspace.
static std::optional<std::pair<std::string, uint32_t>> declared_at(const Analysis& a, const NameRef& ref) {
  const NameOccurrence* d = a.names->declaration(ref);
  if (!d) return std::nullopt;
  return std::make_pair(a.compilation->sources.file(d->span.file).path(), d->span.begin);
}

LanguageServer::Occurrence LanguageServer::name_at(const Json& params) {
  Document* doc = docs_.find(params.at("textDocument").at("uri"));
  if (!doc) return {};
  auto a = fresh(*doc);
  if (!a->names) return {};
  return Occurrence{a, a->names->at(a->file_of(doc->path), offset_in(doc->text, params.at("position")))};
}

Json LanguageServer::hover(const Json& params) {
  const auto [a, n] = name_at(params);
  if (!n) return nullptr;
  return Json{{"contents", {{"kind", "markdown"}, {"value", hover_text(*a->compilation->program, *a->names, n->ref, lang_)}}},
              {"range", range_json(a->compilation->sources, n->span)}};
}

Json LanguageServer::definition(const Json& params) {
  const auto [a, n] = name_at(params);
  if (!n) return nullptr;
  const NameOccurrence* d = a->names->declaration(n->ref);
  if (!d) return nullptr;
  return location_json(a->compilation->sources, d->span);
}

std::vector<LanguageServer::Occurrence> LanguageServer::occurrences_at(const Json& params, bool with_declaration,
                                                                      const NameOccurrence** found) {
  std::vector<Occurrence> out;
  const auto [a, n] = name_at(params);
  if (found) *found = n;
  if (!n) return out;
  const Document* doc = docs_.find(params.at("textDocument").at("uri"));
  std::set<std::pair<std::string, uint32_t>> seen;
  auto add_all = [&](const std::shared_ptr<const Analysis>& in, const NameRef& ref) {
    for (const NameOccurrence* o : in->names->occurrences(ref)) {
      if (o->declaration && !with_declaration) continue;
      const std::string path = in->compilation->sources.file(o->span.file).path();
      if (seen.insert({path_key(path), o->span.begin}).second)
        out.push_back(Occurrence{in, o});
    }
  };
  add_all(a, n->ref);
  // Other open files may use it too (a deployment that imports this policy):
  // the same declaration names it in their compilations.
  const auto decl = declared_at(*a, n->ref);
  if (!decl) return out;
  for (auto& [uri, other] : docs_.all()) {
    if (&other == doc) continue;
    auto b = fresh(other);
    if (!b->names) continue;
    const NameOccurrence* same = b->names->at(b->file_of(decl->first), decl->second);
    if (same && same->declaration && same->span.begin == decl->second) add_all(b, same->ref);
  }
  return out;
}

Json LanguageServer::references(const Json& params) {
  const bool with_declaration = params.value("context", Json::object()).value("includeDeclaration", true);
  Json out = Json::array();
  for (const Occurrence& o : occurrences_at(params, with_declaration))
    out.push_back(location_json(o.analysis->compilation->sources, o.name->span));
  return out;
}

namespace {

using namespace symbol_kind;

Json symbol(const SourceManager& sm, const std::string& name, int kind, const Span& whole, const Span& name_span,
            Json children = Json::array()) {
  Json s{{"name", name.empty() ? "?" : name}, {"kind", kind}, {"range", range_json(sm, whole)},
         {"selectionRange", range_json(sm, name_span.valid() ? name_span : whole)}};
  if (!children.empty()) s["children"] = std::move(children);
  return s;
}

// A policy's headings as the stdlib writes them: `# ==== 一、总体要求 ====`
// (level 1) and `# ---- 一是 … ----` (level 2).
struct Heading {
  int level;
  std::string title;
  Span span;  // the comment
  uint32_t end = 0;  // where the next heading of this level or above starts
};

// `# ==== title ====` → (1, title); `# ---- title ----` → (2, title); else level 0.
std::pair<int, std::string> heading_in(const std::string& comment) {
  size_t b = 1, e = comment.size();
  while (b < e && comment[b] == ' ') ++b;
  while (e > b && comment[e - 1] == ' ') --e;
  if (b >= e || (comment[b] != '=' && comment[b] != '-')) return {0, ""};
  const char mark = comment[b];
  size_t open = b, close = e;
  while (open < e && comment[open] == mark) ++open;
  while (close > open && comment[close - 1] == mark) --close;
  if (open - b < 3 || e - close < 3) return {0, ""};
  while (open < close && comment[open] == ' ') ++open;
  while (close > open && comment[close - 1] == ' ') --close;
  if (open == close) return {0, ""};
  return {mark == '=' ? 1 : 2, comment.substr(open, close - open)};
}

std::vector<Heading> headings_of(const ast::File& file, uint32_t file_end) {
  std::vector<Heading> out;
  for (const auto& c : file.comments)
    if (auto [level, title] = heading_in(c.text); level > 0) out.push_back({level, title, c.span});
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].end = file_end;
    for (size_t j = i + 1; j < out.size(); ++j)
      if (out[j].level <= out[i].level) {
        out[i].end = out[j].span.begin;
        break;
      }
  }
  return out;
}

// The declarations nested under the headings they follow.
Json with_headings(const SourceManager& sm, const ast::File& file, Json decls, const std::vector<uint32_t>& starts) {
  const std::string& text = sm.file(file.file).text();
  std::vector<Heading> hs = headings_of(file, static_cast<uint32_t>(text.size()));
  if (hs.empty()) return decls;
  // Each heading's symbol; then every declaration goes to the last heading
  // (deepest) that starts before it, or stays at the top.
  std::vector<Json> hsym;
  for (const auto& h : hs) {
    uint32_t end = h.end;
    while (end > h.span.begin && (text[end - 1] == '\n' || text[end - 1] == ' ')) --end;
    hsym.push_back(symbol(sm, h.title, kNamespace, Span{file.file, h.span.begin, end}, h.span));
    hsym.back()["children"] = Json::array();
  }
  Json top = Json::array();
  auto owner = [&](uint32_t at) -> int {
    int found = -1;
    for (size_t i = 0; i < hs.size(); ++i)
      if (hs[i].span.begin <= at && at < hs[i].end) found = static_cast<int>(i);
    return found;
  };
  for (size_t i = 0; i < decls.size(); ++i) {
    const int o = owner(starts[i]);
    (o < 0 ? top : hsym[static_cast<size_t>(o)]["children"]).push_back(std::move(decls[i]));
  }
  // Level-2 headings under the level-1 heading they stand in, in order.
  for (size_t i = hs.size(); i-- > 0;) {
    int parent = -1;
    for (size_t j = 0; j < i; ++j)
      if (hs[j].level < hs[i].level && hs[j].span.begin < hs[i].span.begin && hs[i].span.begin < hs[j].end) parent = static_cast<int>(j);
    if (parent >= 0) {
      auto& kids = hsym[static_cast<size_t>(parent)]["children"];
      kids.insert(kids.begin(), std::move(hsym[i]));
      hsym[i] = nullptr;
    }
  }
  // Children in source order (a heading's own declarations came before its sub-headings were inserted).
  std::function<void(Json&)> order = [&](Json& list) {
    std::stable_sort(list.begin(), list.end(), [](const Json& x, const Json& y) {
      const auto& a = x["range"]["start"];
      const auto& b = y["range"]["start"];
      return std::make_pair(a["line"].get<int>(), a["character"].get<int>()) < std::make_pair(b["line"].get<int>(), b["character"].get<int>());
    });
    for (auto& s : list)
      if (s.contains("children")) order(s["children"]);
  };
  for (auto& h : hsym)
    if (!h.is_null()) top.push_back(std::move(h));
  order(top);
  return top;
}

}  // namespace

Json LanguageServer::document_symbols(const Json& params) {
  Document* doc = docs_.find(params.at("textDocument").at("uri"));
  if (!doc) return nullptr;
  auto a = fresh(*doc);
  if (!a->compilation->program) return Json::array();
  const FileId here = a->file_of(doc->path);
  const ast::File* file = nullptr;
  for (const auto& f : a->compilation->program->files)
    if (f.file == here) file = &f;
  Json out = Json::array();
  if (!file) return out;
  const SourceManager& sm = a->compilation->sources;
  std::vector<uint32_t> starts;  // where each declaration symbol begins
  for (const auto& node : file->items) {
    std::visit([&](const auto& item) {
      using T = std::decay_t<decltype(item)>;
      if constexpr (std::is_same_v<T, ast::ModuleDecl>) {
        out.push_back(symbol(sm, item.name.text, kModule, node.span, item.name.span));
      } else if constexpr (std::is_same_v<T, ast::EnumDecl>) {
        Json values = Json::array();
        for (const auto& v : item.values) values.push_back(symbol(sm, v.name.text, kEnumMember, v.name.span, v.name.span));
        out.push_back(symbol(sm, item.name.text, kEnum, node.span, item.name.span, values));
      } else if constexpr (std::is_same_v<T, ast::StructDecl>) {
        Json fields = Json::array();
        for (const auto& f : item.fields) fields.push_back(symbol(sm, f.name.text, kField, f.span.valid() ? f.span : f.name.span, f.name.span));
        out.push_back(symbol(sm, item.name.text, kStruct, node.span, item.name.span, fields));
      } else if constexpr (std::is_same_v<T, ast::InputDecl>) {
        out.push_back(symbol(sm, item.name.text, kVariable, node.span, item.name.span));
      } else if constexpr (std::is_same_v<T, ast::ParamDecl>) {
        out.push_back(symbol(sm, item.name.text, kConstant, node.span, item.name.span));
      } else if constexpr (std::is_same_v<T, ast::JurisdictionDecl>) {
        Json values = Json::array();
        for (const auto& v : item.values) values.push_back(symbol(sm, v.param.text, kConstant, v.span, v.param.span));
        out.push_back(symbol(sm, item.name.text, kNamespace, node.span, item.name.span, values));
      } else if constexpr (std::is_same_v<T, ast::DefinitionDecl> || std::is_same_v<T, ast::RuleDecl>) {
        out.push_back(symbol(sm, item.name.text, kFunction, node.span, item.name.span));
      } else if constexpr (std::is_same_v<T, ast::FlagDecl>) {
        out.push_back(symbol(sm, item.name.text, kEvent, node.span, item.name.span));
      } else if constexpr (std::is_same_v<T, ast::ConstraintDecl>) {
        if (item.label) out.push_back(symbol(sm, item.label->text, kProperty, node.span, item.label->span));
      } else if constexpr (std::is_same_v<T, ast::TestDecl>) {
        out.push_back(symbol(sm, item.name.text, kMethod, node.span, item.name.span));
      }
    }, node.item);
    starts.resize(out.size(), node.span.begin);
  }
  return with_headings(sm, *file, std::move(out), starts);
}

Json LanguageServer::formatting(const Json& params) {
  Document* doc = docs_.find(params.at("textDocument").at("uri"));
  if (!doc) return nullptr;
  // The canonical layout `doudi fmt` writes, in the file's own dialect.
  SourceManager sm;
  DiagSink diags;
  const FileId fid = sm.add(doc->path, doc->text);
  const auto file = parse_file(sm, fid, diags);
  if (!file) return Json::array();  // a file that does not parse is left as it is (its diagnostics say why)
  const std::string formatted = format_file(*file, sm, file->dialect);
  if (formatted == doc->text) return Json::array();
  const Position end = position_of(doc->text, static_cast<uint32_t>(doc->text.size()));
  return Json::array({Json{{"range", {{"start", position_json({0, 0})}, {"end", position_json(end)}}}, {"newText", formatted}}});
}

}  // namespace doudi::lsp
