#include "runtime/source/read_file.h"
#include "runtime/log/log_entry.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "runtime/bundle/json_text.h"
#include "runtime/decision/decision_json.h"
#include "runtime/digest/digest.h"
#include "runtime/digest/signature.h"
#include "runtime/record/mask_sensitive.h"
#include "runtime/record/record_json.h"

namespace doudi {

bool read_log_key(const std::string& key_file, std::optional<LogKey>& key, std::vector<Diagnostic>& errors) {
  std::string text;
  const bool from_file = !key_file.empty();
  if (from_file) {
    std::string why;
    if (!read_regular_file(key_file, text, why, kMaxKeyFileBytes)) {
      errors.push_back(Diagnostic{DiagCode::E4005, Span{}, {key_file, why}, {}});
      return false;
    }
    if (readable_by_others(key_file)) errors.push_back(Diagnostic{DiagCode::W4006, Span{}, {key_file}, {}});
  } else if (const char* env = std::getenv("DOUDI_LOG_KEY")) {
    text = env;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  // The variable holds the key itself. A key file's name put there by
  // mistake would key every digest with a name anyone can guess; a random
  // key never names a file that exists.
  std::error_code no_such;
  if (!from_file && !text.empty() && std::filesystem::exists(text, no_such)) {
    errors.push_back(Diagnostic{
        DiagCode::E4009, Span{},
        {bilingual(fmt::format("它是 `{}` 的路径，而这个变量应当存放密钥本身；密钥文件请用 --key-file 给出", text),
                   fmt::format("it is the path `{}`, and the variable holds the key itself; give a key file with --key-file",
                               text))},
        {}});
    return false;
  }
  if (!text.empty() && text.size() < kMinLogKeyBytes) {
    const std::string why =
        bilingual(fmt::format("只有 {} 字节，至少需要 {} 字节；可用 head -c 32 /dev/urandom | base64 生成", text.size(), kMinLogKeyBytes),
                  fmt::format("only {} bytes, and at least {} are needed; make one with head -c 32 /dev/urandom | base64",
                              text.size(), kMinLogKeyBytes));
    errors.push_back(from_file ? Diagnostic{DiagCode::E4005, Span{}, {key_file, why}, {}}
                               : Diagnostic{DiagCode::E4009, Span{}, {why}, {}});
    return false;
  }
  if (!text.empty()) key.emplace(std::move(text));
  return true;
}

bool load_log_key(const ir::Module& m, const std::string& key_file, std::optional<LogKey>& key,
                  std::vector<Diagnostic>& errors) {
  if (!read_log_key(key_file, key, errors)) return false;
  if (!key && has_sensitive_fields(m)) {
    errors.push_back(Diagnostic{DiagCode::E4002, Span{}, {}, {}});
    return false;
  }
  return true;
}

std::string log_key_id(const std::string& key) { return hmac_sha256_hex(key, "doudi log key id").substr(0, 16); }

LogKey::LogKey(std::string s) : secret(std::move(s)), id(log_key_id(secret)) {}

std::string input_digest(const std::optional<LogKey>& key, std::string_view data) {
  return key ? "hmac:" + hmac_sha256_hex(key->secret, data) : sha256_hex(data);
}

std::string batch_id(const std::string& bundle, const std::string& month, const std::string& jurisdiction,
                     const std::string& input_digest) {
  return sha256_hex(bundle + "|" + month + "|" + jurisdiction + "|" + input_digest).substr(0, 16);
}

std::string error_place(const ir::Module& m, const EvalError& e) {
  if (e.location == 0 || e.location >= m.locations.size()) return "";
  const auto& l = m.locations[e.location];
  return fmt::format("{}:{}:{}", l.file, l.line, l.column);
}

namespace {

// An error result as the log keeps it: the code, where in the rules (a path
// within the rules' import root, never the building machine's), and the
// message in both languages, with 敏感 values replaced by `hide`.
std::string log_error_json(const ir::Module& m, const Decision& d,
                           const std::function<std::string(std::string)>& hide) {
  if (!d.error) return "null";
  const EvalError& e = *d.error;
  Diagnostic diag{e.code, Span{}, e.args, {}};
  for (auto& arg : diag.args) arg = hide(arg);
  return fmt::format("{{\"code\":{},\"at\":{},\"zh\":{},\"en\":{}}}", json_quote(diag_info(e.code).code),
                     json_quote(error_place(m, e)), json_quote(diag.message(Lang::Zh)), json_quote(diag.message(Lang::En)));
}

}  // namespace

void describe_schema(LogContext& c, const ir::Module& m) {
  c.outputs = output_names_json(m);
  c.defaults = schema_defaults_json(m);
  c.input_shape = input_shape_json(m);
}

LogFields decided_entry(const ir::Module& m, const RecordData& record, const Decision& d,
                        const std::optional<LogKey>& key) {
  LogFields f;
  decided_entry(f, m, record, d, key);
  return f;
}

void decided_entry(LogFields& f, const ir::Module& m, const RecordData& record, const Decision& d,
                   const std::optional<LogKey>& key, const RecordWriterPlan* plan) {
  // An output or a message that repeats a 敏感 value carries its keyed token,
  // as the logged record does: replay, deciding from that record, gets the same.
  const auto clear = key ? sensitive_texts(m, record, plan) : std::vector<std::string>{};
  const auto hide = [&](std::string text) {
    return replace_values(std::move(text), clear, [&](const std::string& v) { return keyed_token(key->secret, v); });
  };
  std::function<std::string(std::string)> mask;  // none when the record has no 敏感 text
  if (!clear.empty()) mask = hide;
  f.index = 0;
  f.input_json.clear();
  append_record_positional(f.input_json, m, record, key ? &key->secret : nullptr, plan);
  f.input_digest.clear();
  f.outputs_json.clear();
  append_output_values_json(f.outputs_json, m, d, mask);
  f.flags_json.clear();
  append_flag_names_json(f.flags_json, m, d);
  f.error_json = log_error_json(m, d, hide);
  f.rejected_json = "null";
}

LogFields rejected_entry(const ir::Module& m, const std::vector<RecordProblem>& given, std::string_view raw,
                         const std::optional<LogKey>& key) {
  const auto problems = problems_without_sensitive_values(
      m, given, raw, [&](const std::string& v) { return key ? keyed_token(key->secret, v) : stars_for(v); });
  LogFields f;
  f.input_json = "null";  // the raw line may hold personal data: only its digest is kept
  f.input_digest = input_digest(key, raw);
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
