// A signature over a rule bundle: an approver's Ed25519 key signs the
// bundle's digest, so an operator can require that the rules they run are
// ones an approver signed. The digest covers the rules, the schema, every
// parameter value and citation; the signature covers the digest.
#pragma once
#include <string>
#include <vector>

#include "runtime/digest/signature.h"

namespace doudi {

struct BundleSignature {
  std::string key_id;     // 16 hex digits (SigningKey::key_id)
  std::string signature;  // 128 hex digits over bundle_signing_message(digest)
};

// What is signed: "doudi bundle v1\n<digest>\n".
std::string bundle_signing_message(const std::string& digest);

BundleSignature sign_bundle(const SigningKey& key, const std::string& digest);

// The id of the first of `trusted` that validly signed `digest` among
// `signatures`, or empty if none did.
std::string trusted_signer(const std::string& digest, const std::vector<BundleSignature>& signatures,
                           const std::vector<PublicKey>& trusted);

// Public keys from PEM text holding one or more of them, one after another
// (a trusted-keys file). None, with `error`, if a block is not a key or there is none.
std::optional<std::vector<PublicKey>> public_keys_from_pem(std::string_view text, std::string& error);

}  // namespace doudi
