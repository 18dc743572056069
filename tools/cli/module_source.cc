#include "tools/cli/module_source.h"

#include <filesystem>

#include "runtime/bundle/bundle.h"
#include "runtime/source/read_file.h"
#include "tools/cli/compile_side.h"

namespace doudi::cli {

std::shared_ptr<const RuleSet> rules_or_report(const Common& c, const std::string& path,
                                          const std::vector<std::string>& import_roots,
                                          std::shared_ptr<const Compilation>* compilation) {
  // doudi::load_rules, with the compiler loaded only for source: a bundle
  // is read here, by the runtime; source text goes to the compile side as
  // read, not read again.
  LoadedRules loaded;
  std::string text;
  if (!read_source_file(path, text)) {
    loaded.errors.push_back(unreadable_file(path));
  } else if (is_bundle(path, text)) {
    loaded.rules = RuleSet::from_bundle(text, path, loaded.errors);
  } else if (const CompileSide* side = compile_side(c)) {
    CompileOptions options;
    options.import_roots = import_roots;
    loaded = side->load_module(path, std::move(text), std::move(options));
  }
  if (loaded.compilation) report(c, *loaded.compilation);
  report_all(c, loaded.errors);
  if (compilation) *compilation = loaded.compilation;
  return loaded.rules;
}

bool trusted_or_report(const Common& c, const RuleSet& rules, const std::string& path, const std::string& trusted_keys,
                       std::string& signer) {
  signer.clear();
  if (trusted_keys.empty()) return true;
  // A trusted-keys file is public keys one after another: a few dozen fit.
  constexpr long kMaxTrustedKeysBytes = 64 * 1024;
  std::string text, error;
  std::optional<std::vector<PublicKey>> keys;
  if (!read_regular_file(trusted_keys, text, error, kMaxTrustedKeysBytes) || !(keys = public_keys_from_pem(text, error))) {
    report_plain(c, DiagCode::E4005, {trusted_keys, error});
    return false;
  }
  if (rules.signatures().empty()) {
    report_plain(c, DiagCode::E4008,
                 {path, std::filesystem::path(path).extension() == ".doudi"
                            ? bilingual("以 .doudi 源文件给出的规则没有签名：请打包并签名（doudi bundle --sign）",
                                        "rules given as .doudi source carry no signature: bundle them and sign the bundle (doudi bundle --sign)")
                            : bilingual("它没有签名", "it carries no signature")});
    return false;
  }
  signer = trusted_signer(rules.digest(), rules.signatures(), *keys);
  if (!signer.empty()) return true;
  std::string ids;
  for (const auto& s : rules.signatures()) ids += (ids.empty() ? "" : ", ") + s.key_id;
  report_plain(c, DiagCode::E4008,
               {path, bilingual("签名者（" + ids + "）都不在可信密钥中，或签名与摘要不符（规则包被改动过）",
                                "its signers (" + ids + ") are not among the trusted keys, or a signature does not match "
                                "the digest (the bundle was altered)")});
  return false;
}

int decision_setup(const Common& c, const std::string& path, const std::vector<std::string>& import_roots,
                   const std::string& jurisdiction, const std::string& month, std::shared_ptr<const RuleSet>& rules,
                   DecisionContext& context, std::shared_ptr<const Compilation>* compilation,
                   const std::string& trusted_keys, std::string* signer) {
  rules = rules_or_report(c, path, import_roots, compilation);
  if (!rules) return 1;
  std::string signed_by;
  if (!trusted_or_report(c, *rules, path, trusted_keys, signed_by)) return 1;
  if (signer) *signer = signed_by;
  std::vector<Diagnostic> errors;
  if (!rules->decides(errors)) {
    report_all(c, errors);
    return 1;
  }
  const auto found = rules->context(jurisdiction, month, errors);
  if (!found) {
    report_all(c, errors);
    return 2;
  }
  context = *found;
  return 0;
}

}  // namespace doudi::cli
