// Typed households (the C API's and the database's fast path), built from
// the input as a sequence of calls against the Huining deployment's schema:
// open an item of a list, set any field to a value of any kind (分 and dates
// where amounts and dates are wanted), give a list empty, start again. Whatever the calls, loading the household must give
// exactly what loading its JSON form gives — the same values, or the same
// problems — and a household that loads is decided and explained.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "runtime/record/record_json.h"
#include "runtime/record/typed_record.h"
#include "runtime/value/calendar.h"
#include "tests/fuzz/exercise.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using doudi::record::Scalar;


// Texts the schema's fields take, and some they do not.
const char* const kTexts[] = {"城市", "农村", "肢体", "智力", "低保", "无", "2022-06", "2022-06-01", "2022-02-30",
                              "30%", "-30%", "828.50", "1.005", "-1", "", "abc", "\xE4\xB8", "有劳动能力", "已脱贫"};
// Decimal numbers as JSON writes them (a typed source's text that is not
// one is refused as not a number; JSON text would not parse at all).
const char* const kNumbers[] = {"0", "1", "-3", "828.5", "828.50", "0.001", "1e2", "-0", "9223372036854775807",
                                "9223372036854775808", "99999999999999999.99", "12.345"};

std::string problems_of(const doudi::LoadedRecord& r) {
  std::string out;
  for (const auto& p : r.problems) {
    out += std::string(doudi::diag_info(p.code).code);
    // E2002 counts its byte in the value (typed) or in the text (JSON).
    if (p.code != doudi::DiagCode::E2002)
      for (const auto& a : p.args) out += " | " + a;
    out += "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace doudi;
  const fuzz::Deployment& r = fuzz::huining_deployment();
  const ir::Module& m = r.rules->module();
  static const RecordFields fields(m);
  static TypedRecord typed(fields);
  typed.clear();
  size_t at = 0;
  auto byte = [&]() -> uint8_t { return at < size ? data[at++] : 0; };
  auto number = [&]() -> int64_t {
    if (byte() & 1) return static_cast<int8_t>(byte());
    uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | byte();
    return static_cast<int64_t>(v);
  };
  while (at < size) {
    const uint8_t op = byte();
    const uint32_t field = byte() % static_cast<uint32_t>(fields.size() + 1);  // one past the end: misuse
    // What the field's values are (one past the end: any).
    const TypeKind kind = field < fields.size() ? m.types.kind(fields.value_type(field)) : TypeKind::Int;
    switch (op % 11) {
      case 0: (void)typed.add_item(field); break;
      case 9: (void)typed.add_item(field, true); break;  // a null item
      case 10: (void)typed.open_struct(field); break;
      case 1: (void)typed.set(field, Scalar{}); break;
      case 2: (void)typed.set(field, Scalar{Scalar::Kind::Bool, {}, byte() & 1}); break;
      case 3: {
        // A bare whole number for an amount is refused typed (yuan or 分?):
        // there, the number as decimal text, as JSON writes it.
        const int64_t n = number();
        if (kind != TypeKind::Money) (void)typed.set(field, Scalar{Scalar::Kind::Integer, {}, n});
        else (void)typed.set(field, Scalar{Scalar::Kind::Number, kNumbers[static_cast<uint64_t>(n) % std::size(kNumbers)], 0});
        break;
      }
      // 分 and dates only where an amount or a date is wanted: elsewhere the
      // household is refused for the wrong type (E2005), where its JSON form
      // (a number, a string) may be refused otherwise (E2006 for an enum).
      case 4: {
        const Scalar::Kind k = kind == TypeKind::Money ? Scalar::Kind::Fen : Scalar::Kind::Integer;
        (void)typed.set(field, Scalar{k, {}, number()});
        break;
      }
      case 5: {
        const int64_t day = days_from_civil({2022, 6, 1}) + static_cast<int16_t>(number());
        if (kind == TypeKind::Date || kind == TypeKind::YearMonth) (void)typed.set(field, Scalar{Scalar::Kind::Date, {}, day});
        else (void)typed.set(field, Scalar{Scalar::Kind::String, kTexts[byte() % std::size(kTexts)], 0});
        break;
      }
      case 6: (void)typed.set(field, Scalar{Scalar::Kind::String, kTexts[byte() % std::size(kTexts)], 0}); break;
      case 7: (void)typed.set(field, Scalar{Scalar::Kind::Number, kNumbers[byte() % std::size(kNumbers)], 0}); break;
      case 8: (void)typed.set_empty_list(field); break;
    }
    if (op == 0xFF) typed.clear();
  }
  LoadedRecord loaded;
  typed.load(loaded);
  const std::string json = typed.json();
  const LoadedRecord from_json = load_household(*r.rules, json);
  if (problems_of(loaded) != problems_of(from_json) ||
      (loaded.ok() && record_to_json(m, loaded.data, nullptr) != record_to_json(m, from_json.data, nullptr))) {
    std::fprintf(stderr, "typed and JSON disagree on %s\ntyped:\n%sJSON:\n%s", json.c_str(), problems_of(loaded).c_str(),
                 problems_of(from_json).c_str());
    std::abort();
  }
  if (loaded.ok()) fuzz::decide_and_explain(r.rules, r.context, loaded.data);
  return 0;
}
