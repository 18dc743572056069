// The body of a request about one household (/v1/decide, /v1/why-not,
// /v1/thresholds): where and when, the household, and what a question
// route adds. Internal to tools/serve.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doudi/engine.h"
#include "tools/serve/service.h"

namespace doudi::serve {

// The household is kept as its raw text and where it starts in the body,
// so a record's problems are placed at their line and column in what the
// client sent.
struct HouseholdRequest {
  std::string ruleset, jurisdiction, month;
  std::string_view household;  // into the body
  size_t household_offset = 0;
  std::map<std::string, std::string> extra;  // the route's own text fields that were given
};

// Reads ruleset (optional), jurisdiction, month and household, and the text
// fields named in `extra` (each optional here: the route says which it
// needs). Anything else is E6003, a missing field E6001, a wrong type E6002.
std::optional<Response> read_household_request(const std::string& body, HouseholdRequest& out,
                                               const std::vector<std::string>& extra = {});

// A rejected record's problems as an error body, placed in `text` (the
// request body, or a batch's line numbered `first_line`) where the household
// starts at `offset`; 敏感 values masked in the messages and excerpts.
Response rejected_record(const ir::Module& m, const LoadedRecord& record, std::string_view household,
                         std::string text, size_t offset, uint32_t first_line = 1);

}  // namespace doudi::serve
