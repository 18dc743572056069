// textDocument/semanticTokens/full: keywords of either dialect, units,
// dates, numbers, texts, citations 【…】, comments and operators from the
// lexer; a name coloured by what the checker resolved it to (a parameter,
// a rule, a field, an enum value …).
#include "compiler/parse/token_classes.h"
#include "tools/lsp/language_server.h"
#include "tools/lsp/lsp_json.h"

namespace doudi::lsp {
namespace {

// The legend the server announces; indices below refer to it.
enum TokenType : int { kKeyword, kType, kRegexp, kNumber, kString, kDecorator, kComment, kVariable, kOperator,
                       kParameter, kFunction, kProperty, kEnumMember, kStruct, kEnum, kNamespace, kEvent };

int type_of_class(TokenClass c) {
  switch (c) {
    case TokenClass::Keyword: return kKeyword;
    case TokenClass::Unit: return kType;
    case TokenClass::Date: return kRegexp;
    case TokenClass::Number: return kNumber;
    case TokenClass::String: return kString;
    case TokenClass::Citation: return kDecorator;
    case TokenClass::Comment: return kComment;
    case TokenClass::Name: return kVariable;
    case TokenClass::Operator: return kOperator;
  }
  return kVariable;
}

int type_of_name(NameKind k) {
  switch (k) {
    case NameKind::Param: return kParameter;
    case NameKind::Function: return kFunction;
    case NameKind::Field: return kProperty;
    case NameKind::EnumValue: return kEnumMember;
    case NameKind::Struct: return kStruct;
    case NameKind::Enum: return kEnum;
    case NameKind::Jurisdiction:
    case NameKind::Module: return kNamespace;
    case NameKind::Flag: return kEvent;
    case NameKind::Input:
    case NameKind::Local: return kVariable;
  }
  return kVariable;
}

}  // namespace

Json semantic_tokens_legend() {
  return Json{{"tokenTypes", {"keyword", "type", "regexp", "number", "string", "decorator", "comment", "variable", "operator",
                              "parameter", "function", "property", "enumMember", "struct", "enum", "namespace", "event"}},
              {"tokenModifiers", Json::array()}};
}

Json LanguageServer::semantic_tokens(const Json& params) {
  Document* doc = docs_.find(params.at("textDocument").at("uri"));
  if (!doc) return nullptr;
  const std::string& text = doc->text;
  auto a = fresh(*doc);
  const FileId here = a->names ? a->file_of(doc->path) : kNoFile;
  Json data = Json::array();
  // Offsets to positions in one pass: tokens come in order.
  uint32_t at = 0, line = 0, character = 0, last_line = 0, last_start = 0;
  auto advance = [&](uint32_t to) {
    while (at < to && at < text.size()) {
      if (text[at] == '\n') {
        ++line;
        character = 0;
        ++at;
        continue;
      }
      const CharSize c = char_at(text, at);
      character += c.units;
      at += static_cast<uint32_t>(c.bytes);
    }
  };
  for (const ClassedToken& t : classify_tokens(text)) {
    advance(t.begin);
    const uint32_t start_line = line, start = character;
    advance(t.end);
    if (line != start_line) continue;  // tokens never span lines; skip anything odd
    int type = type_of_class(t.cls);
    if (t.cls == TokenClass::Name && here != kNoFile)
      if (const NameOccurrence* n = a->names->at(here, t.begin); n && n->span.begin == t.begin) type = type_of_name(n->ref.kind);
    data.push_back(start_line - last_line);
    data.push_back(start_line == last_line ? start - last_start : start);
    data.push_back(character - start);
    data.push_back(type);
    data.push_back(0);
    last_line = start_line;
    last_start = start;
  }
  return Json{{"data", data}};
}

}  // namespace doudi::lsp
