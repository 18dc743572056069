// "Why not", answered: the solver's smallest change to a household
// (why_not.h), kept only when deciding the changed household with the
// interpreter gives what was asked. What `doudi run --why-not` prints and
// the service's /v1/why-not returns.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "compiler/analysis/why_not.h"
#include "doudi/engine.h"

namespace doudi {

// The value of an output as a person writes it (真 / 828.50 元/月 / an enum
// value), read by the output's type `t`; none when it is not one of the
// type's values. `forms` is set to what would have been accepted.
std::optional<Value> read_wanted_value(const ir::Module& m, TypeId t, const std::string& text, std::string& forms);

struct WhyNotAnswer {
  WhyNotReport report;
  Value now;    // the output for the household as it is
  Value after;  // Found: the output once the changes are made (confirmed)
};

// `output` indexes Module::outputs; `want` none means "any value other than
// the current one". `decided` is the household's decision under `context`
// and must not be an error result.
WhyNotAnswer why_not_confirmed(const Program& program, const std::shared_ptr<const RuleSet>& rules,
                               const DecisionContext& context, const RecordData& household, const Decision& decided,
                               size_t output, const std::optional<Value>& want, bool zh);

}  // namespace doudi
