// What the service's routes share: JSON bodies, errors, values with units.
// Internal to tools/serve.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "doudi/engine.h"
#include "tools/serve/service.h"

namespace doudi::serve {

using Json = nlohmann::ordered_json;

Response json_response(int status, const Json& body);

// JSON text the service wrote itself or read from the log, kept as written
// inside a Json value: parsed, its numbers would become doubles, and an
// amount past 2^53 分 would come back rounded (9.223372036854776e+16, a
// form the log never writes).
class RawJson {
 public:
  // A stand-in for `text` in a Json value. Throws std::logic_error if the
  // text is not JSON.
  Json hold(std::string text);
  // `body` as text, each stand-in replaced by what it holds.
  std::string dump(const Json& body) const;

 private:
  struct Held {
    std::string dumped_stand_in;  // as it appears in a dumped body
    std::string text;
  };
  std::vector<Held> held_;
};

Response json_response(int status, const Json& body, const RawJson& raw);
// One diagnostic with no place in a source (a request's field, a route).
Response error(int status, DiagCode code, std::vector<std::string> args);
// The error body from diagnostics rendered as JSON lines (`--diagnostics json`).
Response error_from_rendered(int status, std::string_view lines);

// A value as the API gives it: money as an exact decimal string with its
// unit, periods with theirs, everything else as in the decision log.
Json value_json(const ir::Module& m, Value v, TypeId t, bool zh);

// Calls `each(line number, text)` for every line of an NDJSON body that is
// not blank, a final CR removed; stops early when it returns false (and
// then returns false).
bool for_each_record_line(std::string_view body, const std::function<bool(uint32_t, std::string_view)>& each);

// The query parameter `key`, empty if absent.
std::string query_value(const Request& r, const std::string& key);
// `lang` from the query (zh or en) or the server's; an error for another value.
std::optional<Response> read_lang(const Request& r, Lang fallback, Lang& out);

}  // namespace doudi::serve
