// Member rules the compiled code evaluates once per member (lower.cc). A
// rule of one structure (`特困供养资格(成员 m)`) that two places call, each in
// a loop over the members, is evaluated twice for every member by the
// interpreter, which keeps no memo for a function with parameters, and
// counts its steps twice. The compiled code keeps the value per structure
// in a small table of the decision's memo, and on a second call takes the
// value and counts again the steps the first call counted, so the budget
// ends where the interpreter's does. That holds only for a rule whose every
// call with the same structure costs the same steps: one that reaches no
// parameterless function (whose memo makes a later call cheaper than the
// first). Also shared with the engine, which counts the tables in the
// stack the rules may need (compiled_engine.cc, fits_native_stack).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "runtime/ir/ir.h"

namespace doudi::jit {

// A table per rule: entries of {structure + 1 (0: empty), value's two
// words, steps}, the structure's word hashed to one of them; a collision
// replaces the entry (the rule is evaluated again: never wrong, only slower).
inline constexpr size_t kMemberMemoEntries = 8;
inline constexpr size_t kMemberMemoEntryBytes = 32;
inline constexpr size_t kMemberMemoTableBytes = kMemberMemoEntries * kMemberMemoEntryBytes;
// At most this many tables (16 KiB of stack): a crafted module of many
// such rules keeps the rest uncached.
inline constexpr size_t kMemberMemoTables = 64;
// Smaller rules (IR instructions, their callees' included) cost less to
// evaluate again than to look up.
inline constexpr size_t kMemberMemoFromInstructions = 16;

// Per function (`of`): its table's index, or -1 for none; the tables are
// numbered from 0, `count` of them. A function gets one if its one
// parameter is a structure, two or more call instructions name it, it
// reaches no parameterless function, and it is large enough.
struct MemberTables {
  std::vector<int32_t> of;
  size_t count = 0;
};
inline MemberTables member_memo_tables(const ir::Module& m) {
  const size_t n = m.functions.size();
  std::vector<uint32_t> callers(n, 0);
  for (const auto& f : m.functions)
    for (const auto& in : f.code)
      if (in.op == ir::Op::Call && in.a < n) ++callers[in.a];
  // Whether a function reaches a parameterless one, and its size with its
  // callees' (capped): by the calls, callees first. Verified IR has no
  // cycle; a function met again on its own path counts as reaching one.
  std::vector<uint8_t> state(n, 0);  // 0 unseen, 1 on the path, 2 done
  std::vector<bool> reaches(n, false);
  std::vector<size_t> size(n, 0);
  std::function<void(uint32_t)> visit = [&](uint32_t f) {
    if (state[f] != 0) return;
    state[f] = 1;
    bool r = false;
    size_t s = m.functions[f].code.size();
    for (const auto& in : m.functions[f].code) {
      if (in.op != ir::Op::Call || in.a >= n) continue;
      if (state[in.a] == 1) {
        r = true;
        continue;
      }
      visit(in.a);
      r = r || reaches[in.a] || m.functions[in.a].memoizable();
      s = std::min<size_t>(s + size[in.a], 1u << 20);
    }
    reaches[f] = r;
    size[f] = s;
    state[f] = 2;
  };
  MemberTables tables{std::vector<int32_t>(n, -1), 0};
  for (uint32_t f = 0; f < n && tables.count < kMemberMemoTables; ++f) {
    const ir::Function& fn = m.functions[f];
    if (fn.num_params != 1 || fn.regs.empty() || m.types.kind(fn.regs[0]) != TypeKind::Struct || callers[f] < 2)
      continue;
    visit(f);
    if (!reaches[f] && size[f] >= kMemberMemoFromInstructions) tables.of[f] = static_cast<int32_t>(tables.count++);
  }
  return tables;
}

}  // namespace doudi::jit
