#include "tools/cli/verified_log.h"

#include <fmt/format.h>

#include "tools/cli/keys.h"

namespace doudi::cli {

bool read_verified_log(const Common& c, const std::string& log, const std::string& public_key_file,
                       LogContents& contents, VerifyResult& r) {
  std::optional<PublicKey> key;
  if (!public_key_file.empty() && !(key = public_key_or_report(c, public_key_file))) return false;
  r = verify_log(log, key ? &*key : nullptr, &contents);
  if (r.ok) return true;
  report_plain(c, DiagCode::E4003, {log, verify_failure(r)});
  return false;
}

bool covered_or_report(const Common& c, const std::string& log, const std::string& public_key_file,
                       const VerifyResult& r, uint64_t seq) {
  if (public_key_file.empty() || seq <= r.covered()) return true;
  report_plain(c, DiagCode::E4003,
               {log, bilingual(fmt::format("第 {} 条尚无签名检查点覆盖（已签署的只到第 {} 条），其内容无法证明", seq, r.covered()),
                               fmt::format("entry {} is not under a signed checkpoint (the signed part ends at entry {}): "
                                           "nothing proves it", seq, r.covered()))});
  return false;
}

}  // namespace doudi::cli
