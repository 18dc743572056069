#include "runtime/interp/untraced_code.h"

#include "runtime/interp/simplified_code.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace doudi::interp {
namespace {

using ir::Op;

// A call is replaced by the callee's own untraced code (its calls already
// inlined, callees first) when that code has at most this many
// instructions and, with its blocks, registers: a member's rule is a
// handful of each; a larger function's call costs little beside its work.
// Every inlined call of a function shares one block of registers after the
// caller's (the bodies do not nest in the caller's frame, and each starts
// by writing its arguments and zeroing what it reads first), so a frame
// grows by at most kInlineRegisters whatever a crafted module holds.
constexpr size_t kInlineAtMost = 48;
constexpr size_t kInlineRegisters = 64;
// A parameterless (memoized) callee is inlined with its memo: a larger
// body, as it runs at most once per decision.
constexpr size_t kMemoInlineAtMost = 128;
// A function inlines a call only while its untraced code stays within
// this many times its own length and this many instructions more; and the
// whole module's untraced code, instructions and registers together, grows
// by at most kGrowthAtMost times the module's instructions and registers
// and kModuleGrowthAtLeast more. A crafted module of many calls or many
// tiny functions takes at most a few times its own size.
constexpr size_t kGrowthAtMost = 4;
constexpr size_t kGrowthAtLeast = 1024;
constexpr size_t kModuleGrowthAtLeast = size_t{1} << 16;

// `in` with each register r renamed to place[r] (a callee's register to
// its place in the caller's frame).
ir::Inst renamed(const ir::Inst& in, const std::vector<uint32_t>& place) {
  ir::Inst out = in;
  const ir::Operand* kinds = operand_kinds(in.op);
  const auto fields = operand_fields(out);
  for (size_t k = 0; k < fields.size(); ++k) {
    if (kinds[k] == ir::Operand::Args && in.c == 0) *fields[k] = 0;  // no argument: b names nothing
    else if (ir::is_register(kinds[k]) || kinds[k] == ir::Operand::Args) *fields[k] = place[*fields[k]];
  }
  return out;
}

bool zeroes(const std::vector<std::pair<uint32_t, Zero>>& zeroed, uint32_t reg) {
  return std::any_of(zeroed.begin(), zeroed.end(), [&](const auto& z) { return z.first == reg; });
}

// A call of g at `at` in f's code, inlined: where each argument is read
// from, and which of the moves filling them nothing else needs.
struct Arguments {
  std::vector<uint32_t> source;  // per parameter: a register of the caller
  std::vector<size_t> dead_moves;
};

// Lowering fills a call's argument registers b .. b+c-1 by moves just
// before it. A parameter the callee never writes is read, in the inlined
// body, straight from the register its argument was moved from (the move
// then sits off the path the value takes); the move itself is left out
// when nothing else reads its register. The moves are followed back only
// while no jump lands among them (on such a path they might not have run)
// and only from registers outside b .. b+c-1 (a later move may overwrite
// those). A parameter the callee passes on as one of a call's arguments
// keeps its register: a call's arguments lie one after another.
Arguments arguments(size_t at, const std::vector<ir::Inst>& code, const UntracedCode& callee,
                    const std::vector<bool>& targets, const std::vector<uint32_t>& reads,
                    const std::vector<bool>& zeroed_here, const ZeroedRegisters& zeroed) {
  const ir::Inst& call = code[at];
  const uint32_t g = call.a, first = call.b, count = call.c;
  Arguments out;
  for (uint32_t k = 0; k < count; ++k) out.source.push_back(first + k);
  std::vector<bool> followed(count, false);
  for (size_t j = at; j > 0 && !targets[j]; --j) {
    const ir::Inst& mv = code[j - 1];
    if (mv.op != Op::Mov || mv.dst < first || mv.dst >= first + count) break;
    if (mv.a >= first && mv.a < first + count) break;
    const uint32_t k = mv.dst - first;
    if (followed[k]) continue;  // an earlier move, overwritten by the one followed
    followed[k] = true;
    bool kept = zeroes(zeroed[g], k);
    for (const ir::Inst& b : callee.code) {
      const bool passed_on = b.op == Op::Call && b.c > 0 && k >= b.b && k - b.b < b.c;
      kept = kept || written(b) == k || passed_on;
    }
    if (kept) continue;
    out.source[k] = mv.a;
    if (reads[mv.dst] == 1 && !zeroed_here[mv.dst]) out.dead_moves.push_back(j - 1);
  }
  return out;
}

// Whether g's body ends by computing its result and returning it at once,
// its only return: `X = …; ret X`, with X written and read nowhere else
// and no jump to the return. The inlined body then computes the result
// straight into the call's register.
bool result_forwarded(const ir::Module& m, uint32_t g, const std::vector<ir::Inst>& body,
                      const ZeroedRegisters& zeroed) {
  const size_t n = body.size();
  if (n < 2 || body[n - 1].op != Op::Ret) return false;
  const uint32_t x = body[n - 1].a;
  if (written(body[n - 2]) != x || x < m.functions[g].num_params || zeroes(zeroed[g], x)) return false;
  if (jump_targets(body)[n - 1]) return false;
  size_t writes = 0, uses = 0, returns = 0;
  for (const ir::Inst& b : body) {
    writes += written(b) == x;
    returns += b.op == Op::Ret;
    each_read(b, [&](uint32_t r) { uses += r == x; });
  }
  return writes == 1 && uses == 1 && returns == 1;
}

// Appends `body` with its registers renamed by `reg` and its jumps moved
// with it. Each return becomes what `ret` appends, then (unless it is the
// last instruction) a jump past the body; with `forward_to` set (see
// result_forwarded), the instruction before the only return writes that
// register instead and the return is left out.
template <class Ret>
void append_body(std::vector<ir::Inst>& out, const std::vector<ir::Inst>& body, const std::vector<uint32_t>& reg,
                 uint32_t forward_to, Ret&& ret) {
  std::vector<uint32_t> body_place(body.size() + 1, 0);
  std::vector<size_t> body_jumps, exits;
  for (size_t j = 0; j < body.size(); ++j) {
    body_place[j] = static_cast<uint32_t>(out.size());
    const ir::Inst& b = body[j];
    if (b.op == Op::Iteration) continue;
    if (forward_to != UINT32_MAX && j + 2 >= body.size()) {
      if (b.op == Op::Ret) continue;
      out.push_back(renamed(b, reg));
      out.back().dst = forward_to;
      continue;
    }
    if (b.op == Op::Ret) {
      ret(b);
      if (j + 1 < body.size()) {
        exits.push_back(out.size());
        out.push_back(ir::Inst{Op::Jump, 0, 0, 0, 0, 0, b.loc});
      }
      continue;
    }
    if (has_target(b)) body_jumps.push_back(out.size());
    out.push_back(renamed(b, reg));
  }
  body_place[body.size()] = static_cast<uint32_t>(out.size());
  for (size_t at : body_jumps) patch_targets(out[at], body_place);
  for (size_t at : exits) out[at].a = static_cast<uint32_t>(out.size());
}

// Every function's untraced code, each callee's before its callers'.
class Builder {
 public:
  Builder(const ir::Module& m, const std::vector<std::vector<ir::Inst>>& decoded, const ZeroedRegisters& zeroed)
      : m_(m), decoded_(decoded), zeroed_(zeroed), done_(m.functions.size()), state_(m.functions.size(), kTodo) {
    size_t size = 0;
    for (uint32_t f = 0; f < m.functions.size(); ++f) size += decoded[f].size() + m.functions[f].regs.size();
    growth_left_ = kGrowthAtMost * size + kModuleGrowthAtLeast;
  }

