// A decision as JSON: the one encoder that `run --json`, the decision log,
// replay and embedders use. Values as value_to_json (money as exact yuan).
#pragma once
#include <functional>
#include <map>
#include <string>

#include "runtime/diag/diagnostic.h"
#include "runtime/interp/interpreter.h"
#include "runtime/ir/ir.h"

namespace doudi {

// {"output": value, ...} in the module's output order. `spaced` separates
// with ", " and ": " (as `run --json` prints); otherwise compact (the log).
// "null" for a decision that ended in an error.
// With `mask`, text outputs are written as mask(text) (the log hides 敏感 values).
std::string outputs_json(const ir::Module& m, const Decision& d, bool spaced,
                         const std::function<std::string(std::string)>& mask = {});

// ["flag", ...]: the names of the raised flags, compact; [] for a decision
// that ended in an error (it raised none).
// The same values without their names, in the module's output order (the
// decision log's form: output_names_json, once per batch, names them).
std::string output_values_json(const ir::Module& m, const Decision& d,
                               const std::function<std::string(std::string)>& mask = {});
void append_output_values_json(std::string& out, const ir::Module& m, const Decision& d,
                               const std::function<std::string(std::string)>& mask = {});
std::string output_names_json(const ir::Module& m);

std::string flag_names_json(const ir::Module& m, const Decision& d);
void append_flag_names_json(std::string& out, const ir::Module& m, const Decision& d);

// Output name → its value as value_to_json writes it (the form the log's
// outputs object holds); empty for a decision that ended in an error.
std::map<std::string, std::string> output_texts(const ir::Module& m, const Decision& d);

// {"code": "E1003", "message": "..."} for a decision that ended in an error
// (the message in `lang`, with the rule file's place); "null" otherwise.
std::string error_json(const ir::Module& m, const Decision& d, Lang lang, bool spaced);

// The whole decision on one line (no newline): module, jurisdiction, month,
// then outputs and flags with their messages, or the error.
std::string decision_json(const ir::Module& m, const std::string& jurisdiction, int64_t month, const Decision& d,
                          Lang lang);

}  // namespace doudi
