// Rules for the commands that decide records: a .doudi module (compiled) or
// a rule bundle (read and verified), with problems reported on err.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "doudi/compiler.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

std::shared_ptr<const RuleSet> rules_or_report(const Common& c, const std::string& path,
                                          const std::vector<std::string>& import_roots = {});

}  // namespace doudi::cli
