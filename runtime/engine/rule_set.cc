#include "doudi/engine.h"

#include "runtime/bundle/bundle.h"
#include "runtime/ir/verify.h"
#include "runtime/source/date_spellings.h"
#include "runtime/value/calendar.h"

namespace doudi {

std::shared_ptr<const RuleSet> RuleSet::from_bundle(std::string_view bytes, const std::string& origin,
                                                    std::vector<Diagnostic>& errors) {
  std::string digest, error;
  std::vector<BundleSignature> signatures;
  auto module = read_bundle(bytes, digest, error, &signatures);  // verified
  if (!module) {
    errors.push_back(Diagnostic{DiagCode::E4001, Span{}, {origin, error}, {}});
    return nullptr;
  }
  std::shared_ptr<RuleSet> rules(new RuleSet());
  rules->module_ = std::make_shared<const ir::Module>(std::move(*module));
  rules->digest_ = std::move(digest);
  rules->signatures_ = std::move(signatures);
  return rules;
}

std::shared_ptr<const RuleSet> RuleSet::from_module(std::shared_ptr<const ir::Module> module, const std::string& origin,
                                                    std::vector<Diagnostic>& errors) {
  if (const auto problems = ir::verify_module(*module); !problems.empty()) {
    errors.push_back(Diagnostic{DiagCode::E4001, Span{}, {origin, invalid_ir(ir::describe_problem(*module, problems.front()))}, {}});
    return nullptr;
  }
  std::shared_ptr<RuleSet> rules(new RuleSet());
  rules->digest_ = module_digest(*module);
  rules->module_ = std::move(module);
  return rules;
}

uint32_t jurisdiction_named(const ir::Module& m, std::string_view name, std::vector<Diagnostic>& errors) {
  const uint32_t j = m.find_jurisdiction(std::string(name));
  if (j != UINT32_MAX) return j;
  errors.push_back(Diagnostic{DiagCode::E0106, Span{}, {std::string(name)}, {}});
  std::vector<std::string> names;
  for (const auto& x : m.jurisdictions) names.push_back(x.name);
  if (auto s = closest_name(std::string(name), names); !s.empty()) errors.push_back(make_note(DiagCode::N0402, Span{}, {s}));
  return UINT32_MAX;
}

std::optional<size_t> output_named(const ir::Module& m, std::string_view name, std::vector<Diagnostic>& errors) {
  std::vector<std::string> names;
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    if (m.outputs[i].name == name) return i;
    names.push_back(m.outputs[i].name);
  }
  Diagnostic d{DiagCode::E3004, Span{}, {m.name, std::string(name)}, {}};
  if (auto s = nearest_name(std::string(name), names); !s.empty()) d.notes.push_back(make_note(DiagCode::N0402, Span{}, {s}));
  errors.push_back(std::move(d));
  return std::nullopt;
}

bool RuleSet::decides(std::vector<Diagnostic>& errors) const {
  if (module_->input_type == 0) errors.push_back(Diagnostic{DiagCode::E3002, Span{}, {module_->name}, {}});
  else if (module_->outputs.empty()) errors.push_back(Diagnostic{DiagCode::E3003, Span{}, {module_->name}, {}});
  else return true;
  return false;
}

uint32_t RuleSet::jurisdiction(std::string_view name, std::vector<Diagnostic>& errors) const {
  return jurisdiction_named(*module_, name, errors);
}

std::optional<DecisionContext> RuleSet::context(std::string_view jurisdiction_name, std::string_view month,
                                                std::vector<Diagnostic>& errors) const {
  const uint32_t j = jurisdiction(jurisdiction_name, errors);
  if (j == UINT32_MAX) return std::nullopt;
  const auto ym = parse_year_month(std::string(month));
  if (!ym) {
    errors.push_back(Diagnostic{DiagCode::E3001, Span{}, {std::string(month), date_hint(month, false)}, {}});
    return std::nullopt;
  }
  return DecisionContext{j, std::string(jurisdiction_name), *ym};
}

LoadedRecord load_household(const RuleSet& rules, std::string_view json, std::string_view logged_defaults) {
  return load_record_json(rules.module(), json, logged_defaults);
}

}  // namespace doudi
