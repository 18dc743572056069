// The rule sets a service decides with, addressed by bundle digest. Loaded
// once at start and never changed: an answer given under a digest is the
// answer every later request under that digest gets.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/log/log_entry.h"

namespace doudi::serve {

struct ServedRuleSet {
  std::shared_ptr<const RuleSet> rules;
  std::string origin;  // the bundle file or module it was read from
  // The rules' source compiled, where they were given as source (--rules):
  // what the solver reads for why-not and thresholds. Null for a bundle
  // unless a --rules module compiles to the same digest.
  std::shared_ptr<const Compilation> compilation;
  std::string signer;  // the trusted key that signed it, or empty
  // The log key (--key-file) when the schema needs one for its 敏感 fields
  // or one was given; decisions are logged with it.
  std::optional<LogKey> key;
  EngineKind engine = EngineKind::Interpreter;  // the compiled engine where it could be made
  // What every log context line of these rules says of their schema
  // (describe_schema): made once, not for every decision.
  LogContext log_schema;
};

class ServedRules {
 public:
  // `first` becomes the default (requests that name no rule set).
  void add(ServedRuleSet r);
  // By digest; the default for an empty digest; null if there is none.
  const ServedRuleSet* find(const std::string& digest) const;
  const std::string& default_digest() const { return default_; }
  // In the order they were given.
  const std::vector<std::string>& digests() const { return order_; }
  bool empty() const { return order_.empty(); }

 private:
  std::map<std::string, ServedRuleSet> by_digest_;
  std::vector<std::string> order_;
  std::string default_;
};

}  // namespace doudi::serve
