#include "tools/serve/service_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <utility>

#include "runtime/bundle/json_text.h"
#include "runtime/value/money.h"

namespace doudi::serve {
namespace {

Diagnostic plain(DiagCode code, std::vector<std::string> args) { return Diagnostic{code, Span{}, std::move(args), {}}; }

// At most kExcerpt code points of `line` around code point `column` (1-based).
std::string excerpt_around(const std::string& line, size_t column) {
  constexpr size_t kExcerpt = 160;
  std::vector<size_t> starts;  // byte offset of each code point
  for (size_t i = 0; i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) starts.push_back(i);
  if (starts.size() <= kExcerpt) return line;
  const size_t at = std::min(column == 0 ? 0 : column - 1, starts.size() - 1);
  const size_t first = at > kExcerpt / 2 ? std::min(at - kExcerpt / 2, starts.size() - kExcerpt) : 0;
  const size_t last = first + kExcerpt;  // one past
  const size_t end = last < starts.size() ? starts[last] : line.size();
  return (first > 0 ? "…" : "") + line.substr(starts[first], end - starts[first]) + (end < line.size() ? "…" : "");
}

}  // namespace

Response json_response(int status, const Json& body) { return json_response(status, body, RawJson{}); }

namespace {

// A stand-in's text: a control character (which a dump always escapes), a
// nonce no request can know, and the held text's number.
std::string stand_in(size_t index) {
  static const uint64_t nonce = std::random_device{}() * 0x100000000ull + std::random_device{}();
  return fmt::format("\x01" "doudi-raw-{:016x}-{}\x01", nonce, index);
}

}  // namespace

Json RawJson::hold(std::string text) {
  // Doudi's own writers' text, or the log's line that find_decision parsed
  // whole: anything else is a bug, answered 500 and logged for the operator.
  if (!Json::accept(text)) throw std::logic_error("text held as JSON is not JSON");
  const Json stand = stand_in(held_.size());
  held_.push_back(Held{stand.dump(), std::move(text)});
  return stand;
}

std::string RawJson::dump(const Json& body) const {
  // Every stand-in found in the body as dumped before any is replaced, so
  // that no held text (a household's, say) is searched.
  const std::string dumped = body.dump();
  std::vector<std::pair<size_t, const Held*>> places;  // where in `dumped`
  for (const Held& h : held_)
    if (const size_t at = dumped.find(h.dumped_stand_in); at != std::string::npos) places.emplace_back(at, &h);
  std::sort(places.begin(), places.end());
  std::string out;
  size_t from = 0;
  for (const auto& [at, h] : places) {
    out.append(dumped, from, at - from);
    out += h->text;
    from = at + h->dumped_stand_in.size();
  }
  out.append(dumped, from);
  return out;
}

Response json_response(int status, const Json& body, const RawJson& raw) {
  return Response{status, "application/json; charset=utf-8", raw.dump(body)};
}

Response error(int status, DiagCode code, std::vector<std::string> args) { return error_response(status, {plain(code, std::move(args))}); }

Json value_json(const ir::Module& m, Value v, TypeId t, bool zh) {
  const TypeId bare = m.types.unwrap(t);
  const TypeKind k = m.types.kind(bare);
  if (m.types.kind(t) == TypeKind::Optional && v.is_absent()) return Json{{"value", nullptr}};
  if (k == TypeKind::Money) return Json{{"value", format_fen_fixed(v.a)}, {"unit", m.type_name(bare, zh)}};
  if (k == TypeKind::Months || k == TypeKind::Days)
    return Json{{"value", v.a}, {"unit", k == TypeKind::Months ? (zh ? "个月" : "months") : (zh ? "日" : "days")}};
  return Json{{"value", Json::parse(value_to_json(m, v, t))}};
}

std::string query_value(const Request& r, const std::string& key) {
  auto it = r.query.find(key);
  return it == r.query.end() ? std::string() : it->second;
}

// Code, zh and en of the first diagnostic, then all of them. A minified body is
// one long line, so each excerpt keeps the part around its column and the
// answer stays about as small as the problems.
Response error_from_rendered(int status, std::string_view lines) {
  Json list = Json::array();
  for (size_t start = 0; start < lines.size();) {
    size_t end = lines.find('\n', start);
    if (end == std::string_view::npos) end = lines.size();
    if (end > start) {
      Json d = Json::parse(lines.substr(start, end - start));
      if (d["source"].is_string() && d["column"].is_number())
        d["source"] = excerpt_around(d["source"].get<std::string>(), d["column"].get<size_t>());
      list.push_back(std::move(d));
    }
    start = end + 1;
  }
  Json e{{"status", status}};
  if (!list.empty()) {
    e["code"] = list[0]["code"];
    e["zh"] = list[0]["message"]["zh"];
    e["en"] = list[0]["message"]["en"];
  }
  e["diagnostics"] = list;
  return json_response(status, Json{{"error", e}});
}

bool for_each_record_line(std::string_view body, const std::function<bool(uint32_t, std::string_view)>& each) {
  uint32_t number = 0;
  for (size_t start = 0; start < body.size();) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view text = body.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines separate nothing
    if (!each(number, text)) return false;
  }
  return true;
}

std::optional<Response> read_lang(const Request& r, Lang fallback, Lang& out) {
  const std::string name = query_value(r, "lang");
  if (!name.empty() && name != "zh" && name != "en") return error(400, DiagCode::E6002, {"lang", bilingual(" zh 或 en", "zh or en")});
  out = name.empty() ? fallback : name == "en" ? Lang::En : Lang::Zh;
  return std::nullopt;
}

}  // namespace doudi::serve
