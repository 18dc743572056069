// The builtin functions, identified in the AST (Expr::ref_sub) and in the
// explanation tree (ir::ExprNode::op), in the order of builtin_names.def.
#pragma once
#include <cstdint>
#include <string_view>

namespace doudi {

enum class Builtin : uint8_t {
#define FUNCTION(id, zh, en, arity) id,
#include "runtime/types/builtin_names.def"
};

inline constexpr uint8_t kNumBuiltins = 0
#define FUNCTION(id, zh, en, arity) +1
#include "runtime/types/builtin_names.def"
    ;

inline std::string_view builtin_name(Builtin b, bool zh) {
  switch (b) {
#define FUNCTION(id, zh_name, en_name, arity) \
  case Builtin::id: return zh ? zh_name : en_name;
#include "runtime/types/builtin_names.def"
  }
  return "?";
}

}  // namespace doudi