  // f's untraced code; nullptr while f is being made (a cycle of calls,
  // which a verified module has none of).
  const UntracedCode* of(uint32_t f) {
    if (f >= state_.size() || state_[f] == kMaking) return nullptr;
    if (state_[f] == kTodo) {
      state_[f] = kMaking;
      done_[f] = build(f);
      state_[f] = kDone;
    }
    return &done_[f];
  }

  std::vector<UntracedCode> all() {
    for (uint32_t f = 0; f < m_.functions.size(); ++f) of(f);
    return std::move(done_);
  }

 private:
  enum State : uint8_t { kTodo, kMaking, kDone };

  // The untraced code of a callee g that takes arguments, if its call from
  // f is replaced by it: small in instructions and registers (its own
  // inlined calls included), not f.
  const UntracedCode* inlined(uint32_t f, uint32_t g) {
    if (g == f || g >= m_.functions.size() || m_.functions[g].num_params == 0) return nullptr;
    const UntracedCode* code = of(g);
    if (!code || code->code.size() > kInlineAtMost || code->frame > kInlineRegisters) return nullptr;
    return code;
  }

  // The untraced code of a parameterless callee g, if its call from f is
  // replaced by it: small in instructions and registers, not f.
  const UntracedCode* memo_inlined(uint32_t f, uint32_t g) {
    if (g == f || g >= m_.functions.size() || m_.functions[g].num_params != 0) return nullptr;
    const UntracedCode* code = of(g);
    if (!code || code->code.size() > kMemoInlineAtMost || code->frame > kInlineRegisters) return nullptr;
    return code;
  }

