// doudi_error: problems as data, each with its stable code and both messages.
#include "runtime/capi/capi_objects.h"
#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"

namespace doudi::capi {

doudi_error::Problem problem_of(const Diagnostic& d) {
  doudi_error::Problem p{diag_info(d.code).code, d.message(Lang::Zh), d.message(Lang::En), -1};
  // A note ("did you mean …", where the rules were searched) belongs to its message.
  for (const auto& note : d.notes) {
    p.zh += "；" + note.message(Lang::Zh);
    p.en += "; " + note.message(Lang::En);
  }
  return p;
}

void report(doudi_error** out, doudi_error error) {
  if (out) *out = new doudi_error(std::move(error));
}

void report(doudi_error** out, doudi_status status, const std::vector<Diagnostic>& problems) {
  doudi_error e{status, {}, {}};
  for (const auto& d : problems) {
    if (d.severity() == Severity::Note && !e.problems.empty()) {
      e.problems.back().zh += "；" + d.message(Lang::Zh);
      e.problems.back().en += "; " + d.message(Lang::En);
      continue;
    }
    e.problems.push_back(problem_of(d));
  }
  if (e.problems.empty()) e.problems.push_back({"", "未知的错误", "unknown error", -1});
  report(out, std::move(e));
}

void report_misuse(doudi_error** out, const std::string& what_zh, const std::string& what_en) {
  report(out, doudi_error{DOUDI_MISUSE, {{"", "C 接口调用有误：" + what_zh, "the C API was called wrongly: " + what_en, -1}}, {}});
}

void report_internal(doudi_error** out, const std::string& zh, const std::string& en) noexcept {
  try {
    report(out, doudi_error{DOUDI_INTERNAL, {{"", zh, en, -1}}, {}});
  } catch (...) {  // out of memory while reporting: the status still says it failed
  }
}

doudi_status log_failed(doudi_error** out, const std::string& path, const std::exception& e) {
  report(out, DOUDI_UNAVAILABLE, {Diagnostic{DiagCode::E4003, Span{}, {path, e.what()}, {}}});
  return DOUDI_UNAVAILABLE;
}

bool load_key(const doudi_engine& engine, const char* key_file, std::optional<LogKey>& key, doudi_error** out) {
  std::vector<Diagnostic> errors;
  if (load_log_key(engine.rules->module(), key_file ? key_file : "", key, errors)) return true;
  report(out, DOUDI_REFUSED, errors);
  return false;
}

std::optional<std::string> batch_nonce(doudi_error** out) {
  auto nonce = random_hex(16);
  if (!nonce) report_internal(out, "系统没有给出随机数", "the system gave no random bytes");
  return nonce;
}

}  // namespace doudi::capi

using namespace doudi;

extern "C" {

doudi_status doudi_error_status(const doudi_error* error) { return error ? error->status : DOUDI_MISUSE; }

size_t doudi_error_count(const doudi_error* error) { return error ? error->problems.size() : 0; }

const char* doudi_error_code(const doudi_error* error, size_t i) {
  return error && i < error->problems.size() ? error->problems[i].code.c_str() : nullptr;
}

const char* doudi_error_message(const doudi_error* error, size_t i, doudi_lang lang) {
  if (!error || i >= error->problems.size()) return nullptr;
  return (lang == DOUDI_EN ? error->problems[i].en : error->problems[i].zh).c_str();
}

int64_t doudi_error_offset(const doudi_error* error, size_t i) {
  return error && i < error->problems.size() ? error->problems[i].offset : -1;
}

const char* doudi_error_json(const doudi_error* error) {
  if (!error) return nullptr;
  return capi::guarded<const char*>(nullptr, nullptr, [&]() -> const char* {
    auto* e = const_cast<doudi_error*>(error);  // the text is made once, on first use
    if (e->json.empty()) {
      std::string out = "[";
      for (size_t i = 0; i < e->problems.size(); ++i) {
        const auto& p = e->problems[i];
        out += (i ? ", " : "") + std::string("{\"code\": ") + json_quote(p.code) + ", \"zh\": " + json_quote(p.zh) +
               ", \"en\": " + json_quote(p.en) + ", \"offset\": " + std::to_string(p.offset) + "}";
      }
      e->json = out + "]";
    }
    return e->json.c_str();
  });
}

void doudi_error_free(doudi_error* error) { delete error; }

}  // extern "C"
