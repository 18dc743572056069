// A loaded record back as canonical JSON: the schema's field order, exact
// values, defaults filled in. With a key, sensitive (敏感) text fields are
// replaced by "hmac:" + HMAC-SHA-256(key, value), so the same person links
// across log entries without being readable.
#pragma once
#include <optional>
#include <string>

#include "runtime/ir/ir.h"
#include "runtime/value/value.h"

namespace doudi {

std::string record_to_json(const ir::Module& m, const RecordData& r, const std::optional<std::string>& key);

bool has_sensitive_fields(const ir::Module& m);

}  // namespace doudi
