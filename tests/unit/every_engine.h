// Every engine this build has, for a test that checks they decide alike:
// the interpreter, and the compiled engine when it is built and loads (a
// MESSAGE says when it is not, so a build without it is no silent pass).
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "doudi/compiler.h"
#include "doudi/engine.h"

namespace doudi::testing {

inline std::vector<std::unique_ptr<Engine>> every_engine(const std::shared_ptr<const RuleSet>& rules) {
  std::vector<std::unique_ptr<Engine>> engines;
  engines.push_back(make_interpreter(rules));
  std::string why;
  if (auto compiled = make_engine(EngineKind::Compiled, rules, why)) engines.push_back(std::move(compiled));
  else MESSAGE("the compiled engine is not checked: ", why);
  return engines;
}

// Rules compiled from a file's text, with the context of one jurisdiction and month.
struct RulesInContext {
  std::shared_ptr<const RuleSet> rules;
  DecisionContext context;
};
inline RulesInContext rules_from_text(const char* file, const char* text, const char* jurisdiction,
                                      const char* month) {
  auto compilation = std::shared_ptr<const Compilation>(compile_text(file, text));
  REQUIRE(compilation->ok());
  std::vector<Diagnostic> errors;
  auto rules = rule_set(compilation, errors);
  REQUIRE(rules);
  const auto context = rules->context(jurisdiction, month, errors);
  REQUIRE(context);
  return {rules, *context};
}

// What a decision shows of itself, to compare engines: its outputs' words,
// or its error's code and place.
inline std::string decision_words(const Decision& d) {
  if (d.error) return fmt::format("{} at {}", diag_info(d.error->code).code, d.error->location);
  std::string out;
  for (const Value& v : d.outputs) out += fmt::format("{},{} ", v.a, v.b);
  return out;
}

}  // namespace doudi::testing