  UntracedCode build(uint32_t f);

  const ir::Module& m_;
  const std::vector<std::vector<ir::Inst>>& decoded_;
  const ZeroedRegisters& zeroed_;
  std::vector<UntracedCode> done_;
  std::vector<State> state_;
  size_t growth_left_ = 0;  // of the module's untraced code: instructions and registers
};

UntracedCode Builder::build(uint32_t f) {
  const std::vector<ir::Inst>& code = decoded_[f];
  UntracedCode out;
  // Inlined bodies' registers: one block after the caller's own.
  const auto base = static_cast<uint32_t>(m_.functions[f].regs.size());
  out.frame = base;
  const std::vector<bool> targets = jump_targets(code);
  std::vector<uint32_t> reads(base, 0);
  for (const ir::Inst& in : code)
    if (in.op != Op::Iteration) each_read(in, [&](uint32_t r) { ++reads[r]; });
  // Which calls are inlined, decided first (an argument's move is left out
  // only for a call that is): those whose body, counted at its most (a
  // step, its arguments, its zeroes, its code with a jump per return),
  // still fits the function's growth limit and the module's growth left,
  // which keeps room for the registers a block adds.
  // Every callee's own code first: what making them takes from the
  // module's growth is gone before this function's share is weighed.
  for (const ir::Inst& in : code)
    if (in.op == Op::Call && in.a != f) of(in.a);
  std::vector<const UntracedCode*> with_args(code.size(), nullptr), memoized_at(code.size(), nullptr);
  size_t grown = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i].op != Op::Call) continue;
    const UntracedCode* callee = inlined(f, code[i].a);
    const UntracedCode* memoized = callee ? nullptr : memo_inlined(f, code[i].a);
    const UntracedCode* body = callee ? callee : memoized;
    if (!body) continue;
    const size_t cost = 1 + code[i].c + body->zeroed.size() + 2 * body->code.size();
    const size_t allowed = std::min((kGrowthAtMost - 1) * code.size() + kGrowthAtLeast, growth_left_);
    if (grown + cost + kInlineRegisters > allowed) continue;
    grown += cost;
    with_args[i] = callee;
    memoized_at[i] = memoized;
  }
  std::vector<bool> zeroed_here(base, false);
  for (const auto& z : zeroed_[f])
    if (z.first < base) zeroed_here[z.first] = true;
  // Per call inlined with arguments, where they are read; the moves left out.
  std::vector<Arguments> args(code.size());
  std::vector<bool> left_out(code.size(), false);
  for (size_t i = 0; i < code.size(); ++i) {
    if (!with_args[i]) continue;
    args[i] = arguments(i, code, *with_args[i], targets, reads, zeroed_here, zeroed_);
    for (size_t j : args[i].dead_moves) left_out[j] = true;
  }
  // place[i]: where instruction i (or, left out, the next one kept) begins.
  std::vector<uint32_t> place(code.size() + 1, 0);
  std::vector<size_t> own_jumps;  // the caller's jumps and branches, patched by place
  for (size_t i = 0; i < code.size(); ++i) {
    const ir::Inst& in = code[i];
    place[i] = static_cast<uint32_t>(out.code.size());
    if (in.op == Op::Iteration || left_out[i]) continue;  // a trace's only; an unread move
    if (const UntracedCode* memoized = memoized_at[i]) {
      // What call() does: the memo read (jumping past the body), else a
      // step and the zeroed registers; at each return, the memo written.
      const uint32_t g = in.a;
      out.frame = std::max(out.frame, base + memoized->frame);
      std::vector<uint32_t> reg(memoized->frame);
      for (uint32_t r = 0; r < reg.size(); ++r) reg[r] = base + r;
      const size_t enter = out.code.size();
      out.code.push_back(ir::Inst{static_cast<Op>(kOpMemoEnter), in.dst, g, 0, 0, 0, m_.functions[g].loc});
      for (const auto& [r, zero] : memoized->zeroed)
        out.code.push_back(ir::Inst{static_cast<Op>(kOpZero), base + r, zero, 0, 0, 0, m_.functions[g].loc});
      append_body(out.code, memoized->code, reg, UINT32_MAX, [&](const ir::Inst& ret) {
        out.code.push_back(ir::Inst{static_cast<Op>(kOpMemoLeave), in.dst, g, reg[ret.a], 0, 0, ret.loc});
      });
      out.code[enter].b = static_cast<uint32_t>(out.code.size());
      continue;
    }
    const UntracedCode* inlined_code = with_args[i];
    if (!inlined_code) {
      if (has_target(in)) own_jumps.push_back(out.code.size());
      out.code.push_back(in);
      continue;
    }
    const uint32_t g = in.a;
    const ir::Function& callee = m_.functions[g];
    out.frame = std::max(out.frame, base + inlined_code->frame);
    // The callee's registers in the caller's frame: its block, or for a
    // parameter it never writes, where its argument came from.
    std::vector<uint32_t> reg(inlined_code->frame);
    for (uint32_t r = 0; r < reg.size(); ++r) reg[r] = base + r;
    // What call() does on entry: a step, the arguments, the zeroed registers.
    out.code.push_back(ir::Inst{static_cast<Op>(kOpStep), 0, 0, 0, 0, 0, callee.loc});
    for (uint32_t k = 0; k < in.c; ++k) {
      if (args[i].source[k] != in.b + k) {
        reg[k] = args[i].source[k];
        continue;
      }
      out.code.push_back(ir::Inst{Op::Mov, base + k, in.b + k, 0, 0, 0, in.loc});
    }
    for (const auto& [r, zero] : inlined_code->zeroed)
      out.code.push_back(ir::Inst{static_cast<Op>(kOpZero), base + r, zero, 0, 0, 0, callee.loc});
    // Each return a move into the call's register, or the result computed
    // into it.
    const std::vector<ir::Inst>& body = inlined_code->code;
    append_body(out.code, body, reg, result_forwarded(m_, g, body, zeroed_) ? in.dst : UINT32_MAX,
                [&](const ir::Inst& ret) { out.code.push_back(ir::Inst{Op::Mov, in.dst, reg[ret.a], 0, 0, 0, ret.loc}); });
  }
  place[code.size()] = static_cast<uint32_t>(out.code.size());
  for (size_t at : own_jumps) patch_targets(out.code[at], place);
  growth_left_ -= std::min(growth_left_, (out.code.size() - std::min(out.code.size(), code.size())) + (out.frame - base));
  simplify(m_, f, zeroed_, out.frame, out.code);
  std::vector<bool> read(out.frame, false);
  for (const ir::Inst& in : out.code)
    each_read(in, [&](uint32_t r) {
      if (r < read.size()) read[r] = true;
    });
  for (const auto& z : zeroed_[f])
    if (z.first < read.size() && read[z.first]) out.zeroed.push_back(z);
  return out;
}

}  // namespace

std::vector<UntracedCode> untraced_codes(const ir::Module& m, const std::vector<std::vector<ir::Inst>>& decoded,
                                         const ZeroedRegisters& zeroed) {
  return Builder(m, decoded, zeroed).all();
}

}  // namespace doudi::interp
