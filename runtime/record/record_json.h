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

// Every struct field's name quoted with its colon, `"name":`, made once for
// a writer of many records (a batch worker) rather than once per record.
struct QuotedFieldNames {
  explicit QuotedFieldNames(const ir::Module& m);
  std::vector<std::vector<std::string>> of_struct;  // [struct][field]
};

// The same appended to `out` (a batch reuses one string per worker), with
// the names quoted beforehand if `names` is given.
void append_record_json(std::string& out, const ir::Module& m, const RecordData& r, const std::string* key,
                        bool omit_defaults = false, const QuotedFieldNames* names = nullptr);

// Every schema default, as {"Struct.field": value, ...}: what a record
// written with omit_defaults left out.
std::string schema_defaults_json(const ir::Module& m);

// What stands for a 敏感 value in the log: "hmac:" + the first 32 hex digits
// of HMAC-SHA-256(key, value as UTF-8). The one definition: record fields,
// outputs and messages all use it, so replay compares like with like.
std::string keyed_token(const std::string& key, std::string_view value);

// The record's 敏感 text values, in clear (to hide them wherever they appear).
std::vector<std::string> sensitive_texts(const ir::Module& m, const RecordData& r);

bool has_sensitive_fields(const ir::Module& m);

}  // namespace doudi
