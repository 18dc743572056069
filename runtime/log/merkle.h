// The Merkle tree over the decision log's entries, as RFC 6962 (section 2.1)
// defines it, so any Certificate Transparency verifier agrees with ours:
// a leaf's hash is SHA-256(0x00 || entry), an inner node's SHA-256(0x01 ||
// left || right), and a tree of n leaves splits at the largest power of two
// below n. Hashes are raw 32-byte strings here; files carry them as hex.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace doudi::merkle {

using Hash = std::string;  // 32 bytes

Hash leaf_hash(std::string_view entry);
Hash node_hash(const Hash& left, const Hash& right);
// The same into a buffer (a growing log joins one pair per entry on average).
void node_hash(std::string_view left, std::string_view right, unsigned char (&out)[32]);

// The root of the first `size` leaves (SHA-256 of nothing for none).
Hash root(const std::vector<Hash>& leaves, uint64_t size);

// The audit path of leaf `index` (0-based) in the tree of the first `size`
// leaves, and the proof that the tree of `first` leaves is a prefix of the
// tree of `second` leaves. The caller keeps index < size <= leaves.size()
// and first <= second <= leaves.size().
std::vector<Hash> inclusion_proof(const std::vector<Hash>& leaves, uint64_t index, uint64_t size);
std::vector<Hash> consistency_proof(const std::vector<Hash>& leaves, uint64_t first, uint64_t second);

// The verifiers of RFC 9162 (sections 2.1.3.2 and 2.1.4.2): they need no
// leaves, only the hashes a proof carries, and reject anything malformed.
bool verify_inclusion(const Hash& leaf, uint64_t index, uint64_t size, const std::vector<Hash>& proof,
                      const Hash& root);
bool verify_consistency(uint64_t first, uint64_t second, const Hash& first_root, const Hash& second_root,
                        const std::vector<Hash>& proof);

// The root of a growing tree without keeping its leaves: the roots of the
// perfect subtrees it is made of, at most one per bit of the size.
class Frontier {
 public:
  void add(const Hash& leaf);
  Hash root() const;
  uint64_t size() const { return size_; }

 private:
  // The first live_ are the subtrees' roots, largest first; those after
  // keep their storage for the next add.
  std::vector<Hash> subtrees_;
  size_t live_ = 0;
  uint64_t size_ = 0;
};

}  // namespace doudi::merkle
