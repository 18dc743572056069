#include "runtime/replay/impact.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "runtime/log/logged_values.h"
#include "runtime/value/money.h"

namespace doudi {

std::map<std::string, std::string> outputs_of_json(const std::string& json) {
  // Each value's own text: through a double, an amount such as
  // 12345678901234567.89 would come back otherwise and differ.
  // None for an error result's "null" (or text that is no object).
  std::map<std::string, std::string> out;
  if (json == "null") return out;
  const simdjson::padded_string padded(json);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) return out;
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    std::string text;
    if (field.unescaped_key().get(key) || field.value().get(value) || !append_as_written(value, text)) return {};
    out[std::string(key)] = std::move(text);  // a name given twice: the last, as before
  }
  return out;
}

void add_change(Impact& imp, const std::string& before, const std::string& after, const std::string& id) {
  ++imp.changed;
  imp.ids.push_back(id);
  const auto fb = parse_money_yuan(before), fa = parse_money_yuan(after);
  if (fb.fen && fa.fen) {
    imp.money = true;
    imp.delta_fen += *fa.fen - *fb.fen;
    (*fa.fen > *fb.fen ? imp.up : imp.down) += 1;
  } else if (before == "false" && after == "true") {
    ++imp.up;
  } else if (before == "true" && after == "false") {
    ++imp.down;
  }
}

void print_impact(std::ostream& out, bool zh, const std::map<std::string, Impact>& by_output) {
  for (const auto& [name, imp] : by_output) {
    if (imp.money)
      out << fmt::format(fmt::runtime(zh ? "  {}：改变 {} 条（增加 {} 条，减少 {} 条），合计变化 {} 元\n"
                                         : "  {}: {} changed ({} up, {} down), total change {} yuan\n"),
                         name, imp.changed, imp.up, imp.down, format_fen(imp.delta_fen));
    else
      out << fmt::format(fmt::runtime(zh ? "  {}：改变 {} 条（假→真 {} 条，真→假 {} 条）\n"
                                         : "  {}: {} changed ({} false→true, {} true→false)\n"),
                         name, imp.changed, imp.up, imp.down);
  }
}

}  // namespace doudi
