#include <fmt/format.h>

#include "compiler/resolve/module_loader.h"
#include "runtime/explain/explain.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"
#include "tools/cli/commands.h"
#include "runtime/bundle/json_text.h"
#include "tools/cli/module_source.h"
#include "tools/cli/decision_entry.h"
#include "runtime/digest/digest.h"

namespace doudi::cli {

int cmd_run(const Common& c, const RunArgs& a) {
  ModuleSource src;
  if (!load_module(c, a.module, src, a.import_roots)) return 1;
  const ir::Module& m = *src.module;

  if (m.input_type == 0) {
    report_plain(c, DiagCode::E3002, {m.name});
    return 1;
  }
  const uint32_t j = m.find_jurisdiction(a.jurisdiction);
  if (j == UINT32_MAX) {
    std::vector<std::string> names;
    for (const auto& x : m.jurisdictions) names.push_back(x.name);
    report_plain(c, DiagCode::E0106, {a.jurisdiction});
    if (auto s = closest_name(a.jurisdiction, names); !s.empty())
      *c.err << render(make_note(DiagCode::N0402, Span{}, {s}), SourceManager{}, c.render());
    return 2;
  }
  const auto month = parse_year_month(a.month);
  if (!month) {
    report_plain(c, DiagCode::E3001, {a.month});
    return 2;
  }
  std::string json;
  if (!read_source_file(a.record, json)) {
    report_plain(c, DiagCode::E0007, {a.record, bilingual("文件不存在或无法打开", "no such file or not readable")});
    return 1;
  }
  auto record = load_record_json(m, json);
  if (!record.ok()) {
    *c.err << render_record_problems(record.problems, a.record, json, c.render());
    return 1;
  }

  std::optional<std::string> key;
  if (!a.log.empty() && !log_key(c, m, a.key_file, key)) return 1;

  Interpreter interp(m);
  interp.set_context(j, *month);
  TraceRecorder trace;
  const Decision d = interp.decide(record.data, a.explain ? &trace : nullptr);
  if (!a.log.empty()) {
    std::string error;
    auto log = DecisionLog::open(a.log, false, error);
    if (!log) {
      report_plain(c, DiagCode::E4003, {a.log, error});
      return 1;
    }
    LogFields f = decided_entry(m, record.data, d, key);
    f.month = format_year_month(*month);
    f.jurisdiction = a.jurisdiction;
    f.bundle = src.digest;
    f.batch = batch_id(src.digest, f.month, a.jurisdiction, sha256_hex(json));
    f.index = 0;
    try {
      const std::string id = log->append(f);
      *c.err << (c.lang == Lang::Zh ? "已记录决定 " : "logged decision ") << id << "\n";
    } catch (const std::exception& e) {
      report_plain(c, DiagCode::E4003, {a.log, e.what()});
      return 1;
    }
  }
  const bool zh = c.lang == Lang::Zh;
  std::ostream& out = *c.out;

  if (a.json) {
    out << "{\"module\": " << json_quote(m.name) << ", \"jurisdiction\": " << json_quote(a.jurisdiction)
        << ", \"month\": " << json_quote(format_year_month(*month));
    if (d.error) {
      out << ", \"error\": {\"code\": " << json_quote(diag_info(d.error->code).code)
          << ", \"message\": " << json_quote(describe_eval_error(m, *d.error, c.lang)) << "}}\n";
      return 3;
    }
    out << ", \"outputs\": {";
    for (size_t i = 0; i < m.outputs.size(); ++i) {
      const auto& f = m.functions[m.outputs[i].function];
      out << (i ? ", " : "") << json_quote(m.outputs[i].name) << ": " << value_to_json(m, d.outputs[i], f.result);
    }
    out << "}, \"flags\": [";
    for (size_t i = 0; i < d.flags.size(); ++i) {
      const auto& fl = m.flags[d.flags[i]];
      out << (i ? ", " : "") << "{\"name\": " << json_quote(fl.name) << ", \"message\": " << json_quote(fl.message)
          << "}";
    }
    out << "]}\n";
    return 0;
  }

  out << fmt::format("{}｜{}｜{}\n", m.name, a.jurisdiction, format_year_month(*month));
  if (a.explain) {
    out << explain_decision(m, d, trace.root(), c.lang, &record.data);
    return d.error ? 3 : 0;
  }
  if (d.error) {
    *c.err << describe_eval_error(m, *d.error, c.lang) << "\n";
    return 3;
  }
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    const auto& f = m.functions[m.outputs[i].function];
    out << fmt::format("  {} = {}\n", m.outputs[i].name, m.format_value(d.outputs[i], f.result, zh));
  }
  if (d.flags.empty()) {
    out << (zh ? "无需人工审核的标记\n" : "no flags for manual review\n");
  } else {
    out << (zh ? "需人工审核的标记：\n" : "flags for manual review:\n");
    for (auto fi : d.flags) out << fmt::format("  {}：{}\n", m.flags[fi].name, m.flags[fi].message);
  }
  return 0;
}

}  // namespace doudi::cli
