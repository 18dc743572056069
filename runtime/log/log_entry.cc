#include "runtime/log/log_entry.h"

#include <cstdlib>

#include "runtime/bundle/json_text.h"
#include "runtime/decision/decision_json.h"
#include "runtime/digest/digest.h"
#include "runtime/record/record_json.h"
#include "runtime/source/read_file.h"

namespace doudi {

bool load_log_key(const ir::Module& m, const std::string& key_file, std::optional<std::string>& key,
                  std::vector<Diagnostic>& errors) {
  std::string text;
  if (!key_file.empty()) {
    if (!read_source_file(key_file, text)) {
      errors.push_back(unreadable_file(key_file));
      return false;
    }
  } else if (const char* env = std::getenv("DOUDI_LOG_KEY")) {
    text = env;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (!text.empty()) key = text;
  if (!key && has_sensitive_fields(m)) {
    errors.push_back(Diagnostic{DiagCode::E4002, Span{}, {}, {}});
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
  f.outputs_json = outputs_json(m, d, false);
  f.flags_json = flag_names_json(m, d);
  f.error_json = error_json(m, d, Lang::En, false);
  f.rejected_json = "null";
  return f;
}

LogFields rejected_entry(const std::vector<RecordProblem>& problems, std::string_view raw) {
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

}  // namespace doudi
