#pragma once
#include <string_view>

namespace doudi {

enum class Dialect { Zh, En };

enum class Keyword {
#define KW(name, zh, en) name,
#include "compiler/ast/keywords.def"
#undef KW
};

std::string_view keyword_text(Keyword k, Dialect d);

// Builtin type and function names are identifiers, not keywords, but they too
// have one spelling per dialect; the formatter translates them.
std::string_view translate_builtin_name(std::string_view name, Dialect to);

}  // namespace doudi
