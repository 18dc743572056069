// Operator symbols (operators.def), shared by the compiler's messages and
// formatter and the interpreter's trace of comparisons.
#pragma once
#include <cstdint>
#include <string_view>

namespace doudi {

enum class Operator : uint8_t {
#define OPERATOR(name, zh, en) name,
#include "runtime/source/operators.def"
#undef OPERATOR
};

inline std::string_view operator_text(Operator op, bool zh) {
  switch (op) {
#define OPERATOR(name, zh_text, en_text) \
  case Operator::name: return zh ? zh_text : en_text;
#include "runtime/source/operators.def"
#undef OPERATOR
  }
  return "?";
}

}  // namespace doudi
