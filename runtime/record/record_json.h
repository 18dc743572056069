// A loaded record back as canonical JSON: the schema's field order, exact
// values, defaults filled in. With a key (null: none), sensitive (敏感) text fields are
// replaced by "hmac:" + HMAC-SHA-256(key, value), so the same person links
// across log entries without being readable.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ir/ir.h"
#include "runtime/value/value.h"

namespace doudi {

// With omit_defaults, fields equal to their schema default are left out (the
// decision log's form; schema_defaults_json says what they were).
std::string record_to_json(const ir::Module& m, const RecordData& r, const std::string* key, bool omit_defaults = false);

// A structure's field as a writer takes it: where it lies (in words from
// the structure's first, record_layout.h) and when it is left out, which
// omit_defaults and the positional form do: at its default, or, an optional
// one without a default, absent (omissible_field: omit is not Never).
// Loading puts such a field back (the log's context line keeps the
// defaults, so a replay under other rules does too).
struct WrittenField {
  uint32_t offset = 0;
  bool wide = false;
  enum class Omit : uint8_t { Never, AtDefault, WhenAbsent } omit = Omit::Never;
  uint32_t mask_bit = 0;  // if omissible: its place among the omissible fields (the positional mask's bit)
  // Left out when the words, masked by `keep`, are `want`: both words the
  // default's (AtDefault), the second kAbsent (WhenAbsent), or never (a
  // masked word is never 1). Without branches: a Huining member has 45
  // fields, most left out, and the test ran for each twice.
  Value keep, want;
  bool left_out(Value v) const { return ((v.a & keep.a) == want.a) & ((v.b & keep.b) == want.b); }
};
std::vector<WrittenField> written_fields(const ir::Module& m, uint32_t struct_index);

// What a writer of many records (a batch worker) works out once per module
// rather than once per record: every struct field's name quoted with its
// colon, `"name":`; each struct's count of omissible fields
// (omissible_fields, below); its written_fields; and which of them may
// hold a 敏感 text (sensitive_texts looks at those alone).
struct RecordWriterPlan {
  explicit RecordWriterPlan(const ir::Module& m);
  std::vector<std::vector<std::string>> of_struct;   // [struct][field]
  std::vector<size_t> omissible;                     // [struct]
  std::vector<std::vector<WrittenField>> fields;     // [struct][field]
  std::vector<std::vector<uint32_t>> sensitive;      // [struct]: fields, in order
};

// The same appended to `out` (a batch reuses one string per worker), with
// the names quoted beforehand if `plan` is given.
void append_record_json(std::string& out, const ir::Module& m, const RecordData& r, const std::string* key,
                        bool omit_defaults = false, const RecordWriterPlan* plan = nullptr);

// The decision log's positional form (log format 4): a structure is an
// array of its fields' values in the schema's order, a field at its default
// (or an optional one absent) left out as with omit_defaults; a structure
// with omissible fields (omissible_field) starts with a mask of those
// given: bit j set if its j-th omissible field is written. A structure with
// more than kMaxMaskedFields omissible fields is written keyed, as
// append_record_json writes it, values inside it too. input_shape_json
// describes the form for the log's context line (runtime/log/logged_values.h
// reads it back into keyed JSON).
inline constexpr size_t kMaxMaskedFields = 52;  // a mask stays exact as a JSON number (below 2^53)
bool omissible_field(const ir::Module& m, const ir::Field& f);
size_t omissible_fields(const ir::Module& m, uint32_t struct_index);
void append_record_positional(std::string& out, const ir::Module& m, const RecordData& r, const std::string* key,
                              const RecordWriterPlan* plan = nullptr);
// {"root":SHAPE,"structs":[{"name":…,"fields":[[name,SHAPE,omissible],…]},…]}:
// SHAPE is "" for a value written as it is (nothing structured inside), "sN"
// for structure N (its index in "structs"), "[" or "?" before the shape of a
// list's items or of an optional's value.
std::string input_shape_json(const ir::Module& m);

// Every schema default, as {"Struct.field": value, ...}: what a record
// written with omit_defaults left out.
std::string schema_defaults_json(const ir::Module& m);

// What stands for a 敏感 value in the log: "hmac:" + the first 32 hex digits
// of HMAC-SHA-256(key, value as UTF-8). The one definition: record fields,
// outputs and messages all use it, so replay compares like with like.
std::string keyed_token(const std::string& key, std::string_view value);

// The record's 敏感 text values, in clear (to hide them wherever they appear).
std::vector<std::string> sensitive_texts(const ir::Module& m, const RecordData& r, const RecordWriterPlan* plan = nullptr);

bool has_sensitive_fields(const ir::Module& m);

}  // namespace doudi
