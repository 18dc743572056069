#include "tools/serve/household_request.h"

#include <simdjson.h>

#include <algorithm>

#include "runtime/record/mask_sensitive.h"
#include "runtime/source/utf8.h"
#include "tools/serve/service_json.h"

namespace doudi::serve {

std::optional<Response> read_household_request(const std::string& body, HouseholdRequest& out,
                                               const std::vector<std::string>& extra) {
  if (auto bad = find_invalid_utf8(body)) return error(400, DiagCode::E2002, {std::to_string(*bad + 1)});
  simdjson::padded_string padded(body);
  auto malformed = [](simdjson::error_code e) { return error(400, DiagCode::E2001, {simdjson::error_message(e)}); };
  {
    // The whole body checked first (on-demand parsing reads only what it is asked for).
    simdjson::dom::parser checker;
    simdjson::dom::element ignored;
    if (auto e = checker.parse(padded).get(ignored)) return malformed(e);
  }
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (auto e = parser.iterate(padded).get(doc)) return malformed(e);
  if (auto e = doc.get_object().get(object)) {
    if (e == simdjson::INCORRECT_TYPE) return error(400, DiagCode::E6002, {"$", bilingual("一个 JSON 对象", "a JSON object")});
    return malformed(e);
  }
  bool has_jurisdiction = false, has_month = false, has_household = false;
  for (auto field : object) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return malformed(e);
    simdjson::ondemand::value value;
    if (auto e = field.value().get(value)) return malformed(e);
    auto text_field = [&](std::string& into, bool* seen) -> std::optional<Response> {
      std::string_view s;
      if (value.get_string().get(s)) return error(400, DiagCode::E6002, {std::string(key), bilingual("文字", "a string")});
      into = std::string(s);
      if (seen) *seen = true;
      return std::nullopt;
    };
    std::optional<Response> problem;
    if (key == "ruleset") problem = text_field(out.ruleset, nullptr);
    else if (key == "jurisdiction") problem = text_field(out.jurisdiction, &has_jurisdiction);
    else if (key == "month") problem = text_field(out.month, &has_month);
    else if (key == "household") {
      simdjson::ondemand::json_type type;
      if (auto e = value.type().get(type)) return malformed(e);
      if (type != simdjson::ondemand::json_type::object)
        return error(400, DiagCode::E6002, {"household", bilingual("一个 JSON 对象（家庭记录）", "a JSON object (the household record)")});
      simdjson::ondemand::object household;
      std::string_view raw;
      if (auto e = value.get_object().get(household)) return malformed(e);
      if (auto e = household.raw_json().get(raw)) return malformed(e);
      // raw points into the padded copy: the same offsets as in `body`.
      out.household_offset = static_cast<size_t>(raw.data() - padded.data());
      out.household = std::string_view(body).substr(out.household_offset, raw.size());
      has_household = true;
    } else if (std::find(extra.begin(), extra.end(), key) != extra.end()) {
      problem = text_field(out.extra[std::string(key)], nullptr);
    } else {
      std::string fields = "ruleset, jurisdiction, month, household";
      for (const auto& e : extra) fields += ", " + e;
      return error(400, DiagCode::E6003, {std::string(key), fields});
    }
    if (problem) return problem;
  }
  if (!has_jurisdiction) return error(400, DiagCode::E6001, {"jurisdiction"});
  if (!has_month) return error(400, DiagCode::E6001, {"month"});
  if (!has_household) return error(400, DiagCode::E6001, {"household"});
  return std::nullopt;
}

Response rejected_record(const ir::Module& m, const LoadedRecord& record, std::string_view household,
                         std::string text, size_t offset, uint32_t first_line) {
  std::vector<RecordProblem> problems = problems_without_sensitive_values(m, record.problems, household, stars_for);
  for (auto& p : problems) p.offset += static_cast<uint32_t>(offset);
  text.replace(offset, household.size(), mask_sensitive_values(m, household));
  return error_from_rendered(
      400, render_record_problems(problems, "request", text, RenderOptions{Lang::Zh, false, true}, first_line));
}

}  // namespace doudi::serve
