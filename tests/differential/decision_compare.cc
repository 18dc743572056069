#include "tests/differential/decision_compare.h"

#include <fmt/format.h>

namespace doudi::testing {

std::string describe_decision(const ir::Module& m, const Decision& d) {
  if (d.error) return describe_eval_error(m, *d.error, Lang::En) + fmt::format(" (location #{})", d.error->location);
  std::string out;
  for (size_t i = 0; i < d.outputs.size(); ++i)
    out += fmt::format("{} = {} [{}, {}]\n", m.outputs[i].name, m.format_value(d.outputs[i], m.functions[m.outputs[i].function].result, false),
                       d.outputs[i].a, d.outputs[i].b);
  for (uint32_t f : d.flags) out += "flag " + m.flags[f].name + "\n";
  return out;
}

bool same_decision(const ir::Module& m, const Decision& x, const Decision& y) {
  if (x.error.has_value() != y.error.has_value()) return false;
  if (x.error)
    return x.error->code == y.error->code && x.error->args == y.error->args && x.error->location == y.error->location;
  if (x.flags != y.flags || x.outputs.size() != y.outputs.size()) return false;
  for (size_t i = 0; i < x.outputs.size(); ++i) {
    const TypeId t = m.functions[m.outputs[i].function].result;
    const bool text = m.types.kind(m.types.unwrap(t)) == TypeKind::Text && !x.outputs[i].is_absent();
    if (text ? x.outputs[i].text() != y.outputs[i].text() || y.outputs[i].is_absent() : !(x.outputs[i] == y.outputs[i]))
      return false;
  }
  return true;
}

}  // namespace doudi::testing
