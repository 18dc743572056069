// doudi explain: a logged decision, re-evaluated with its own rules, told as
// text (Chinese by default), JSON (the trace tree) or a printable HTML page.
#include <fmt/format.h>

#include <sstream>

#include "runtime/bundle/json_text.h"
#include "runtime/explain/explain.h"
#include "runtime/log/decision_log.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {
namespace {

std::string strings_json(const std::vector<std::string>& xs) {
  std::string out = "[";
  for (size_t i = 0; i < xs.size(); ++i) out += (i ? "," : "") + json_quote(xs[i]);
  return out + "]";
}

std::string trace_json(const ir::Module& m, const TraceNode& n) {
  const auto& f = m.functions[n.function];
  std::string out = fmt::format("{{\"function\":{},\"value\":{},\"citations\":{},\"notes\":{},\"parameters\":[",
                                json_quote(f.name), value_to_json(m, n.result, f.result), strings_json(f.citations),
                                strings_json(f.notes));
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
  for (size_t i = 0; i < n.children.size(); ++i) out += (i ? "," : "") + trace_json(m, *n.children[i]);
  return out + "]}";
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

}  // namespace

int cmd_explain(const Common& c, const ExplainArgs& a) {
  std::vector<LogEntry> entries;
  std::string error;
  if (!read_log(a.log, entries, error)) {
    report_plain(c, DiagCode::E4003, {a.log, error});
    return 1;
  }
  const LogEntry* entry = nullptr;
  for (const auto& e : entries)
    if (e.id == a.id) entry = &e;
  if (entry == nullptr || entry->rejected) {
    report_plain(c, DiagCode::E4003,
                 {a.log, entry ? bilingual("该记录被拒收，没有可解释的决定", "that record was rejected: there is no decision to explain")
                               : bilingual("没有这个决定编号：" + a.id, "no decision with id " + a.id)});
    return 1;
  }
  ModuleSource src;
  if (!load_module(c, a.bundle, src)) return 1;
  if (src.digest != entry->bundle) {
    report_plain(c, DiagCode::E4001,
                 {a.bundle, bilingual("这不是作出该决定的规则包（摘要不同）", "these are not the rules the decision was made with (digest differs)")});
    return 1;
  }
  const ir::Module& m = *src.module;
  auto record = load_record_json(m, entry->input_json);
  const uint32_t j = m.find_jurisdiction(entry->jurisdiction);
  const auto month = parse_year_month(entry->month);
  if (!record.ok() || j == UINT32_MAX || !month) {
    report_plain(c, DiagCode::E4003, {a.log, bilingual("记录无法重新载入", "the logged record cannot be reloaded")});
    return 1;
  }
  Interpreter interp(m);
  interp.set_context(j, *month);
  TraceRecorder trace;
  const Decision d = interp.decide(record.data, &trace);
  const std::string head = fmt::format("{}｜{}｜{}｜{}", entry->id, m.name, entry->jurisdiction, entry->month);

  if (a.format == "json") {
    *c.out << "{\"id\":" << json_quote(entry->id) << ",\"module\":" << json_quote(m.name)
           << ",\"bundle\":" << json_quote(src.digest) << ",\"trace\":[";
    for (size_t i = 0; i < trace.root().children.size(); ++i)
      *c.out << (i ? "," : "") << trace_json(m, *trace.root().children[i]);
    *c.out << "]}\n";
    return 0;
  }
  const std::string text = explain_decision(m, d, trace.root(), c.lang, &record.data);
  if (a.format == "html") {
    std::ostringstream body;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      size_t indent = 0;
      while (indent < line.size() && line[indent] == ' ') ++indent;
      body << fmt::format("<div style=\"margin-left:{}em\">{}</div>\n", indent, html_escape(line.substr(indent)));
    }
    *c.out << "<!DOCTYPE html>\n<html lang=\"" << (c.lang == Lang::Zh ? "zh" : "en") << "\"><head><meta charset=\"utf-8\">"
           << "<title>" << html_escape(head) << "</title><style>body{font-family:sans-serif;line-height:1.6;"
           << "max-width:60em;margin:2em auto}h1{font-size:1.2em}.meta{color:#555;font-size:.9em}</style></head><body>\n"
           << "<h1>" << html_escape(head) << "</h1>\n<p class=\"meta\">" << (c.lang == Lang::Zh ? "规则包 " : "rule bundle ")
           << html_escape(src.digest) << "</p>\n" << body.str() << "</body></html>\n";
    return 0;
  }
  *c.out << head << "\n" << text;
  return 0;
}

}  // namespace doudi::cli
