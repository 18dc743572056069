// Shared by verify.cc (the module) and verify_code.cc (functions and their
// instructions). Not for use outside the verifier.
#pragma once
#include <fmt/format.h>

#include <vector>

#include "runtime/ir/verify.h"

namespace doudi::ir::verify_detail {

// Problem::function or Problem::instruction of a problem not in one.
inline constexpr uint32_t kWhole = UINT32_MAX;

class Problems {
 public:
  explicit Problems(std::vector<Problem>& out) : out_(out) {}

  template <typename... Args>
  void add(uint32_t function, uint32_t instruction, fmt::format_string<Args...> format, Args&&... args) {
    if (out_.size() < kMaxProblems)
      out_.push_back(Problem{function, instruction, fmt::format(format, std::forward<Args>(args)...)});
  }
  bool any() const { return !out_.empty(); }
  size_t count() const { return out_.size(); }

 private:
  std::vector<Problem>& out_;
};

// How a value of a type is laid out (runtime/value/value.h): what an
// instruction may read from a register of that type.
enum class Rep { None, Int, Ratio, Text, Struct, List };

// These assume a verified type table (verify_types).
TypeId strip_optional(const TypeTable& types, TypeId t);
Rep rep_of(const TypeTable& types, TypeId t);  // of the type under any Optional layers
std::string type_text(const Module& m, TypeId t);  // `元/月`-style, for messages

// Walks in a graph where each node has at most one successor (a type's
// element type, a jurisdiction's parent; `next` gives UINT32_MAX for none
// and otherwise a node in range), in linear time: the number of nodes on the
// walk from each node, or kCycle for one on or leading into a cycle. One
// node of each cycle is added to `cycles`.
inline constexpr uint32_t kCycle = UINT32_MAX;
template <typename Next>
std::vector<uint32_t> walk_lengths(uint32_t n, Next next, std::vector<uint32_t>& cycles) {
  std::vector<uint32_t> length(n, 0), walk(n, UINT32_MAX), path;
  for (uint32_t start = 0; start < n; ++start) {
    path.clear();
    uint32_t k = start;
    while (k != UINT32_MAX && length[k] == 0 && walk[k] != start) {
      walk[k] = start;
      path.push_back(k);
      k = next(k);
    }
    uint32_t at = k == UINT32_MAX ? 0 : length[k];
    if (k != UINT32_MAX && length[k] == 0) {  // back on this walk
      cycles.push_back(k);
      at = kCycle;
    }
    for (size_t i = path.size(); i-- > 0;) length[path[i]] = at == kCycle ? kCycle : ++at;
  }
  return length;
}

// What the module-level pass knows that instructions refer to.
struct ModuleFacts {
  std::vector<uint32_t> branches;  // per rule function: its exceptions and default
};

// The function's signature, registers and code.
void verify_function(const Module& m, const ModuleFacts& facts, uint32_t index, Problems& problems);

// Every register written before it is read, on every path (verify_assigned.cc).
// Only for a function whose instructions are otherwise valid.
void verify_assigned(const Module& m, uint32_t index, Problems& problems);

// The function's explanation tree (verify_tree.cc).
void verify_tree(const Module& m, uint32_t index, Problems& problems);

}  // namespace doudi::ir::verify_detail
