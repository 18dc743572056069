#include "compiler/ast/keywords.h"

#include <array>
#include <utility>

namespace doudi {
namespace {

struct Spelling {
  std::string_view zh, en;
};

constexpr Spelling kKeywords[] = {
#define KW(name, zh, en) {zh, en},
#include "compiler/ast/keywords.def"
#undef KW
};

// zh, en pairs of builtin types and functions.
constexpr std::pair<std::string_view, std::string_view> kBuiltins[] = {
#define TYPE(kind, zh, en) {zh, en},
#define FUNCTION(id, zh, en, arity) {zh, en},
#include "runtime/types/builtin_names.def"
};

}  // namespace

std::string_view keyword_text(Keyword k, Dialect d) {
  const auto& s = kKeywords[static_cast<size_t>(k)];
  return d == Dialect::Zh ? s.zh : s.en;
}

std::string_view translate_builtin_name(std::string_view name, Dialect to) {
  for (const auto& [zh, en] : kBuiltins) {
    if (name == zh || name == en) return to == Dialect::Zh ? zh : en;
  }
  return name;
}

}  // namespace doudi
