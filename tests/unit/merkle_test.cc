// The log's Merkle tree against the RFC 6962 reference vectors (the
// Certificate Transparency test leaves and tree heads), every proof of every
// small tree verified and every mangled one refused, and Ed25519 against
// RFC 8032's first test vector: a verifier that agrees only with itself
// would prove nothing to an auditor with other tools.
#include <doctest/doctest.h>

#include "runtime/digest/digest.h"
#include "runtime/digest/signature.h"
#include "runtime/source/read_file.h"
#include "runtime/log/checkpoint.h"
#include "runtime/log/merkle.h"

using namespace doudi;
using merkle::Hash;

namespace {

Hash unhex(std::string_view h) { return *from_hex(h); }

std::vector<Hash> reference_leaves() {
  std::vector<Hash> out;
  for (const char* e : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"})
    out.push_back(merkle::leaf_hash(unhex(e)));
  return out;
}

const char* const kRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

std::vector<Hash> many_leaves(int n) {
  std::vector<Hash> out;
  for (int i = 0; i < n; ++i) out.push_back(merkle::leaf_hash("entry " + std::to_string(i)));
  return out;
}

}  // namespace

TEST_CASE("Merkle roots are RFC 6962's, by recursion and by the growing frontier") {
  const auto leaves = reference_leaves();
  merkle::Frontier frontier;
  CHECK(to_hex(frontier.root()) == kRoots[0]);
  for (uint64_t n = 0; n <= leaves.size(); ++n) {
    CHECK(to_hex(merkle::root(leaves, n)) == kRoots[n]);
    if (n > 0) {
      frontier.add(leaves[n - 1]);
      CHECK(to_hex(frontier.root()) == kRoots[n]);
    }
  }
}

TEST_CASE("inclusion proofs match the reference paths") {
  const auto leaves = reference_leaves();
  const std::vector<std::string> p0 = {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                                       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                       "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"};
  const std::vector<std::string> p5 = {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                                       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                                       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"};
  for (auto [index, want] : {std::pair{0, p0}, std::pair{5, p5}}) {
    const auto proof = merkle::inclusion_proof(leaves, index, 8);
    REQUIRE(proof.size() == want.size());
    for (size_t i = 0; i < proof.size(); ++i) CHECK(to_hex(proof[i]) == want[i]);
    CHECK(merkle::verify_inclusion(leaves[index], index, 8, proof, unhex(kRoots[8])));
  }
}

TEST_CASE("every inclusion and consistency proof of trees up to 40 leaves verifies; mangled ones do not") {
  const auto leaves = many_leaves(40);
  std::vector<Hash> roots;
  for (uint64_t n = 0; n <= leaves.size(); ++n) roots.push_back(merkle::root(leaves, n));
  for (uint64_t n = 1; n <= leaves.size(); ++n)
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = merkle::inclusion_proof(leaves, i, n);
      REQUIRE(merkle::verify_inclusion(leaves[i], i, n, proof, roots[n]));
      if (n > 1) CHECK_FALSE(merkle::verify_inclusion(leaves[(i + 1) % n], i, n, proof, roots[n]));
      if (proof.empty()) continue;
      auto flipped = proof;
      flipped.back()[3] ^= 1;
      CHECK_FALSE(merkle::verify_inclusion(leaves[i], i, n, flipped, roots[n]));
      auto shorter = proof;
      shorter.pop_back();
      CHECK_FALSE(merkle::verify_inclusion(leaves[i], i, n, shorter, roots[n]));
      auto longer = proof;
      longer.push_back(Hash(32, 'x'));
      CHECK_FALSE(merkle::verify_inclusion(leaves[i], i, n, longer, roots[n]));
    }
  for (uint64_t second = 1; second <= leaves.size(); ++second)
    for (uint64_t first = 1; first <= second; ++first) {
      auto proof = merkle::consistency_proof(leaves, first, second);
      REQUIRE(merkle::verify_consistency(first, second, roots[first], roots[second], proof));
      if (first == second) continue;
      // A different old root (a log that was rewritten before `first`) fails.
      CHECK_FALSE(merkle::verify_consistency(first, second, roots[first - 1], roots[second], proof));
      auto flipped = proof;
      flipped.front()[0] ^= 0x80;
      CHECK_FALSE(merkle::verify_consistency(first, second, roots[first], roots[second], flipped));
      auto shorter = proof;
      shorter.pop_back();
      CHECK_FALSE(merkle::verify_consistency(first, second, roots[first], roots[second], shorter));
      auto longer = proof;
      longer.push_back(Hash(32, 'y'));
      CHECK_FALSE(merkle::verify_consistency(first, second, roots[first], roots[second], longer));
    }
  CHECK_FALSE(merkle::verify_consistency(5, 3, roots[5], roots[3], {}));
  CHECK_FALSE(merkle::verify_consistency(3, 5, roots[3], roots[5], {}));
}

TEST_CASE("Ed25519: RFC 8032 test 1 verifies; a fresh key signs and verifies checkpoints; nothing else does") {
  // RFC 8032 section 7.1, TEST 1: the empty message.
  const std::string pub = *from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  std::string error;
  const auto rfc = PublicKey::from_raw(pub, error);
  REQUIRE(rfc);
  const std::string sig =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
  CHECK(rfc->verifies("", sig));
  CHECK_FALSE(rfc->verifies("x", sig));
  CHECK_FALSE(rfc->verifies("", sig.substr(0, 126) + "0c"));
  CHECK_FALSE(rfc->verifies("", "zz"));

  const auto made = generate_signing_key();
  REQUIRE(made);
  const KeyPairPem& pair = *made;
  const auto signing = SigningKey::from_pem(pair.private_pem, error);
  const auto verifying = PublicKey::from_pem(pair.public_pem, error);
  REQUIRE(signing);
  REQUIRE(verifying);
  CHECK(signing->key_id() == pair.key_id);
  CHECK(verifying->key_id() == pair.key_id);
  const std::string root = to_hex(merkle::root(reference_leaves(), 8));
  const Checkpoint c = sign_checkpoint(*signing, 8, root);
  CHECK(checkpoint_signed_by(c, *verifying));
  CHECK_FALSE(checkpoint_signed_by(c, *rfc));  // another key
  Checkpoint bigger = c;
  bigger.size = 9;
  CHECK_FALSE(checkpoint_signed_by(bigger, *verifying));
  // The printable line reads back to the same checkpoint, and nothing near it does.
  const auto back = parse_checkpoint(checkpoint_line(c) + "\n", error);
  REQUIRE(back);
  CHECK(back->signature == c.signature);
  CHECK_FALSE(parse_checkpoint(checkpoint_line(c) + " ", error));
  std::string upper = checkpoint_line(c);
  const size_t letter = upper.find_first_of("abcdef", upper.find(root));
  upper[letter] = static_cast<char>(std::toupper(upper[letter]));
  CHECK_FALSE(parse_checkpoint(upper, error));  // one spelling: roots are compared as text
  CHECK_FALSE(SigningKey::from_pem(pair.public_pem, error));
  CHECK_FALSE(PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", error));

  // The PEM is what OpenSSL writes: the DER's base64 on one line (48 and 44
  // bytes), between its labels.
  CHECK(pair.private_pem.size() == 28 + 65 + 26);
  CHECK(pair.private_pem.rfind("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI", 0) == 0);
  CHECK(pair.public_pem.rfind("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA", 0) == 0);
  CHECK(pair.public_pem.find("=\n-----END PUBLIC KEY-----\n") == 27 + 59);
}

TEST_CASE("Ed25519 key files: OpenSSL's PEM read with its line endings and around text; other keys named") {
  std::string pem, pub, error;
  REQUIRE(read_source_file(std::string(DOUDI_SOURCE_DIR) + "/tests/fixtures/keys/signer.key", pem));
  REQUIRE(read_source_file(std::string(DOUDI_SOURCE_DIR) + "/tests/fixtures/keys/signer.key.pub", pub));
  const auto key = SigningKey::from_pem(pem, error);
  const auto public_key = PublicKey::from_pem(pub, error);
  REQUIRE(key);  // made by OpenSSL
  REQUIRE(public_key);
  CHECK(key->key_id() == public_key->key_id());
  CHECK(public_key->verifies("message", key->sign("message")));
  // CRLF line endings, text around the block, a second block after it.
  std::string crlf;
  for (char ch : pem) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  const auto from_crlf = SigningKey::from_pem("a comment\r\n" + crlf + pem, error);
  REQUIRE(from_crlf);
  CHECK(from_crlf->key_id() == key->key_id());
  auto refused = [&](const std::string& text, bool with_private) {
    error.clear();
    const bool read = with_private ? SigningKey::from_pem(text, error).has_value()
                                   : PublicKey::from_pem(text, error).has_value();
    CHECK_FALSE(read);
    return error;
  };
  CHECK(refused(pem.substr(0, pem.size() - 10), true).find("not a private key in PEM form") != std::string::npos);
  CHECK(refused("", true).find("not a private key in PEM form") != std::string::npos);
  CHECK(refused("   \n", false).find("not a public key in PEM form") != std::string::npos);
  CHECK(refused("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGb\n-----END ENCRYPTED PRIVATE KEY-----\n", true)
            .find("encrypted") != std::string::npos);
  CHECK(refused("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n", true)
            .find("not an Ed25519 key") != std::string::npos);
  // An RSA key in PKCS#8 (its first bytes): the PEM is fine, the key is not Ed25519.
  CHECK(refused("-----BEGIN PRIVATE KEY-----\nMIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGB\n-----END PRIVATE KEY-----\n",
                true)
            .find("not an Ed25519 key") != std::string::npos);
  // Broken base64 inside the labels.
  CHECK(refused("-----BEGIN PUBLIC KEY-----\nMCow!!\n-----END PUBLIC KEY-----\n", false)
            .find("not a public key in PEM form") != std::string::npos);
}
