#include "runtime/log/merkle.h"

#include <bit>

#include "runtime/digest/digest.h"

namespace doudi::merkle {
namespace {

constexpr size_t kHashBytes = 32;

// The largest power of two smaller than n (n >= 2): where RFC 6962 splits.
uint64_t split(uint64_t n) { return std::bit_floor(n - 1); }

// MTH over leaves [begin, end).
Hash subtree_root(const std::vector<Hash>& leaves, uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if (n == 0) return sha256_bytes("");
  if (n == 1) return leaves[begin];
  const uint64_t k = split(n);
  return node_hash(subtree_root(leaves, begin, begin + k), subtree_root(leaves, begin + k, end));
}

// PATH(m, D[begin:end]) of RFC 6962 section 2.1.1.
void path(const std::vector<Hash>& leaves, uint64_t m, uint64_t begin, uint64_t end, std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (n <= 1) return;
  const uint64_t k = split(n);
  if (m < k) {
    path(leaves, m, begin, begin + k, out);
    out.push_back(subtree_root(leaves, begin + k, end));
  } else {
    path(leaves, m - k, begin + k, end, out);
    out.push_back(subtree_root(leaves, begin, begin + k));
  }
}

// SUBPROOF(m, D[begin:end], b) of RFC 6962 section 2.1.2.
void subproof(const std::vector<Hash>& leaves, uint64_t m, uint64_t begin, uint64_t end, bool whole,
              std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(subtree_root(leaves, begin, end));
    return;
  }
  const uint64_t k = split(n);
  if (m <= k) {
    subproof(leaves, m, begin, begin + k, whole, out);
    out.push_back(subtree_root(leaves, begin + k, end));
  } else {
    subproof(leaves, m - k, begin + k, end, false, out);
    out.push_back(subtree_root(leaves, begin, begin + k));
  }
}

bool well_formed(const Hash& h) { return h.size() == kHashBytes; }
bool well_formed(const std::vector<Hash>& hashes) {
  for (const auto& h : hashes)
    if (!well_formed(h)) return false;
  return true;
}

}  // namespace

Hash leaf_hash(std::string_view entry) {
  std::string data;
  data.reserve(entry.size() + 1);
  data.push_back('\0');
  data.append(entry);
  return sha256_bytes(data);
}

Hash node_hash(const Hash& left, const Hash& right) {
  unsigned char md[32];
  node_hash(left, right, md);
  return Hash(reinterpret_cast<const char*>(md), sizeof md);
}

void node_hash(std::string_view left, std::string_view right, unsigned char (&out)[32]) {
  sha256_to({std::string_view("\1", 1), left, right}, out);  // reads both before writing out
}

Hash root(const std::vector<Hash>& leaves, uint64_t size) { return subtree_root(leaves, 0, size); }

std::vector<Hash> inclusion_proof(const std::vector<Hash>& leaves, uint64_t index, uint64_t size) {
  std::vector<Hash> out;
  path(leaves, index, 0, size, out);
  return out;
}

std::vector<Hash> consistency_proof(const std::vector<Hash>& leaves, uint64_t first, uint64_t second) {
  std::vector<Hash> out;
  if (first > 0 && first < second) subproof(leaves, first, 0, second, true, out);
  return out;
}

bool verify_inclusion(const Hash& leaf, uint64_t index, uint64_t size, const std::vector<Hash>& proof,
                      const Hash& root) {
  if (index >= size || !well_formed(leaf) || !well_formed(root) || !well_formed(proof)) return false;
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const auto& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0)
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(uint64_t first, uint64_t second, const Hash& first_root, const Hash& second_root,
                        const std::vector<Hash>& proof) {
  if (!well_formed(first_root) || !well_formed(second_root) || !well_formed(proof) || first > second) return false;
  if (first == second) return proof.empty() && first_root == second_root;
  if (first == 0) return proof.empty() && first_root == sha256_bytes("");  // the empty tree is a prefix of all
  if (proof.empty()) return false;
  std::vector<Hash> c = proof;
  if (std::has_single_bit(first)) c.insert(c.begin(), first_root);
  uint64_t fn = first - 1, sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = c[0], sr = c[0];
  for (size_t i = 1; i < c.size(); ++i) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c[i], fr);
      sr = node_hash(c[i], sr);
      if ((fn & 1) == 0)
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      sr = node_hash(sr, c[i]);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_root && sr == second_root && sn == 0;
}

void Frontier::add(const Hash& leaf) {
  ++size_;
  // Each trailing zero bit of the new size is a pair of equal subtrees to
  // join. Hashed into a buffer of the stack and copied into a string kept
  // from earlier adds: a batch adds one leaf per decision, and allocating
  // for each join took longer than the join's hash.
  unsigned char joined[32];
  std::string_view carry = leaf;
  for (uint64_t s = size_; (s & 1) == 0; s >>= 1) {
    node_hash(subtrees_[--live_], carry, joined);
    carry = std::string_view(reinterpret_cast<const char*>(joined), sizeof joined);
  }
  if (live_ == subtrees_.size()) subtrees_.emplace_back();
  subtrees_[live_++].assign(carry);
}

Hash Frontier::root() const {
  if (live_ == 0) return sha256_bytes("");
  Hash r = subtrees_[live_ - 1];
  for (size_t i = live_ - 1; i-- > 0;) r = node_hash(subtrees_[i], r);
  return r;
}

}  // namespace doudi::merkle
