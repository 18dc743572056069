#include "tools/serve/served_rules.h"

#include "runtime/record/record_json.h"

namespace doudi::serve {

void ServedRules::add(ServedRuleSet r) {
  const std::string digest = r.rules->digest();
  if (by_digest_.count(digest)) return;  // the same rules given twice: one rule set
  if (default_.empty()) default_ = digest;
  r.log_defaults = schema_defaults_json(r.rules->module());
  r.log_outputs = output_names_json(r.rules->module());
  order_.push_back(digest);
  by_digest_.emplace(digest, std::move(r));
}

const ServedRuleSet* ServedRules::find(const std::string& digest) const {
  auto it = by_digest_.find(digest.empty() ? default_ : digest);
  return it == by_digest_.end() ? nullptr : &it->second;
}

}  // namespace doudi::serve
