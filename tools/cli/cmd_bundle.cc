#include <fmt/format.h>

#include <ostream>

#include "runtime/bundle/bundle.h"
#include "runtime/source/write_file.h"
#include "tools/cli/keys.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {

int cmd_bundle(const Common& c, const BundleArgs& a) {
  auto rules = rules_or_report(c, a.module, a.import_roots);
  if (!rules) return 1;
  // Signing keeps the signatures a bundle already carries: several approvers
  // may sign one bundle, each with their own key.
  std::vector<BundleSignature> signatures = rules->signatures();
  if (!a.sign.empty()) {
    const auto key = signing_key_or_report(c, a.sign);
    if (!key) return 1;
    std::erase_if(signatures, [&](const BundleSignature& s) { return s.key_id == key->key_id(); });
    signatures.push_back(sign_bundle(*key, rules->digest()));
  }
  const std::string text = write_bundle(rules->module(), signatures);
  if (a.output == "-") {  // as `batch` reads `-`: the bundle itself on standard output, nothing else
    *c.out << text << std::flush;
    if (*c.out) return 0;
    report_plain(c, DiagCode::E0016, {"-", bilingual("无法写入标准输出", "cannot write to standard output")});
    return 1;
  }
  std::string error;
  if (!write_file_atomically(a.output, text, error)) {
    report_plain(c, DiagCode::E0016, {a.output, error});
    return 1;
  }
  *c.out << fmt::format("{} {}\n", rules->digest(), a.output);
  return 0;
}

}  // namespace doudi::cli
