#include "runtime/bundle/bundle_signature.h"

#include "runtime/diag/diagnostic.h"

namespace doudi {

std::string bundle_signing_message(const std::string& digest) { return "doudi bundle v1\n" + digest + "\n"; }

BundleSignature sign_bundle(const SigningKey& key, const std::string& digest) {
  return BundleSignature{key.key_id(), key.sign(bundle_signing_message(digest))};
}

std::string trusted_signer(const std::string& digest, const std::vector<BundleSignature>& signatures,
                           const std::vector<PublicKey>& trusted) {
  for (const auto& key : trusted)
    for (const auto& s : signatures)
      if (s.key_id == key.key_id() && key.verifies(bundle_signing_message(digest), s.signature)) return key.key_id();
  return {};
}

std::optional<std::vector<PublicKey>> public_keys_from_pem(std::string_view text, std::string& error) {
  constexpr std::string_view kEnd = "-----END PUBLIC KEY-----";
  std::vector<PublicKey> out;
  size_t from = 0;
  while (true) {
    const size_t begin = text.find("-----BEGIN", from);
    if (begin == std::string_view::npos) break;
    const size_t end = text.find(kEnd, begin);
    if (end == std::string_view::npos) {
      error = bilingual("有一个公钥没有结尾", "a public key has no end line");
      return std::nullopt;
    }
    auto key = PublicKey::from_pem(text.substr(begin, end + kEnd.size() - begin), error);
    if (!key) return std::nullopt;
    out.push_back(std::move(*key));
    from = end + kEnd.size();
  }
  if (out.empty()) {
    error = bilingual("其中没有公钥（应为 doudi keygen 生成的 .pub 文件，可以多个首尾相接）",
                      "it holds no public key (expected .pub files from doudi keygen, one after another)");
    return std::nullopt;
  }
  return out;
}

}  // namespace doudi
