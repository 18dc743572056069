#include "tools/serve/served_rules.h"

#include "runtime/record/record_json.h"

namespace doudi::serve {

void ServedRules::add(ServedRuleSet r) {
  const std::string digest = r.rules->digest();
  if (auto same = by_digest_.find(digest); same != by_digest_.end()) {
    // The same rules given twice (a bundle and its source): one rule set,
    // which has the source if either had it.
    if (!same->second.compilation) same->second.compilation = std::move(r.compilation);
    return;
  }
  if (default_.empty()) default_ = digest;
  describe_schema(r.log_schema, r.rules->module());
  order_.push_back(digest);
  by_digest_.emplace(digest, std::move(r));
}

const ServedRuleSet* ServedRules::find(const std::string& digest) const {
  auto it = by_digest_.find(digest.empty() ? default_ : digest);
  return it == by_digest_.end() ? nullptr : &it->second;
}

}  // namespace doudi::serve
