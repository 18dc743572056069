// textDocument/completion: fields after `.`, units after a number, and
// otherwise the names in scope, the file's dialect's keywords and builtins,
// and snippets for 规则 / 例外 / 测试 blocks.
#include <algorithm>

#include "compiler/ast/keywords.h"
#include "tools/lsp/language_server.h"
#include "tools/lsp/lsp_json.h"

namespace doudi::lsp {
namespace {

// CompletionItemKind numbers of the protocol.
enum : int { kFunction = 3, kField = 5, kVariable = 6, kUnit = 11, kEnum = 13, kKeyword = 14, kSnippet = 15,
             kEnumMember = 20, kConstant = 21, kStruct = 22, kEvent = 23 };

bool name_byte(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b >= 0x80 || std::isalnum(b) || b == '_';
}

Json item(const std::string& label, int kind, const std::string& detail = "") {
  Json j{{"label", label}, {"kind", kind}};
  if (!detail.empty()) j["detail"] = detail;
  return j;
}

Json snippet(const std::string& label, const std::string& body, const std::string& detail) {
  return Json{{"label", label}, {"kind", kSnippet}, {"insertText", body}, {"insertTextFormat", 2}, {"detail", detail}};
}

Dialect dialect_of(const Analysis* a, FileId here) {
  if (a && a->compilation->program)
    for (const auto& f : a->compilation->program->files)
      if (f.file == here) return f.dialect;
  return Dialect::Zh;
}

}  // namespace

Json LanguageServer::completion(const Json& params) {
  Document* doc = docs_.find(params.at("textDocument").at("uri"));
  if (!doc) return nullptr;
  const std::string& text = doc->text;
  const uint32_t offset = offset_in(text, params.at("position"));
  const size_t line_start = offset == 0 ? 0 : text.rfind('\n', offset - 1) + 1;
  size_t prefix = offset;
  while (prefix > line_start && name_byte(text[prefix - 1])) --prefix;
  Json items = Json::array();

  // `x.`: the fields of x's structure, or the values of an enum named x. The
  // text with the `.` (and what follows it) taken out is checked, so x's
  // type is the checker's.
  if (prefix > line_start && text[prefix - 1] == '.') {
    const uint32_t dot = static_cast<uint32_t>(prefix - 1);
    CompileOptions options;
    options.until = Stage::Check;
    options.import_roots = options_.import_roots;
    options.files = docs_.buffers();
    std::string without = text;
    without.erase(dot, offset - dot);
    options.files.set_buffer(doc->path, without);
    Analysis a;
    a.compilation = compile_text(doc->path, without, options);
    if (!a.compilation->program) return items;
    const Program& p = *a.compilation->program;
    size_t word = dot;
    while (word > line_start && name_byte(text[word - 1])) --word;
    const std::string x = text.substr(word, dot - word);
    if (auto t = p.type_names.find(x); t != p.type_names.end() && t->second.kind == SymbolKind::Enum) {
      for (const auto& v : p.enums[t->second.index].values) items.push_back(item(v, kEnumMember, x));
      return items;
    }
    NameIndex names(p);
    const NameOccurrence* n = names.at(a.file_of(doc->path), dot);
    if (!n || n->span.end != dot || n->type == 0) return items;
    const TypeId bare = p.types.unwrap(n->type);
    if (p.types.kind(bare) != TypeKind::Struct) return items;
    for (const auto& f : p.structs[p.types.get(bare).ref].fields)
      items.push_back(item(f.name, kField, p.type_name(f.type, lang_)));
    return items;
  }

  auto a = fresh(*doc);
  const Analysis* known = a->names && a->compilation->program && !a->compilation->program->globals.empty()
                              ? a.get() : doc->last_checked.get();
  const Dialect dialect = dialect_of(known, known ? known->file_of(doc->path) : kNoFile);

  // After a number (and spaces, or right after its digits): its unit.
  size_t before = prefix;
  while (before > line_start && (text[before - 1] == ' ' || text[before - 1] == '\t')) --before;
  const bool digits_typed = prefix < offset && std::all_of(text.begin() + static_cast<long>(prefix), text.begin() + offset,
                                                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if ((prefix == offset && before > line_start && std::isdigit(static_cast<unsigned char>(text[before - 1]))) || digits_typed) {
    for (Keyword k : {Keyword::YuanPerMonth, Keyword::YuanPerYear, Keyword::Yuan, Keyword::Months, Keyword::Days})
      items.push_back(item(std::string(keyword_text(k, dialect)), kUnit));
    return items;
  }

  if (known) {
    const Program& p = *known->compilation->program;
    for (const auto& [name, sym] : p.globals) {
      switch (sym.kind) {
        case SymbolKind::Param: items.push_back(item(name, kConstant, p.type_name(p.params[sym.index].type, lang_))); break;
        case SymbolKind::Function: items.push_back(item(name, kFunction, p.type_name(p.functions[sym.index].result, lang_))); break;
        case SymbolKind::Flag: items.push_back(item(name, kEvent)); break;
        case SymbolKind::Input: items.push_back(item(name, kVariable, p.input ? p.type_name(p.input->type, lang_) : "")); break;
        default: break;
      }
    }
    for (const auto& [name, sym] : p.type_names) items.push_back(item(name, sym.kind == SymbolKind::Enum ? kEnum : kStruct));
    for (const auto& [value, owners] : p.enum_values)
      items.push_back(item(value, kEnumMember, owners.empty() ? "" : p.enums[owners.front().first].name));
    for (const auto& j : p.jurisdictions) items.push_back(item(j.name, kConstant, lang_ == Lang::Zh ? "辖区" : "jurisdiction"));
    // The local names of the declaration the cursor is in, declared before it.
    const FileId here = known->file_of(doc->path);
    for (const auto& f : p.files) {
      if (f.file != here) continue;
      for (const auto& node : f.items) {
        if (node.span.begin > offset || offset > node.span.end + 1) continue;
        for (const auto& n : known->names->all())
          if (n.declaration && n.ref.kind == NameKind::Local && n.span.file == here && n.span.begin >= node.span.begin &&
              n.span.end <= offset)
            items.push_back(item(std::string(known->compilation->sources.slice(n.span)), kVariable));
      }
    }
  }
#define KW(name, zh, en) items.push_back(item(std::string(keyword_text(Keyword::name, dialect)), kKeyword));
#include "compiler/ast/keywords.def"
#undef KW
  if (dialect == Dialect::Zh) {
    items.push_back(snippet("规则", "规则 ${1:名称} : ${2:类型}\n  默认 = ${3:值} 【${4:依据}】\n", "规则块"));
    items.push_back(snippet("例外", "例外 ${1:标签} 当 ${2:条件} 则\n    ${3:值} 【${4:依据}】\n", "例外分支"));
    items.push_back(snippet("测试", "测试 \"${1:说明}\" 辖区 ${2:辖区} 月份 ${3:2024-01} {\n  ${4:输入} = {$5}\n  期望 ${6:结果} = ${7:值}\n}\n", "测试块"));
  } else {
    items.push_back(snippet("rule", "rule ${1:name} : ${2:type}\n  default = ${3:value} [${4:source}]\n", "a rule"));
    items.push_back(snippet("exception", "exception ${1:label} when ${2:condition} then\n    ${3:value} [${4:source}]\n", "an exception"));
    items.push_back(snippet("test", "test \"${1:what}\" jurisdiction ${2:place} month ${3:2024-01} {\n  ${4:input} = {$5}\n  expect ${6:output} = ${7:value}\n}\n", "a test"));
  }
  return items;
}

}  // namespace doudi::lsp
