#include "runtime/log/log_entry.h"

#include <fmt/format.h>

#include <cstdlib>

#include "runtime/bundle/json_text.h"
#include "runtime/decision/decision_json.h"
#include "runtime/digest/digest.h"
#include "runtime/digest/signature.h"
#include "runtime/record/record_json.h"

namespace doudi {

bool load_log_key(const ir::Module& m, const std::string& key_file, std::optional<std::string>& key,
                  std::vector<Diagnostic>& errors) {
  std::string text;
  if (!key_file.empty()) {
    std::string why;
    if (!read_key_file(key_file, text, why)) {
      errors.push_back(Diagnostic{DiagCode::E4005, Span{}, {key_file, why}, {}});
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

namespace {

// An error result as the log keeps it: the code, where in the rules (a path
// within the rules' import root, never the building machine's), and the
// message in both languages.
std::string log_error_json(const ir::Module& m, const Decision& d) {
  if (!d.error) return "null";
  const EvalError& e = *d.error;
  const Diagnostic diag{e.code, Span{}, e.args, {}};
  std::string at;
  if (e.location != 0 && e.location < m.locations.size()) {
    const auto& l = m.locations[e.location];
    at = fmt::format("{}:{}:{}", l.file, l.line, l.column);
  }
  return fmt::format("{{\"code\":{},\"at\":{},\"zh\":{},\"en\":{}}}", json_quote(diag_info(e.code).code),
                     json_quote(at), json_quote(diag.message(Lang::Zh)), json_quote(diag.message(Lang::En)));
}

}  // namespace

LogFields decided_entry(const ir::Module& m, const RecordData& record, const Decision& d,
                        const std::optional<std::string>& key) {
  LogFields f;
  f.input_json = record_to_json(m, record, key);
  f.input_digest = sha256_hex(record_to_json(m, record, std::nullopt));
  f.outputs_json = outputs_json(m, d, false);
  f.flags_json = flag_names_json(m, d);
  f.error_json = log_error_json(m, d);
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
    // Both languages: an auditor reads the log in either.
    f.rejected_json += fmt::format("{}{{\"code\":{},\"zh\":{},\"en\":{}}}", i ? "," : "",
                                   json_quote(diag_info(d.code).code), json_quote(d.message(Lang::Zh)),
                                   json_quote(d.message(Lang::En)));
  }
  f.rejected_json += "]";
  return f;
}

}  // namespace doudi
