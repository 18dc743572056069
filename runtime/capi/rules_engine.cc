// Rule sets and engines through the C API.
#include "runtime/capi/capi_objects.h"
#include "runtime/record/record_json.h"
#include "runtime/source/read_file.h"
#include "runtime/value/calendar.h"

using namespace doudi;

namespace {

// The log's context for the engine's context, rules and key: decisions of
// one rule set, month and jurisdiction in one opening of the log share a
// batch and its context line.
void update_log_context(doudi_engine& e) {
  if (!e.logs() || !e.context) return;
  LogContext& where = e.log_context;
  where.month = format_year_month(e.context->month);
  where.jurisdiction = e.context->jurisdiction_name;
  where.bundle = e.rules->digest();
  describe_schema(where, e.rules->module());
  where.bundle_signer.clear();  // the library does not check signatures (doudi verify-bundle does)
  where.key_id = e.key ? e.key->id : "";
  where.batch = batch_id(where.bundle, where.month, where.jurisdiction, "capi " + (e.log ? e.log->nonce : e.nonce));
}

}  // namespace

extern "C" {

#define DOUDI_STRING(x) #x
#define DOUDI_VERSION_TEXT(major, minor, patch) DOUDI_STRING(major) "." DOUDI_STRING(minor) "." DOUDI_STRING(patch)
const char* doudi_version(void) {
  return DOUDI_VERSION_TEXT(DOUDI_VERSION_MAJOR, DOUDI_VERSION_MINOR, DOUDI_VERSION_PATCH);
}

doudi_rules* doudi_rules_from_bundle(const void* bytes, size_t size, const char* origin, doudi_error** error) {
  if (!bytes && size > 0) {
    capi::report_misuse(error, "规则包的字节为 NULL", "the bundle's bytes are NULL");
    return nullptr;
  }
  return capi::guarded<doudi_rules*>(error, nullptr, [&]() -> doudi_rules* {
    std::vector<Diagnostic> errors;
    const std::string_view data(static_cast<const char*>(bytes), bytes ? size : 0);
    auto rules = RuleSet::from_bundle(data, origin ? origin : "bundle", errors);
    if (!rules) {
      capi::report(error, DOUDI_REFUSED, errors);
      return nullptr;
    }
    auto fields = std::make_shared<const RecordFields>(rules->module());
    return new doudi_rules{std::move(rules), std::move(fields)};
  });
}

doudi_rules* doudi_rules_open(const char* path, doudi_error** error) {
  if (!path) {
    capi::report_misuse(error, "路径为 NULL", "the path is NULL");
    return nullptr;
  }
  return capi::guarded<doudi_rules*>(error, nullptr, [&]() -> doudi_rules* {
    std::string bytes;
    if (!read_source_file(path, bytes)) {
      capi::report(error, DOUDI_REFUSED, {unreadable_file(path)});
      return nullptr;
    }
    return doudi_rules_from_bundle(bytes.data(), bytes.size(), path, error);
  });
}

const char* doudi_rules_digest(const doudi_rules* rules) { return rules ? rules->rules->digest().c_str() : nullptr; }

const char* doudi_rules_module(const doudi_rules* rules) { return rules ? rules->rules->module().name.c_str() : nullptr; }

size_t doudi_rules_output_count(const doudi_rules* rules) { return rules ? rules->rules->module().outputs.size() : 0; }

const char* doudi_rules_output_name(const doudi_rules* rules, size_t i) {
  if (!rules || i >= rules->rules->module().outputs.size()) return nullptr;
  return rules->rules->module().outputs[i].name.c_str();
}

void doudi_rules_free(doudi_rules* rules) { delete rules; }

doudi_engine* doudi_engine_new(const doudi_rules* rules, const char* kind, doudi_error** error) {
  if (!rules) {
    capi::report_misuse(error, "规则集为 NULL", "the rule set is NULL");
    return nullptr;
  }
  return capi::guarded<doudi_engine*>(error, nullptr, [&]() -> doudi_engine* {
    std::vector<Diagnostic> errors;
    if (!rules->rules->decides(errors)) {
      capi::report(error, DOUDI_REFUSED, errors);
      return nullptr;
    }
    auto e = std::make_unique<doudi_engine>();
    e->rules = rules->rules;
    EngineKind chosen = EngineKind::Interpreter;
    if (kind) {
      const auto named = engine_named(kind);
      if (!named) {
        capi::report_misuse(error, std::string("没有名为 ") + kind + " 的引擎（可用：interp、jit）",
                            std::string("there is no engine named ") + kind + " (there are: interp, jit)");
        return nullptr;
      }
      chosen = *named;
      std::string why;
      e->engine = make_engine(chosen, e->rules, why);
      if (!e->engine) {
        capi::report(error, DOUDI_UNAVAILABLE, {Diagnostic{DiagCode::E3011, Span{}, {why}, {}}});
        return nullptr;
      }
    } else {
      // The fastest engine that loads; the interpreter always does.
      std::string why;
      if (compiled_engine_built() && (e->engine = make_engine(EngineKind::Compiled, e->rules, why)))
        chosen = EngineKind::Compiled;
      else
        e->engine = make_interpreter(e->rules);
    }
    e->kind = engine_name(chosen);
    return e.release();
  });
}

const char* doudi_engine_kind(const doudi_engine* engine) { return engine ? engine->kind.c_str() : nullptr; }

doudi_status doudi_engine_set_context(doudi_engine* engine, const char* jurisdiction, const char* month,
                                      doudi_error** error) {
  if (!engine || !jurisdiction || !month) {
    capi::report_misuse(error, "引擎、辖区或月份为 NULL", "the engine, the jurisdiction or the month is NULL");
    return DOUDI_MISUSE;
  }
  return capi::guarded<doudi_status>(error, DOUDI_INTERNAL, [&] {
    std::vector<Diagnostic> errors;
    auto context = engine->rules->context(jurisdiction, month, errors);
    if (!context) {
      capi::report(error, DOUDI_REFUSED, errors);
      return DOUDI_REFUSED;
    }
    engine->engine->set_context(*context);
    engine->context = std::move(context);
    update_log_context(*engine);
    return DOUDI_OK;
  });
}

doudi_status doudi_engine_set_log(doudi_engine* engine, doudi_log* log, const char* key_file, doudi_error** error) {
  if (!engine) {
    capi::report_misuse(error, "引擎为 NULL", "the engine is NULL");
    return DOUDI_MISUSE;
  }
  return capi::guarded<doudi_status>(error, DOUDI_INTERNAL, [&] {
    if (!log) {  // no log of either kind from now on
      engine->log = nullptr;
      engine->chain.reset();
      engine->chain_lines.clear();
      engine->key.reset();
      return DOUDI_OK;
    }
    std::optional<LogKey> key;
    if (!capi::load_key(*engine, key_file, key, error)) return DOUDI_REFUSED;
    engine->log = log;
    engine->chain.reset();
    engine->chain_lines.clear();
    engine->key = std::move(key);
    update_log_context(*engine);
    return DOUDI_OK;
  });
}

doudi_status doudi_engine_keep_log(doudi_engine* engine, const char* key_file, doudi_error** error) {
  if (!engine) {
    capi::report_misuse(error, "引擎为 NULL", "the engine is NULL");
    return DOUDI_MISUSE;
  }
  return capi::guarded<doudi_status>(error, DOUDI_INTERNAL, [&] {
    std::optional<LogKey> key;
    if (!capi::load_key(*engine, key_file, key, error)) return DOUDI_REFUSED;
    if (engine->nonce.empty()) {
      const auto nonce = capi::batch_nonce(error);
      if (!nonce) return DOUDI_INTERNAL;
      engine->nonce = *nonce;
    }
    engine->log = nullptr;
    engine->chain.emplace(ChainHead{});
    engine->chain_lines.clear();
    engine->key = std::move(key);
    update_log_context(*engine);
    return DOUDI_OK;
  });
}

doudi_status doudi_engine_set_log_head(doudi_engine* engine, const char* last_line, const char* context_line,
                                       doudi_error** error) {
  if (!engine || !engine->chain) {
    capi::report_misuse(error, "引擎为 NULL，或没有调用 doudi_engine_keep_log",
                        "the engine is NULL, or doudi_engine_keep_log was not called");
    return DOUDI_MISUSE;
  }
  return capi::guarded<doudi_status>(error, DOUDI_INTERNAL, [&] {
    std::string why;
    auto head = read_chain_head(last_line ? last_line : "", context_line ? context_line : "", why);
    if (!head) {
      capi::report(error, DOUDI_REFUSED, {Diagnostic{DiagCode::E4003, Span{}, {bilingual("调用方保存的日志", "the kept log"), why}, {}}});
      return DOUDI_REFUSED;
    }
    engine->chain.emplace(std::move(*head));
    return DOUDI_OK;
  });
}

size_t doudi_engine_log_line_count(const doudi_engine* engine) { return engine ? engine->chain_lines.size() : 0; }

const char* doudi_engine_log_line(const doudi_engine* engine, size_t i) {
  return engine && i < engine->chain_lines.size() ? engine->chain_lines[i].c_str() : nullptr;
}

void doudi_engine_free(doudi_engine* engine) { delete engine; }

}  // extern "C"
