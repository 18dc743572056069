// textDocument/rename and prepareRename: every occurrence of a name in the
// open files' compilations, replaced; a new name that is not a name, is a
// keyword or builtin, or is taken is refused with the reason.
#include <set>

#include "compiler/parse/token_classes.h"
#include "tools/lsp/language_server.h"
#include "tools/lsp/lsp_json.h"

namespace doudi::lsp {
namespace {

// The protocol's answer to a request that was valid but could not be done.
constexpr int kRequestFailed = -32803;

// One name as the lexer reads it; a module's name is such parts joined by `.`.
std::string why_not_a_name(const std::string& name, bool dotted, Lang lang) {
  const bool zh = lang == Lang::Zh;
  size_t start = 0;
  for (;;) {
    const size_t dot = dotted ? name.find('.', start) : std::string::npos;
    const std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!is_one_name(part))
      return zh ? "`" + part + "` 不是一个名称（或是关键字）" : "`" + part + "` is not one name (or is a keyword)";
    if (dot == std::string::npos) return "";
    start = dot + 1;
  }
}

// Whether `name` already names something of the same namespace as `ref`,
// or would be shadowed or would shadow: a local hides a global, an enum
// value or another local of its declaration of the same name.
bool taken(const Program& p, const NameIndex& names, const NameRef& ref, const std::string& name) {
  auto local_named = [&](auto&& in_scope) {
    for (const auto& n : names.all())
      if (n.declaration && n.ref.kind == NameKind::Local && in_scope(n.ref) && p.sm.slice(n.span) == name) return true;
    return false;
  };
  switch (ref.kind) {
    case NameKind::Param:
    case NameKind::Function:
    case NameKind::Input:
      if (local_named([](const NameRef&) { return true; })) return true;
      break;
    case NameKind::Local:
      return p.globals.count(name) > 0 || p.enum_values.count(name) > 0 || p.type_names.count(name) > 0 ||
             local_named([&](const NameRef& r) { return r.a == ref.a; });
    default: break;
  }
  switch (ref.kind) {
    case NameKind::Param:
    case NameKind::Function:
    case NameKind::Flag:
    case NameKind::Input: return p.globals.count(name) > 0;
    case NameKind::Enum:
    case NameKind::Struct: return p.type_names.count(name) > 0;
    case NameKind::Field: return p.structs[ref.a].field_index(name) != kNone;
    case NameKind::EnumValue:
      for (const auto& v : p.enums[ref.a].values)
        if (v == name) return true;
      return false;
    case NameKind::Jurisdiction: return p.find_jurisdiction(name) != kNone;
    case NameKind::Module: return p.file_of_module(name) != nullptr;
    case NameKind::Local: return false;
  }
  return false;
}

}  // namespace

Json LanguageServer::prepare_rename(const Json& params) {
  const auto [a, n] = name_at(params);
  if (!n) return nullptr;
  return range_json(a->compilation->sources, n->span);
}

Json LanguageServer::rename(const Json& id, const Json& params) {
  const std::string new_name = params.at("newName");
  const NameOccurrence* n = nullptr;
  const auto all = occurrences_at(params, true, &n);
  if (!n || all.empty()) {
    reply_error(id, kRequestFailed, lang_ == Lang::Zh ? "这里没有可以改名的名称" : "there is no name here to rename");
    return nullptr;
  }
  if (auto why = why_not_a_name(new_name, n->ref.kind == NameKind::Module, lang_); !why.empty()) {
    reply_error(id, kRequestFailed, why);
    return nullptr;
  }
  // Taken in any compilation the rename reaches (an importer's names too).
  bool is_taken = false;
  for (const Occurrence& o : all)
    is_taken = is_taken || taken(*o.analysis->compilation->program, *o.analysis->names,
                                 o.analysis.get() == all.front().analysis.get() ? n->ref : o.name->ref, new_name);
  if (is_taken) {
    reply_error(id, kRequestFailed, lang_ == Lang::Zh ? "`" + new_name + "` 已被使用" : "`" + new_name + "` is taken");
    return nullptr;
  }
  Json changes = Json::object();
  for (const Occurrence& o : all) {
    const SourceManager& sm = o.analysis->compilation->sources;
    const std::string file_uri = uri_of_path(sm.file(o.name->span.file).path());
    if (!changes.contains(file_uri)) changes[file_uri] = Json::array();
    changes[file_uri].push_back(Json{{"range", range_json(sm, o.name->span)}, {"newText", new_name}});
  }
  reply(id, Json{{"changes", changes}});
  return nullptr;
}

Json LanguageServer::workspace_symbols(const Json& params) {
  const std::string query = params.value("query", "");
  Json out = Json::array();
  std::set<std::pair<std::string, uint32_t>> seen;
  for (auto& [uri, doc] : docs_.all()) {
    auto a = fresh(doc);
    if (!a->names) continue;
    const SourceManager& sm = a->compilation->sources;
    for (const NameOccurrence& n : a->names->all()) {
      if (!n.declaration || n.ref.kind == NameKind::Local) continue;
      const std::string name(sm.slice(n.span));
      if (!query.empty() && name.find(query) == std::string::npos) continue;
      if (!seen.insert({path_key(sm.file(n.span.file).path()), n.span.begin}).second) continue;
      out.push_back(Json{{"name", name}, {"kind", symbol_kind_of(n.ref.kind)}, {"location", location_json(sm, n.span)}});
      if (out.size() >= 500) return out;
    }
  }
  return out;
}

}  // namespace doudi::lsp
