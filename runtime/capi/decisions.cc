// Deciding through the C API, and reading a decision.
#include "runtime/bundle/json_text.h"
#include "runtime/capi/capi_objects.h"
#include "runtime/record/record_builder.h"

using namespace doudi;

namespace {

doudi_kind kind_of(const ir::Module& m, TypeId t, Value v) {
  const Type& type = m.types.get(t);
  if (type.kind == TypeKind::Optional) {
    if (v.is_absent()) return DOUDI_KIND_ABSENT;
    return kind_of(m, type.elem, v);
  }
  switch (type.kind) {
    case TypeKind::Bool: return DOUDI_KIND_BOOL;
    case TypeKind::Int: case TypeKind::Months: case TypeKind::Days: return DOUDI_KIND_INT;
    case TypeKind::Money: return DOUDI_KIND_MONEY;
    case TypeKind::Ratio: return DOUDI_KIND_RATIO;
    case TypeKind::Text: return DOUDI_KIND_TEXT;
    case TypeKind::Date: return DOUDI_KIND_DATE;
    case TypeKind::Enum: return DOUDI_KIND_ENUM;
    default: return DOUDI_KIND_OTHER;
  }
}

const ir::Module& module_of(const doudi_decision* d) { return d->rules->module(); }

TypeId output_type(const doudi_decision* d, size_t i) {
  const ir::Module& m = module_of(d);
  return m.functions[m.outputs[i].function].result;
}

bool has_output(const doudi_decision* d, size_t i) { return d && !d->decision.error && i < d->decision.outputs.size(); }

// Appends the entry for a decision or a refused household and writes it to
// the file; false (with *error set) if the log cannot be written.
bool log_entry(doudi_engine& engine, LogFields fields, std::string& id, doudi_error** error) {
  if (engine.chain) {
    id = engine.chain->append(engine.log_context, fields, engine.chain_lines);
    return true;
  }
  try {
    std::lock_guard lock(engine.log->mutex);
    id = engine.log->log.append(engine.log_context, fields, false);
    engine.log->log.flush();
    return true;
  } catch (const std::runtime_error& e) {
    capi::log_failed(error, engine.log->log.path(), e);
    return false;
  }
}

}  // namespace

namespace doudi::capi {

bool has_context(const doudi_engine* engine, doudi_error** error) {
  if (engine->context) return true;
  report_misuse(error, "请先用 doudi_engine_set_context 给出辖区和月份",
                "give the jurisdiction and month with doudi_engine_set_context first");
  return false;
}

std::unique_ptr<doudi_decision> new_decision(doudi_engine& engine) {
  auto d = std::make_unique<doudi_decision>();
  d->rules = engine.rules;
  d->context = *engine.context;
  engine.chain_lines.clear();
  return d;
}

doudi_decision* decide_loaded(doudi_engine& engine, std::unique_ptr<doudi_decision> d,
                              const std::function<std::string()>& raw, doudi_error** error) {
  const ir::Module& m = engine.rules->module();
  if (!d->record.ok()) {
    if (engine.logs()) {
      std::string id;
      if (!log_entry(engine, rejected_entry(m, d->record.problems, raw(), engine.key), id, error)) return nullptr;
    }
    doudi_error e{DOUDI_REFUSED, {}, {}};
    for (const auto& p : d->record.problems) {
      auto problem = problem_of(Diagnostic{p.code, Span{}, p.args, {}});
      problem.offset = p.offset == record::kNoOffset ? int64_t{-1} : int64_t{p.offset};
      e.problems.push_back(std::move(problem));
    }
    report(error, std::move(e));
    return nullptr;
  }
  engine.engine->decide_into(d->record.data, d->decision);
  if (d->decision.error) {
    const EvalError& err = *d->decision.error;
    d->error = doudi_error{DOUDI_REFUSED,
                           {{diag_info(err.code).code, describe_eval_error(m, err, Lang::Zh),
                             describe_eval_error(m, err, Lang::En), -1}},
                           {}};
  } else {
    d->output_json.resize(d->decision.outputs.size());  // written out when asked for
  }
  if (engine.logs() && !log_entry(engine, decided_entry(m, d->record.data, d->decision, engine.key), d->id, error))
    return nullptr;
  return d.release();
}

}  // namespace doudi::capi

