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

// zh, en pairs of builtin types and functions (see compiler/types/builtins.cc).
constexpr std::pair<std::string_view, std::string_view> kBuiltins[] = {
    {"整数", "int"},         {"比例", "ratio"},         {"布尔", "bool"},
    {"文本", "text"},        {"日期", "date"},          {"年月", "yearmonth"},
    {"按月", "per_month"},   {"按年", "per_year"},      {"月数", "months_between"},
    {"有值", "present"},     {"向下取整", "round_down"}, {"向上取整", "round_up"},
    {"四舍五入", "round_half_up"}, {"较小", "lesser"},  {"较大", "greater"},
    {"评估月份", "decision_month"},  {"首日", "first_day"},
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
