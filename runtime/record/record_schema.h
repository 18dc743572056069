// The household record's JSON Schema (draft 2020-12), generated from the
// rules' schema so that a form or a client can check a record before sending
// it. It states the forms the record loader accepts: money in 元 as a number
// or a string with at most two decimals, ratios as numbers or strings
// ("30%"), dates as YYYY-MM-DD, enums by name, no unknown fields, negative
// amounts only in fields declared 可为负. A record the schema accepts can
// still be refused for what JSON Schema cannot say or this schema leaves
// unsaid: a whole number written 1.0, a number with an exponent or (as a
// JSON number) three decimals, a day that does not exist, an amount past the
// range of 分. The loader's errors are the last word.
#pragma once
#include <string>

#include "runtime/ir/ir.h"

namespace doudi {

// Annotations beyond the standard: "x-doudi-type" (the type's name in both
// dialects), "x-doudi-unit" (元/月 …), "x-doudi-sensitive" (敏感), and on
// every field "x-doudi-read-by": the outputs whose computation may read it,
// and "x-doudi-read-by-flags": the review flags whose condition may (a form
// folds away the fields that neither the outputs it shows nor a flag read).
std::string household_json_schema(const ir::Module& m);

}  // namespace doudi