extern "C" {

doudi_decision* doudi_decide_json(doudi_engine* engine, const char* json, size_t size, doudi_error** error) {
  if (!engine || (!json && size > 0)) {
    capi::report_misuse(error, "引擎或住户为 NULL", "the engine or the household is NULL");
    return nullptr;
  }
  if (!capi::has_context(engine, error)) return nullptr;
  return capi::guarded<doudi_decision*>(error, nullptr, [&]() -> doudi_decision* {
    const std::string_view text(json ? json : "", json ? size : 0);
    auto d = capi::new_decision(*engine);
    d->record = load_household(*engine->rules, text);
    return capi::decide_loaded(*engine, std::move(d), [&] { return std::string(text); }, error);
  });
}

int doudi_decision_ok(const doudi_decision* decision) { return decision && !decision->decision.error ? 1 : 0; }

const doudi_error* doudi_decision_error(const doudi_decision* decision) {
  return decision && decision->error ? &*decision->error : nullptr;
}

const char* doudi_decision_id(const doudi_decision* decision) {
  return decision && !decision->id.empty() ? decision->id.c_str() : nullptr;
}

size_t doudi_decision_output_count(const doudi_decision* decision) {
  return decision && !decision->decision.error ? decision->decision.outputs.size() : 0;
}

const char* doudi_decision_output_name(const doudi_decision* decision, size_t i) {
  return has_output(decision, i) ? module_of(decision).outputs[i].name.c_str() : nullptr;
}

doudi_kind doudi_decision_output_kind(const doudi_decision* decision, size_t i) {
  if (!has_output(decision, i)) return DOUDI_KIND_OTHER;
  return kind_of(module_of(decision), output_type(decision, i), decision->decision.outputs[i]);
}

const char* doudi_decision_output_json(const doudi_decision* decision, size_t i) {
  if (!has_output(decision, i)) return nullptr;
  return capi::guarded<const char*>(nullptr, nullptr, [&]() -> const char* {
    auto& json = const_cast<doudi_decision*>(decision)->output_json[i];  // made once, on first use
    if (!json) json = value_to_json(module_of(decision), decision->decision.outputs[i], output_type(decision, i));
    return json->c_str();
  });
}

doudi_status doudi_decision_output_int(const doudi_decision* decision, size_t i, int64_t* out) {
  if (!has_output(decision, i) || !out) return DOUDI_MISUSE;
  switch (doudi_decision_output_kind(decision, i)) {
    case DOUDI_KIND_BOOL: case DOUDI_KIND_INT: case DOUDI_KIND_MONEY:
      *out = decision->decision.outputs[i].a;
      return DOUDI_OK;
    default:
      return DOUDI_MISUSE;
  }
}

const char* doudi_decision_output_text(const doudi_decision* decision, size_t i) {
  if (!has_output(decision, i)) return nullptr;
  const ir::Module& m = module_of(decision);
  const Value v = decision->decision.outputs[i];
  TypeId t = output_type(decision, i);
  if (m.types.get(t).kind == TypeKind::Optional) t = m.types.get(t).elem;
  switch (doudi_decision_output_kind(decision, i)) {
    case DOUDI_KIND_TEXT: return v.text().c_str();
    case DOUDI_KIND_ENUM: {
      const auto& values = m.enums[m.types.get(t).ref].values;
      return v.a >= 0 && static_cast<size_t>(v.a) < values.size() ? values[static_cast<size_t>(v.a)].c_str() : nullptr;
    }
    default: return nullptr;
  }
}

size_t doudi_decision_flag_count(const doudi_decision* decision) { return decision ? decision->decision.flags.size() : 0; }

const char* doudi_decision_flag_name(const doudi_decision* decision, size_t i) {
  if (!decision || i >= decision->decision.flags.size()) return nullptr;
  return module_of(decision).flags[decision->decision.flags[i]].name.c_str();
}

const char* doudi_decision_flag_message(const doudi_decision* decision, size_t i) {
  if (!decision || i >= decision->decision.flags.size()) return nullptr;
  return module_of(decision).flags[decision->decision.flags[i]].message.c_str();
}

const char* doudi_decision_json(doudi_decision* decision, doudi_lang lang) {
  if (!decision) return nullptr;
  return capi::guarded<const char*>(nullptr, nullptr, [&]() -> const char* {
    std::string& json = decision->json[lang == DOUDI_EN ? 1 : 0];
    if (json.empty())
      json = decision_json(module_of(decision), decision->context.jurisdiction_name, decision->context.month,
                           decision->decision, lang == DOUDI_EN ? Lang::En : Lang::Zh);
    return json.c_str();
  });
}

void doudi_decision_free(doudi_decision* decision) { delete decision; }

}  // extern "C"
