// What the C API's handles are (include/doudi/doudi.h), and the guard that
// keeps C++ exceptions from crossing into C.
#pragma once
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "doudi/doudi.h"
#include "doudi/engine.h"
#include "runtime/log/decision_log.h"
#include "runtime/log/log_chain.h"
#include "runtime/log/log_entry.h"
#include "runtime/record/typed_record.h"

struct doudi_error {
  struct Problem {
    std::string code;  // "" for misuse and internal failures
    std::string zh, en;
    int64_t offset = -1;
  };
  doudi_status status = DOUDI_INTERNAL;
  std::vector<Problem> problems;
  std::string json;  // doudi_error_json, made on first use
};

struct doudi_rules {
  std::shared_ptr<const doudi::RuleSet> rules;
  std::shared_ptr<const doudi::RecordFields> fields;  // the handles of typed households
};

struct doudi_household {
  std::shared_ptr<const doudi::RuleSet> rules;  // keeps the schema `fields` reads alive
  std::shared_ptr<const doudi::RecordFields> fields;
  doudi::TypedRecord record;
};

struct doudi_log {
  std::mutex mutex;  // engines on several threads append to one log
  doudi::DecisionLog log;
  std::string nonce;  // makes each opening's batches its own: decisions of two runs never share a batch id
};

struct doudi_engine {
  std::shared_ptr<const doudi::RuleSet> rules;
  std::unique_ptr<doudi::Engine> engine;
  std::string kind;
  std::optional<doudi::DecisionContext> context;
  doudi_log* log = nullptr;               // a log file
  std::optional<doudi::LogChain> chain;   // or a log the caller keeps (doudi_engine_keep_log)
  std::vector<std::string> chain_lines;   // the lines the last call logged there
  std::string nonce;                      // this engine's batches in a kept log
  std::optional<doudi::LogKey> key;
  doudi::LogContext log_context;  // for the context and the key in use
  bool logs() const { return log || chain; }
};

struct doudi_decision {
  std::shared_ptr<const doudi::RuleSet> rules;
  doudi::DecisionContext context;
  doudi::LoadedRecord record;  // a text output may point into the record's strings
  doudi::Decision decision;
  std::vector<std::optional<std::string>> output_json;  // value_to_json of each output, made on first use
  std::optional<doudi_error> error;      // the error result as a problem
  std::string id;                        // in the log; empty without one
  std::string json[2];                   // doudi_decision_json by language, made on first use
};

namespace doudi::capi {

// Sets *out (when the caller asked for errors) to a new error object.
void report(doudi_error** out, doudi_error error);
void report(doudi_error** out, doudi_status status, const std::vector<Diagnostic>& problems);
void report_misuse(doudi_error** out, const std::string& what_zh, const std::string& what_en);
// DOUDI_INTERNAL with one problem; never throws (out of memory: nothing is set).
void report_internal(doudi_error** out, const std::string& zh, const std::string& en) noexcept;
doudi_error::Problem problem_of(const Diagnostic& d);

// A decision log `path` that could not be written: DOUDI_UNAVAILABLE, E4003.
doudi_status log_failed(doudi_error** out, const std::string& path, const std::exception& e);

// The log key of `key_file` (NULL: $DOUDI_LOG_KEY) for the engine's rules;
// false with DOUDI_REFUSED reported (E4002 without a key where the schema
// has sensitive fields, E4005 for a key file that cannot be used, E4009 for
// a key in $DOUDI_LOG_KEY that cannot).
bool load_key(const doudi_engine& engine, const char* key_file, std::optional<LogKey>& key, doudi_error** out);

// A nonce that makes batches of one log opening (or one kept log's engine)
// their own; none, with DOUDI_INTERNAL reported, if the system gives no
// random bytes.
std::optional<std::string> batch_nonce(doudi_error** out);

// Whether the engine has a context (DOUDI_MISUSE reported if not).
bool has_context(const doudi_engine* engine, doudi_error** error);
// A decision about to be made by `engine` (its kept log's lines cleared).
std::unique_ptr<doudi_decision> new_decision(doudi_engine& engine);
// Decides the household loaded into d->record, or reports it refused, and
// logs either when the engine logs; `raw` gives the household's text for a
// refused one's log entry. Null when refused or the log cannot be written.
doudi_decision* decide_loaded(doudi_engine& engine, std::unique_ptr<doudi_decision> d,
                              const std::function<std::string()>& raw, doudi_error** error);

// Runs `body`; an exception becomes DOUDI_INTERNAL in *error and `failed` is
// returned: nothing thrown inside the library reaches a C caller.
template <class Result, class Body>
Result guarded(doudi_error** error, Result failed, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    report_internal(error, "内存不足", "out of memory");
  } catch (const std::exception& e) {
    report_internal(error, std::string("Doudi 库内部错误：") + e.what(),
                    std::string("internal error in the Doudi library: ") + e.what());
  } catch (...) {
    report_internal(error, "Doudi 库内部错误", "internal error in the Doudi library");
  }
  return failed;
}

}  // namespace doudi::capi
