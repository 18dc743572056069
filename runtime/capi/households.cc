// Households as typed values through the C API: the fast path that skips
// JSON (a database row's columns). Checked by the same RecordBuilder as a
// JSON household, when decided.
#include "runtime/capi/capi_objects.h"
#include "runtime/value/calendar.h"

using namespace doudi;

namespace {

// Every call that takes a household and a field's handle: the call checked,
// `call(record, handle)` made inside the guard, its misuse as DOUDI_MISUSE.
template <class Call>
doudi_status on_field(doudi_household* h, int32_t field, Call&& call) {
  if (!h || field < 0) return DOUDI_MISUSE;
  return capi::guarded<doudi_status>(nullptr, DOUDI_INTERNAL, [&] {
    return call(h->record, static_cast<uint32_t>(field)) == TypedRecord::Misuse::None ? DOUDI_OK : DOUDI_MISUSE;
  });
}

doudi_status set(doudi_household* h, int32_t field, const record::Scalar& value) {
  return on_field(h, field, [&](TypedRecord& r, uint32_t f) { return r.set(f, value); });
}

}  // namespace

extern "C" {

int32_t doudi_rules_field(const doudi_rules* rules, const char* path, doudi_error** error) {
  if (!rules || !path) {
    capi::report_misuse(error, "规则集或字段路径为 NULL", "the rule set or the field's path is NULL");
    return -1;
  }
  return capi::guarded<int32_t>(error, -1, [&]() -> int32_t {
    if (auto h = rules->fields->find(path)) return static_cast<int32_t>(*h);
    std::vector<std::string> paths;
    for (size_t i = 0; i < rules->fields->size(); ++i) paths.push_back(rules->fields->field(static_cast<uint32_t>(i)).path);
    std::vector<Diagnostic> problems{Diagnostic{DiagCode::E2004, Span{}, {"$", path}, {}}};
    if (auto near = nearest_name(path, paths); !near.empty()) problems.push_back(make_note(DiagCode::N0402, Span{}, {near}));
    capi::report(error, DOUDI_REFUSED, problems);
    return -1;
  });
}

doudi_field_shape doudi_rules_field_shape(const doudi_rules* rules, int32_t field) {
  if (!rules || field < 0 || static_cast<size_t>(field) >= rules->fields->size()) return DOUDI_FIELD_NONE;
  switch (rules->fields->field(static_cast<uint32_t>(field)).shape) {
    case RecordFields::Shape::Value: return DOUDI_FIELD_VALUE;
    case RecordFields::Shape::Struct: return DOUDI_FIELD_STRUCT;
    case RecordFields::Shape::ValueList: return DOUDI_FIELD_LIST;
    case RecordFields::Shape::StructList: return DOUDI_FIELD_LIST_OF_STRUCTS;
  }
  return DOUDI_FIELD_NONE;
}

doudi_household* doudi_household_new(const doudi_rules* rules, doudi_error** error) {
  if (!rules) {
    capi::report_misuse(error, "规则集为 NULL", "the rule set is NULL");
    return nullptr;
  }
  return capi::guarded<doudi_household*>(error, nullptr, [&] {
    return new doudi_household{rules->rules, rules->fields, TypedRecord(*rules->fields)};
  });
}

void doudi_household_clear(doudi_household* household) {
  if (household) capi::guarded<int>(nullptr, 0, [&] { return household->record.clear(), 0; });
}

doudi_status doudi_household_add_item(doudi_household* household, int32_t list_field) {
  return on_field(household, list_field, [](TypedRecord& r, uint32_t f) { return r.add_item(f); });
}

doudi_status doudi_household_add_null_item(doudi_household* household, int32_t list_field) {
  return on_field(household, list_field, [](TypedRecord& r, uint32_t f) { return r.add_item(f, true); });
}

doudi_status doudi_household_open_struct(doudi_household* household, int32_t struct_field) {
  return on_field(household, struct_field, [](TypedRecord& r, uint32_t f) { return r.open_struct(f); });
}

doudi_status doudi_household_set_empty_list(doudi_household* household, int32_t list_field) {
  return on_field(household, list_field, [](TypedRecord& r, uint32_t f) { return r.set_empty_list(f); });
}

doudi_status doudi_household_set_null(doudi_household* household, int32_t field) {
  return set(household, field, record::Scalar{});
}

doudi_status doudi_household_set_bool(doudi_household* household, int32_t field, int value) {
  return set(household, field, record::Scalar{record::Scalar::Kind::Bool, {}, value ? 1 : 0});
}

doudi_status doudi_household_set_int(doudi_household* household, int32_t field, int64_t value) {
  return set(household, field, record::Scalar{record::Scalar::Kind::Integer, {}, value});
}

doudi_status doudi_household_set_fen(doudi_household* household, int32_t field, int64_t fen) {
  return set(household, field, record::Scalar{record::Scalar::Kind::Fen, {}, fen});
}

doudi_status doudi_household_set_decimal(doudi_household* household, int32_t field, const char* text, size_t size) {
  if (!text && size > 0) return DOUDI_MISUSE;
  return set(household, field, record::Scalar{record::Scalar::Kind::Number, std::string_view(text ? text : "", size), 0});
}

doudi_status doudi_household_set_text(doudi_household* household, int32_t field, const char* text, size_t size) {
  if (!text && size > 0) return DOUDI_MISUSE;
  return set(household, field, record::Scalar{record::Scalar::Kind::String, std::string_view(text ? text : "", size), 0});
}

doudi_status doudi_household_set_date(doudi_household* household, int32_t field, int year, int month, int day) {
  return on_field(household, field, [&](TypedRecord& r, uint32_t f) {
    const CivilDate d{year, static_cast<uint32_t>(month), static_cast<uint32_t>(day)};
    if (month >= 1 && day >= 1 && is_valid_civil(d) && day_in_range(days_from_civil(d)))
      return r.set(f, record::Scalar{record::Scalar::Kind::Date, {}, days_from_civil(d)});
    // No day of the calendar: refused with the household (E2008), written
    // out as the numbers were given.
    const std::string text = std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day);
    return r.set(f, record::Scalar{record::Scalar::Kind::BadDate, text, 0});
  });
}

void doudi_household_free(doudi_household* household) { delete household; }

doudi_decision* doudi_decide_household(doudi_engine* engine, doudi_household* household, doudi_error** error) {
  if (!engine || !household) {
    capi::report_misuse(error, "引擎或住户为 NULL", "the engine or the household is NULL");
    return nullptr;
  }
  if (household->rules != engine->rules && household->rules->digest() != engine->rules->digest()) {
    capi::report_misuse(error, "住户来自另一个规则集（摘要不同）", "the household comes from another rule set (a different digest)");
    return nullptr;
  }
  if (!capi::has_context(engine, error)) return nullptr;
  return capi::guarded<doudi_decision*>(error, nullptr, [&]() -> doudi_decision* {
    auto d = capi::new_decision(*engine);
    household->record.load(d->record);
    return capi::decide_loaded(*engine, std::move(d), [&] { return household->record.json(); }, error);
  });
}

}  // extern "C"
