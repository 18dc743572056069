#include "runtime/explain/explain_formats.h"

#include <fmt/format.h>

#include <set>
#include <sstream>

#include "runtime/bundle/json_text.h"

namespace doudi {
namespace {

std::string strings_json(const std::vector<std::string>& xs) {
  std::string out = "[";
  for (size_t i = 0; i < xs.size(); ++i) out += (i ? "," : "") + json_quote(xs[i]);
  return out + "]";
}

std::string trace_json(const ir::Module& m, const TraceNode& n, const std::set<CallKey>* deciding) {
  const auto& f = m.functions[n.function];
  std::string out = fmt::format("{{\"function\":{},\"value\":{},", json_quote(f.name), value_to_json(m, n.result, f.result));
  if (deciding) out += fmt::format("\"role\":\"{}\",", deciding->count(call_key(n)) ? "deciding" : "supporting");
  out += fmt::format("\"citations\":{},\"notes\":{},\"parameters\":[", strings_json(f.citations), strings_json(f.notes));
  for (size_t i = 0; i < n.params.size(); ++i) {
    const auto& p = n.params[i];
    const auto& prm = m.params[p.param];
    std::vector<std::string> cites;
    std::string where = "test";
    if (p.value_index != UINT32_MAX) {
      const auto& v = prm.values[p.value_index];
      cites = v.citations;
      where = v.jurisdiction == UINT32_MAX ? "*" : m.jurisdictions[v.jurisdiction].name;
    }
    out += fmt::format("{}{{\"name\":{},\"value\":{},\"set_in\":{},\"citations\":{}}}", i ? "," : "",
                       json_quote(prm.name), value_to_json(m, p.value, prm.type), json_quote(where),
                       strings_json(cites));
  }
  out += "],\"roundings\":[";
  for (size_t i = 0; i < n.roundings.size(); ++i)
    out += fmt::format("{}{{\"exact_fen\":\"{}/{}\",\"rounded_fen\":{}}}", i ? "," : "", n.roundings[i].exact.num,
                       n.roundings[i].exact.den, n.roundings[i].result.a);
  out += "],\"children\":[";
  for (size_t i = 0; i < n.children.size(); ++i) out += (i ? "," : "") + trace_json(m, *n.children[i], deciding);
  return out + "]}";
}

}  // namespace

std::string explain_json(const ir::Module& m, const TraceNode& root, const std::set<const TraceNode*>* deciding) {
  std::set<CallKey> keys;
  if (deciding)
    for (const TraceNode* n : *deciding) keys.insert(call_key(*n));
  std::string out = "[";
  for (size_t i = 0; i < root.children.size(); ++i)
    out += (i ? "," : "") + trace_json(m, *root.children[i], deciding ? &keys : nullptr);
  return out + "]";
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string explain_html(const std::string& title, const std::string& meta, const std::string& text, Lang lang) {
  std::ostringstream body;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    body << fmt::format("<div style=\"margin-left:{}em\">{}</div>\n", indent, html_escape(line.substr(indent)));
  }
  return "<!DOCTYPE html>\n<html lang=\"" + std::string(lang == Lang::Zh ? "zh" : "en") + "\"><head><meta charset=\"utf-8\">" +
         "<title>" + html_escape(title) + "</title><style>body{font-family:sans-serif;line-height:1.6;" +
         "max-width:60em;margin:2em auto}h1{font-size:1.2em}.meta{color:#555;font-size:.9em}</style></head><body>\n" +
         "<h1>" + html_escape(title) + "</h1>\n<p class=\"meta\">" + html_escape(meta) + "</p>\n" + body.str() +
         "</body></html>\n";
}

}  // namespace doudi
