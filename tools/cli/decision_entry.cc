#include "tools/cli/decision_entry.h"

#include <cstdlib>

#include "compiler/resolve/module_loader.h"
#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"
#include "runtime/record/record_json.h"

namespace doudi::cli {

bool log_key(const Common& c, const ir::Module& m, const std::string& key_file, std::optional<std::string>& key) {
  std::string text;
  if (!key_file.empty()) {
    if (!read_source_file(key_file, text)) {
      report_plain(c, DiagCode::E0007, {key_file, bilingual("文件不存在或无法打开", "no such file or not readable")});
      return false;
    }
  } else if (const char* env = std::getenv("DOUDI_LOG_KEY")) {
    text = env;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (!text.empty()) key = text;
  if (!key && has_sensitive_fields(m)) {
    report_plain(c, DiagCode::E4002, {});
    return false;
  }
  return true;
}

std::string batch_id(const std::string& bundle, const std::string& month, const std::string& jurisdiction,
                     const std::string& input_digest) {
  return sha256_hex(bundle + "|" + month + "|" + jurisdiction + "|" + input_digest).substr(0, 16);
}

LogFields decided_entry(const ir::Module& m, const RecordData& record, const Decision& d,
                        const std::optional<std::string>& key) {
  LogFields f;
  f.input_json = record_to_json(m, record, key);
  f.input_digest = sha256_hex(record_to_json(m, record, std::nullopt));
  if (d.error) {
    f.outputs_json = "null";
    f.flags_json = "[]";
    f.error_json = "{\"code\":" + json_quote(diag_info(d.error->code).code) +
                   ",\"message\":" + json_quote(describe_eval_error(m, *d.error, Lang::En)) + "}";
  } else {
    f.outputs_json = "{";
    for (size_t i = 0; i < m.outputs.size(); ++i)
      f.outputs_json += (i ? "," : "") + json_quote(m.outputs[i].name) + ":" +
                        value_to_json(m, d.outputs[i], m.functions[m.outputs[i].function].result);
    f.outputs_json += "}";
    f.flags_json = "[";
    for (size_t i = 0; i < d.flags.size(); ++i) f.flags_json += (i ? "," : "") + json_quote(m.flags[d.flags[i]].name);
    f.flags_json += "]";
    f.error_json = "null";
  }
  f.rejected_json = "null";
  return f;
}

LogFields rejected_entry(const std::vector<RecordProblem>& problems, const std::string& raw) {
  LogFields f;
  f.input_json = "null";  // the raw line may hold personal data: only its digest is kept
  f.input_digest = sha256_hex(raw);
  f.outputs_json = "null";
  f.flags_json = "[]";
  f.error_json = "null";
  f.rejected_json = "[";
  for (size_t i = 0; i < problems.size(); ++i) {
    Diagnostic d{problems[i].code, Span{}, problems[i].args, {}};
    f.rejected_json += (i ? "," : "") + json_quote(std::string(diag_info(d.code).code) + ": " + d.message(Lang::En));
  }
  f.rejected_json += "]";
  return f;
}

}  // namespace doudi::cli
