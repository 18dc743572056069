// Rules for the commands that decide records: a .doudi module (compiled) or
// a rule bundle (read and verified), with problems reported on err.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "doudi/compiler.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

// `compilation` (optional) receives the compilation of a .doudi module
// (null for a bundle), for analyses that need the source.
std::shared_ptr<const RuleSet> rules_or_report(const Common& c, const std::string& path,
                                          const std::vector<std::string>& import_roots = {},
                                          std::shared_ptr<const Compilation>* compilation = nullptr);

// With `trusted_keys` (a file of PEM public keys), the rules must be a bundle
// validly signed by one of them; `signer` receives that key's id (empty
// without `trusted_keys`). Reports E4008 (or E4005 for the file) and returns
// false otherwise.
bool trusted_or_report(const Common& c, const RuleSet& rules, const std::string& path, const std::string& trusted_keys,
                       std::string& signer);

// Rules that can decide, and where and when: for run and batch. Reports and
// returns the exit code when something is missing (1: the rules cannot
// decide, 2: an unknown jurisdiction or a bad month); 0 when `rules` and
// `context` are set.
int decision_setup(const Common& c, const std::string& path, const std::vector<std::string>& import_roots,
                   const std::string& jurisdiction, const std::string& month, std::shared_ptr<const RuleSet>& rules,
                   DecisionContext& context, std::shared_ptr<const Compilation>* compilation = nullptr,
                   const std::string& trusted_keys = "", std::string* signer = nullptr);

}  // namespace doudi::cli
