// Every engine this build has, for a test that checks they decide alike:
// the interpreter, and the compiled engine when it is built and loads (a
// MESSAGE says when it is not, so a build without it is no silent pass).
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

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

}  // namespace doudi::testing
