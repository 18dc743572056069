#include "runtime/explain/explain_formats.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

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

namespace {

// One line of an explanation as HTML: clause citations (【…】, or [..] in
// English) set apart; with `lead` (a reason's first level), the fact the
// line states (before its first "：") in bold.
std::string line_html(const std::string& line, bool lead) {
  std::string out;
  size_t i = 0;
  if (lead) {
    const size_t colon = std::min(line.find("："), line.find(": "));
    if (colon != std::string::npos && colon > 0) {
      out += "<strong>" + html_escape(line.substr(0, colon)) + "</strong>";
      i = colon;
    }
  }
  while (i < line.size()) {
    const size_t zh = line.find("【", i), en = line.find(" [", i);
    const size_t at = std::min(zh, en);
    if (at == std::string::npos) break;
    const bool is_zh = at == zh;
    const size_t close = line.find(is_zh ? "】" : "]", at);
    if (close == std::string::npos) break;
    const size_t stop = close + (is_zh ? std::string_view("】").size() : 1);
    out += html_escape(line.substr(i, at - i)) + "<span class=\"cite\">" + html_escape(line.substr(at, stop - at)) +
           "</span>";
    i = stop;
  }
  return out + html_escape(line.substr(i));
}

}  // namespace

std::string explain_html(const std::string& title, const std::string& meta, const std::string& text, Lang lang) {
  // The text's indentation (two spaces a level) is its structure: a line
  // without indentation heads a section, deeper lines nest as lists.
  std::ostringstream body;
  std::vector<bool> item_open;  // one per open <ul>: whether its <li> is open
  auto close_to = [&](size_t depth) {
    while (item_open.size() > depth) {
      if (item_open.back()) body << "</li>";
      body << "</ul>\n";
      item_open.pop_back();
    }
  };
  std::istringstream lines(text);
  std::string line;
  int section = -1;  // the first is the conclusion; reasons follow
  while (std::getline(lines, line)) {
    size_t spaces = 0;
    while (spaces < line.size() && line[spaces] == ' ') ++spaces;
    const std::string content = line.substr(spaces);
    if (content.empty()) {
      close_to(0);
      continue;
    }
    if (spaces == 0) {
      close_to(0);
      ++section;
      body << "<h2>" << html_escape(content) << "</h2>\n";
      continue;
    }
    const size_t depth = (spaces + 1) / 2;
    close_to(depth);
    if (item_open.size() == depth && item_open.back()) body << "</li>\n";
    while (item_open.size() < depth) {
      body << "<ul>";
      item_open.push_back(false);
    }
    const bool flag = content.find("⚑") != std::string::npos;
    body << (flag ? "<li class=\"flag\">" : "<li>") << line_html(content, depth == 1 && section > 0);
    item_open.back() = true;
  }
  close_to(0);
  return "<!DOCTYPE html>\n<html lang=\"" + std::string(lang == Lang::Zh ? "zh" : "en") +
         "\"><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
         "</title><style>body{font-family:sans-serif;line-height:1.6;max-width:60em;margin:2em auto;padding:0 1em}"
         "h1{font-size:1.2em}h2{font-size:1.05em;border-bottom:1px solid #ccc;margin-top:1.5em}"
         ".meta{color:#555;font-size:.9em}ul{padding-left:1.4em;margin:.2em 0}li{margin:.15em 0}"
         ".cite{color:#555;font-size:.9em}.flag{background:#fff3cd;border-left:4px solid #e0a800;padding-left:.4em}"
         "@media print{body{margin:0;max-width:none}}</style></head><body>\n<h1>" +
         html_escape(title) + "</h1>\n<p class=\"meta\">" + html_escape(meta) + "</p>\n" + body.str() +
         "</body></html>\n";
}

}  // namespace doudi
