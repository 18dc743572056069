// IR → LLVM IR, one LLVM function per IR function, following the contract in
// jit_abi.h. Each IR register is two i64 stack slots (a Value's two words)
// that LLVM's SROA turns into SSA values; each instruction is a basic block
// that simplifycfg merges. Plain integer work (checked add, sub, mul,
// comparisons, fields, list elements, branches) is inlined; so are ratio
// sums and differences with a whole side, ratio products of whole numbers,
// and money scaling wherever the exact quotient's dividend and divisor fit
// in 64 bits: where the result cannot differ from the exact one. Otherwise
// they call the helpers, which run the interpreter's own code.
//
// The module is verified before it is lowered (a RuleSet is made only from
// a verified module), so operands are in range and typed as their kinds say.
#include "runtime/jit/lower.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "runtime/ir/ir.h"
#include "runtime/jit/member_memo.h"
#include "runtime/record/record_layout.h"

namespace doudi::jit {
namespace {

using ir::Op;

// Functions of at most this many IR instructions, counting those of the
// functions inlined into them, are inlined wherever they are called (a
// member's rule called in a loop over the members, say): O2's inliner weighs
// the call against the lowered size, which the error paths swell, and leaves
// such calls out. Counting callees keeps a chain of functions that each call
// the next twice from growing 2^n copies. At 160 every function of the
// Huining deployment is inlined into the entry point (at 64, three of its
// member rules were called instead: 2,057 machine instructions per
// household against 1,776); compiling the shipped deployments takes no
// longer.
constexpr size_t kAlwaysInline = 160;

// Per function: whether it is always inlined (its size with its always-
// inlined callees is at most kAlwaysInline). The call graph of a verified
// module has no cycles.
std::vector<bool> always_inlined(const ir::Module& m) {
  std::vector<size_t> size(m.functions.size(), SIZE_MAX);  // SIZE_MAX: not yet known
  std::vector<bool> always(m.functions.size(), false);
  std::function<size_t(uint32_t)> inlined_size = [&](uint32_t f) -> size_t {
    if (size[f] != SIZE_MAX) return size[f];
    size_t total = m.functions[f].code.size();
    for (const auto& in : m.functions[f].code)
      if (in.op == ir::Op::Call && total <= kAlwaysInline)
        total += always[in.a] || inlined_size(in.a) <= kAlwaysInline ? size[in.a] : 1;
    size[f] = total;
    always[f] = total <= kAlwaysInline;
    return total;
  };
  for (uint32_t f = 0; f < m.functions.size(); ++f) inlined_size(f);
  return always;
}

class Lowering {
 public:
  Lowering(const ir::Module& m, const HelperAddress* helpers, size_t helper_count, llvm::Module& out)
      : m_(m), mod_(out), c_(out.getContext()), b_(c_) {
    i64_ = llvm::Type::getInt64Ty(c_);
    i32_ = llvm::Type::getInt32Ty(c_);
    i8_ = llvm::Type::getInt8Ty(c_);
    ptr_ = llvm::PointerType::get(c_, 0);
    value_ = llvm::StructType::create(c_, {i64_, i64_}, "doudi.value");
    slot_ = llvm::StructType::create(c_, {i64_, value_}, "doudi.param_slot");
    ctx_ = llvm::StructType::create(c_, {ptr_, ptr_, i64_, i64_, ptr_}, "doudi.context");
    record_ = llvm::StructType::create(c_, {ptr_, i64_, value_}, "doudi.record");
    inner_type_ = llvm::FunctionType::get(i32_, {ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_}, false);
    invariant_ = llvm::MDNode::get(c_, {});
    llvm::MDBuilder md(c_);
    llvm::MDNode* root = md.createTBAARoot("doudi.memo");
    llvm::MDNode* flag = md.createTBAAScalarTypeNode("memo.valid", root);
    llvm::MDNode* value = md.createTBAAScalarTypeNode("memo.value", root);
    memo_valid_tag_ = md.createTBAAStructTagNode(flag, flag, 0);
    memo_value_tag_ = md.createTBAAStructTagNode(value, value, 0);
    for (size_t i = 0; i < helper_count; ++i) declare_helper(helpers[i]);
    // Every IR function becomes an internal function that takes the
    // context, the record (jit_abi.h, RecordField), and also the
    // step budget by address (the caller's local, so that once inlined the
    // budget lives in a register instead of being stored to the context at
    // every step), the memo by address (memo_bytes) and the member rules'
    // tables by address (member_memo_call). One internal
    // function, decide_one, calls the outputs' and the flags' functions in
    // turn with the budget and the memo in its own frame; the external
    // kDecideRunSymbol calls it for each household of a run (lower_decide).
    always_ = always_inlined(m_);
    member_tables_ = member_memo_tables(m_);
    for (uint32_t f = 0; f < m_.functions.size(); ++f)
    {
      fns_.push_back(llvm::Function::Create(inner_type_, llvm::Function::InternalLinkage,
                                            "doudi_f" + std::to_string(f), mod_));
      mark_context(fns_.back());
      mark_record(fns_.back(), 1);
      if (always_[f]) fns_.back()->addFnAttr(llvm::Attribute::AlwaysInline);
      // The budget's address is the caller's own local, reached by no other name.
      fns_.back()->addParamAttr(4, llvm::Attribute::NoAlias);
      // So are the member rules' tables, the caller's too.
      fns_.back()->addParamAttr(6, llvm::Attribute::NoAlias);
    }
  }

  void lower_all() {
    for (uint32_t f = 0; f < m_.functions.size(); ++f) lower(f);
    lower_decide_run(lower_decide());
  }

 private:
  // ---- declarations ----
  void declare_helper(const HelperAddress& h) {
    auto type_of = [&](char t) -> llvm::Type* { return t == 'i' ? i64_ : t == 'w' ? i32_ : ptr_; };
    std::vector<llvm::Type*> params;
    for (const char* s = h.signature + 1; *s; ++s) params.push_back(type_of(*s));
    auto* type = llvm::FunctionType::get(type_of(h.signature[0]), params, false);
    auto* fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, h.name, mod_);
    helpers_[h.name] = fn;
  }

  llvm::Function* helper(const char* name) { return helpers_.at(name); }

  // ---- per function ----
  llvm::Value* i64c(int64_t v) { return llvm::ConstantInt::get(i64_, static_cast<uint64_t>(v), true); }
  llvm::Value* i32c(int32_t v) { return llvm::ConstantInt::get(i32_, static_cast<uint64_t>(v), true); }

  llvm::Value* ctx_field(unsigned field) { return b_.CreateStructGEP(ctx_, ctx_arg_, field); }
  llvm::Value* record_field(unsigned field) { return b_.CreateStructGEP(record_, record_arg_, field); }
  // Loads of what does not change while a decision runs (the context's
  // fields, the record, the parameters in force, the constants) are marked
  // invariant, so LLVM may hoist them out of loops past the helper calls on
  // cold paths, which it must otherwise assume write anything.
  llvm::Value* load_invariant(llvm::Type* t, llvm::Value* p) {
    auto* load = b_.CreateLoad(t, p);
    load->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant_);
    return load;
  }
  llvm::Value* load_ctx(unsigned field, llvm::Type* t) {
    llvm::Value* v = load_invariant(t, ctx_field(field));
    // The arrays the context points to, by their length in the module: may
    // be read on a path that does not need them (so loads can leave loops).
    const uint64_t bytes = field == kConstants ? m_.constants.size() * sizeof(Value)
                           : field == kWithin  ? m_.jurisdictions.size()
                                               : 0;
    if (bytes > 0) {
      auto* load = llvm::cast<llvm::LoadInst>(v);
      auto constant = [&](uint64_t n) {
        return llvm::MDNode::get(c_, {llvm::ConstantAsMetadata::get(llvm::ConstantInt::get(i64_, n))});
      };
      load->setMetadata(llvm::LLVMContext::MD_dereferenceable, constant(bytes));
      load->setMetadata(llvm::LLVMContext::MD_align, constant(8));
    }
    return v;
  }
  // A parameter's slot read once, in the entry block, for every place the
  // function reads it: the slots do not change during a decision, so a loop
  // reading a parameter reads registers. Whether it was found is still
  // checked where the IR reads it (E1005 only on a path that reads it).
  struct ParamRead {
    llvm::Value *found, *a, *b;
  };
  const ParamRead& param_read(bool last_year, uint32_t param) {
    auto [it, inserted] = param_reads_.try_emplace({last_year, param});
    if (inserted) {
      llvm::IRBuilderBase::InsertPointGuard guard(b_);
      b_.SetInsertPoint(entry_block_->getTerminator());
      // After the context (jit_abi.h, context_bytes).
      const uint64_t index = (last_year ? m_.params.size() : 0) + param;
      llvm::Value* slot = b_.CreateGEP(i8_, ctx_arg_, i64c(static_cast<int64_t>(sizeof(Context) + index * sizeof(ParamSlot))));
      llvm::Value* value = b_.CreateStructGEP(slot_, slot, 1);
      it->second = {load_invariant(i64_, b_.CreateStructGEP(slot_, slot, 0)),
                    load_invariant(i64_, b_.CreateStructGEP(value_, value, 0)),
                    load_invariant(i64_, b_.CreateStructGEP(value_, value, 1))};
    }
    return it->second;
  }

  // The context and the parameters' slots after it are always there, whole.
  void mark_context(llvm::Function* f) {
    f->addParamAttr(0, llvm::Attribute::getWithDereferenceableBytes(c_, context_bytes(m_.params.size())));
    f->addParamAttr(0, llvm::Attribute::getWithAlignment(c_, llvm::Align(alignof(Context))));
  }
  // The record argument is a whole RecordView that nothing writes while a
  // decision runs.
  void mark_record(llvm::Function* f, unsigned arg) {
    f->addParamAttr(arg, llvm::Attribute::getWithDereferenceableBytes(c_, sizeof(RecordView)));
    f->addParamAttr(arg, llvm::Attribute::getWithAlignment(c_, llvm::Align(alignof(RecordView))));
    f->addParamAttr(arg, llvm::Attribute::NoAlias);
  }

  llvm::Value* A(uint32_t r) { return b_.CreateLoad(i64_, ra_[r]); }
  llvm::Value* B(uint32_t r) { return b_.CreateLoad(i64_, rb_[r]); }
  void set(uint32_t r, llvm::Value* a, llvm::Value* b) {
    b_.CreateStore(a, ra_[r]);
    b_.CreateStore(b, rb_[r]);
    const StructReads& reads = field_reads_[r];
    if (reads.fields.empty()) return;
    // A base past the readable words (crafted modules only; why, above FieldRead) is taken as 0.
    llvm::Value* last_base = b_.CreateSub(load_invariant(i64_, record_field(kReadable)), i64c(reads.words));
    llvm::Value* base = b_.CreateSelect(b_.CreateICmpULE(a, last_base), a, i64c(0));
    for (const FieldRead& read : reads.fields) {
      auto [fa, fb] = read_words(b_.CreateAdd(base, i64c(read.offset)), read.wide);
      b_.CreateStore(fa, read.a);
      b_.CreateStore(fb, read.b);
    }
  }
  void set_int(uint32_t r, llvm::Value* a) { set(r, a, i64c(0)); }
  void set_bool(uint32_t r, llvm::Value* bit) { set_int(r, b_.CreateZExt(bit, i64_)); }
  // A Value at `p` (a Value* in memory) into register r.
  void set_from(uint32_t r, llvm::Value* p) {
    set(r, b_.CreateLoad(i64_, b_.CreateStructGEP(value_, p, 0)), b_.CreateLoad(i64_, b_.CreateStructGEP(value_, p, 1)));
  }
  // The same from memory that is invariant during a decision (load_invariant).
  void set_from_invariant(uint32_t r, llvm::Value* p) {
    set(r, load_invariant(i64_, b_.CreateStructGEP(value_, p, 0)), load_invariant(i64_, b_.CreateStructGEP(value_, p, 1)));
  }
  // A structure register's fields are read where the register is written
  // (set), whichever path later reads them: a rule's conditions on a
  // member's fields are then plain values on either side of a branch, which
  // LLVM can turn into selects and ands instead of branches (jit_library.cc,
  // tune_simplifycfg; a load on one side only it cannot move, not knowing
  // the record's words readable). Reading them early is safe: a structure
  // register holds a structure of the record, or word 0 before it is first
  // written (no module can have an optional structure: the verifier refuses
  // the type), and every field read from word 0 lies within
  // record::ReadableWords; should a crafted module still put anything else
  // there, set reads from a base that keeps the structure within the
  // readable words.
  // Per register, the words its structure takes and the fields its Field
  // instructions read, each into two slots of its own.
  struct FieldRead {
    uint32_t field, offset;
    bool wide;
    llvm::Value *a, *b;
  };
  struct StructReads {
    uint32_t words = 0;
    std::vector<FieldRead> fields;
  };
  void plan_field_reads(const ir::Function& f) {
    field_reads_.assign(f.regs.size(), {});
    for (const ir::Inst& in : f.code) {
      if (in.op != Op::Field) continue;
      StructReads& reads = field_reads_[in.a];
      if (std::any_of(reads.fields.begin(), reads.fields.end(), [&](const FieldRead& r) { return r.field == in.b; }))
        continue;
      const uint32_t s = m_.types.get(f.regs[in.a]).ref;
      reads.words = record::struct_words(m_, s);
      reads.fields.push_back({in.b, record::field_offset(m_, s, in.b),
                              record::wide_slot(m_.types, m_.structs[s].fields[in.b].type), b_.CreateAlloca(i64_),
                              b_.CreateAlloca(i64_)});
    }
  }
  const FieldRead& field_read(uint32_t r, uint32_t field) const {
    const auto& fields = field_reads_[r].fields;
    return *std::find_if(fields.begin(), fields.end(), [&](const FieldRead& read) { return read.field == field; });
  }
  // A record's value at word `index` (record_layout.h) into register r:
  // one word, the second 0, or two.
  void set_from_words(uint32_t r, llvm::Value* index, bool wide) {
    auto [a, b] = read_words(index, wide);
    set(r, a, b);
  }
  std::pair<llvm::Value*, llvm::Value*> read_words(llvm::Value* index, bool wide) {
    llvm::Value* p = b_.CreateGEP(i64_, load_invariant(ptr_, record_field(kWords)), index);
    return {load_invariant(i64_, p), wide ? load_invariant(i64_, b_.CreateGEP(i64_, p, i64c(1))) : i64c(0)};
  }
  void store_value(llvm::Value* p, llvm::Value* a, llvm::Value* b) {
    b_.CreateStore(a, b_.CreateStructGEP(value_, p, 0));
    b_.CreateStore(b, b_.CreateStructGEP(value_, p, 1));
  }

  llvm::BasicBlock* block(const char* name) { return llvm::BasicBlock::Create(c_, name, fn_); }

  // The memo, in decide_one's frame: per function, its result (16
  // bytes) from byte 16 × function, then per function whether it holds one
  // (a byte) from byte 16 × functions. Where every function is inlined into
  // decide_one, SROA turns it into registers; where one is not (it
  // receives the memo's address), the flags and the values are two arrays
  // that generated code reaches only through these accesses, each tagged
  // with its own type (TBAA): LLVM may then keep a flag it stored in a
  // register past the stores of values, and drop the memo checks of
  // functions already run in the same decision.
  uint64_t memo_bytes() const { return 17 * m_.functions.size(); }
  llvm::Value* memo_valid_at(llvm::Value* memo, uint32_t fi) {
    return b_.CreateGEP(i8_, memo, i64c(static_cast<int64_t>(16 * m_.functions.size() + fi)));
  }
  llvm::Value* memo_value_at(llvm::Value* memo, uint32_t fi) { return b_.CreateGEP(value_, memo, i64c(fi)); }
  template <typename Access>
  Access* memo_access(Access* access, llvm::MDNode* tag) {
    access->setMetadata(llvm::LLVMContext::MD_tbaa, tag);
    return access;
  }

  // Returns `status`, the budget handed back to the caller first. Inside a
  // function the budget is a local (a register once optimised) that its
  // callees count on; it goes back to the caller's at returns, never at
  // each step.
  void ret(int32_t status) {
    b_.CreateStore(b_.CreateLoad(i64_, steps_), steps_arg_);
    b_.CreateRet(i32c(status));
  }

  // Branches to a new block that ends in `emit_failure` (which records the
  // error through a helper) and returns 1; continues where `ok` holds.
  template <typename Emit>
  void fail_unless(llvm::Value* ok, Emit emit_failure) {
    auto* bad = block("fail");
    auto* good = block("ok");
    b_.CreateCondBr(ok, good, bad, weights_likely_);
    b_.SetInsertPoint(bad);
    emit_failure();
    ret(1);
    b_.SetInsertPoint(good);
  }
  void fail_with(Failure kind, uint32_t loc, llvm::Value* x, llvm::Value* y) {
    b_.CreateCall(helper("doudi_jit_fail"), {ctx_arg_, i64c(static_cast<int64_t>(kind)), i64c(loc), x, y});
  }
  // A helper's status: on non-zero the helper has recorded the error.
  void check_status(llvm::Value* status) {
    auto* good = block("ok");
    b_.CreateCondBr(b_.CreateICmpEQ(status, i32c(0)), good, failed_, weights_likely_);
    b_.SetInsertPoint(good);
  }

  // The budget (calls and rounds of loops, as the interpreter counts them)
  // is counted at every step but looked at only where a loop goes round and
  // where a function that is not always inlined begins: a check wherever a
  // rule calls another adds a branch to every call inlined into a member's
  // loop (Huining: 547 conditional branches in the code, 418 without; 9 %
  // fewer instructions per household). Between two checks no instruction
  // runs twice in one copy of a function's code (a jump back is checked,
  // the call graph has no cycles, and a function not inlined is checked as
  // it begins; a chain of definitions that each call the next twice is
  // inlined only while it is small), so a decision goes at most the code's
  // own length past its budget; and since the count only
  // falls, the budget ran out somewhere exactly when the count is at or
  // below zero at the end: the engine then decides the household again
  // with the interpreter, for its E1008 at the interpreter's place
  // (jit_abi.h, Context::steps_left). So a check that finds the budget
  // spent only stops the code: it records no error of its own.
  void count_step() { b_.CreateStore(b_.CreateSub(b_.CreateLoad(i64_, steps_), i64c(1)), steps_); }
  void checked_step() {
    count_step();
    fail_unless(b_.CreateICmpSGT(b_.CreateLoad(i64_, steps_), i64c(0)), [] {});
  }

  // Checked a op b through an overflow intrinsic; on overflow, E1001.
  llvm::Value* checked(llvm::Intrinsic::ID id, llvm::Value* x, llvm::Value* y, uint32_t loc) {
    llvm::Value* pair = b_.CreateBinaryIntrinsic(id, x, y);
    fail_unless(b_.CreateNot(b_.CreateExtractValue(pair, 1)),
                [&] { fail_with(Failure::Overflow, loc, i64c(0), i64c(0)); });
    return b_.CreateExtractValue(pair, 0);
  }

  // Ratio arithmetic inline where the exact result needs no reducing.
  // Every ratio the engines hold with a positive denominator is in lowest
  // terms (the verifier checks constants and parameters; the record loader
  // and the operations make them so; a denominator of 0 or less, which
  // Value::ratio() reads as 0/1, is left to the helper), hence with a whole
  // side x + n/d and x − n/d are (x·d ± n)/d, already in lowest terms, and
  // whole × whole is whole. On an overflow in 64 bits, a product that needs
  // reducing, or anything else, doudi_jit_ratio gives the exact result or
  // the error.
  void ratio_op(const ir::Inst& in, RatioOp op) {
    if (op != kRatioAdd && op != kRatioSub && op != kRatioMul) {
      call_ratio_helper(in, op);
      return;
    }
    llvm::Value *xa = A(in.a), *xb = B(in.a), *ya = A(in.b), *yb = B(in.b);
    auto* fast = block("ratio.fast");
    auto* slow = block("ratio.slow");
    auto* done = block("ratio.done");
    llvm::Value* one = i64c(1);
    if (op == kRatioMul) {
      b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpEQ(xb, one), b_.CreateICmpEQ(yb, one)), fast, slow, weights_likely_);
      b_.SetInsertPoint(fast);
      set(in.dst, result_or(slow, llvm::Intrinsic::smul_with_overflow, xa, ya), one);
    } else {
      b_.CreateCondBr(b_.CreateOr(b_.CreateICmpEQ(xb, one), b_.CreateICmpEQ(yb, one)), fast, slow, weights_likely_);
      b_.SetInsertPoint(fast);
      llvm::Value* left = result_or(slow, llvm::Intrinsic::smul_with_overflow, xa, yb);
      llvm::Value* right = result_or(slow, llvm::Intrinsic::smul_with_overflow, ya, xb);
      llvm::Value* num = result_or(
          slow, op == kRatioAdd ? llvm::Intrinsic::sadd_with_overflow : llvm::Intrinsic::ssub_with_overflow, left, right);
      llvm::Value* den = b_.CreateMul(xb, yb);  // one of them is 1
      // A numerator of INT64_MIN is left to the helper (Ratio::make's 128-bit
      // path gives the same n/d; only checked here not to rely on it).
      auto* store = block("ratio.store");
      b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpSGT(den, i64c(0)), b_.CreateICmpNE(num, i64c(INT64_MIN))), store, slow,
                      weights_likely_);
      b_.SetInsertPoint(store);
      set(in.dst, num, den);
    }
    b_.CreateBr(done);
    b_.SetInsertPoint(slow);
    call_ratio_helper(in, op);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }
  void call_ratio_helper(const ir::Inst& in, RatioOp op) {
    llvm::Value* out = scratch_value_;
    check_status(b_.CreateCall(helper("doudi_jit_ratio"),
                               {ctx_arg_, i64c(in.loc), i64c(op), A(in.a), B(in.a), A(in.b), B(in.b), out}));
    set_from(in.dst, out);
  }

  // Money × or ÷ a factor, inline wherever the exact quotient fits in 64
  // bits: money × n/d is (fen × n) ÷ d, money ÷ n/d is (fen × d) ÷ n, money
  // ÷ n is fen ÷ n, each rounded by the instruction's mode as rounded_div
  // would (a positive divisor, a dividend above INT64_MIN). A whole factor
  // needs no division. Anything else (a product past 64 bits, a negative or
  // zero divisor) goes to doudi_jit_scale, which also reports the errors.
  void scale(const ir::Inst& in, ScaleOp op) {
    auto* slow = block("scale.slow");
    auto* done = block("scale.done");
    llvm::Value *fen = A(in.a), *factor = A(in.b);
    // A ratio's words as Value::ratio() reads them: a den of 0 or less is
    // 0/1, which this path leaves to the helper.
    llvm::Value* den = op == kScaleDivInt ? i64c(1) : B(in.b);
    if (op == kScaleMulRatio) {
      // fen × n / 1: exact, no rounding.
      auto* whole = block("scale.whole");
      auto* fraction = block("scale.fraction");
      b_.CreateCondBr(b_.CreateICmpEQ(den, i64c(1)), whole, fraction, weights_likely_);
      b_.SetInsertPoint(whole);
      set_int(in.dst, result_or(slow, llvm::Intrinsic::smul_with_overflow, fen, factor));
      b_.CreateBr(done);
      b_.SetInsertPoint(fraction);
    }
    // dividend ÷ divisor with both in 64 bits.
    llvm::Value* multiplier = op == kScaleMulRatio ? factor : den;
    llvm::Value* divisor = op == kScaleMulRatio ? den : factor;
    auto* divide = block("scale.divide");
    llvm::Value* dividend = fen;
    if (op != kScaleDivInt) {
      auto* multiply = block("scale.multiply");
      b_.CreateCondBr(b_.CreateICmpSGT(den, i64c(0)), multiply, slow, weights_likely_);
      b_.SetInsertPoint(multiply);
      dividend = result_or(slow, llvm::Intrinsic::smul_with_overflow, fen, multiplier);
    }
    llvm::Value* plain =
        b_.CreateAnd(b_.CreateICmpSGT(divisor, i64c(0)), b_.CreateICmpNE(dividend, i64c(INT64_MIN)));
    b_.CreateCondBr(plain, divide, slow, weights_likely_);
    b_.SetInsertPoint(divide);
    set_int(in.dst, rounded_quotient(dividend, divisor, in.c));
    b_.CreateBr(done);
    b_.SetInsertPoint(slow);
    check_status(b_.CreateCall(helper("doudi_jit_scale"), {ctx_arg_, i64c(in.loc), i64c(op), A(in.a), A(in.b),
                                                            B(in.b), i64c(in.c), scratch_int_}));
    set_int(in.dst, b_.CreateLoad(i64_, scratch_int_));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }
  // x op y in 64 bits (an overflow intrinsic), continuing where it fits; on
  // overflow, a branch to `overflow` (the block that calls the helper).
  llvm::Value* result_or(llvm::BasicBlock* overflow, llvm::Intrinsic::ID id, llvm::Value* x, llvm::Value* y) {
    llvm::Value* pair = b_.CreateBinaryIntrinsic(id, x, y);
    auto* fits = block("result.fits");
    b_.CreateCondBr(b_.CreateExtractValue(pair, 1), overflow, fits, weights_unlikely_);
    b_.SetInsertPoint(fits);
    return b_.CreateExtractValue(pair, 0);
  }
  // x ÷ n for n > 0 and x > INT64_MIN, rounded by `mode` (the instruction's
  // c) as apply_rounding does: 1 down (floor), 2 up (ceiling), else 四舍五入
  // (|r| ≥ n − |r| moves away from zero).
  llvm::Value* rounded_quotient(llvm::Value* x, llvm::Value* n, uint32_t mode) {
    llvm::Value* q = b_.CreateSDiv(x, n);
    llvm::Value* r = b_.CreateSRem(x, n);
    if (mode == 1) return b_.CreateSub(q, b_.CreateZExt(b_.CreateICmpSLT(r, i64c(0)), i64_));
    if (mode == 2) return b_.CreateAdd(q, b_.CreateZExt(b_.CreateICmpSGT(r, i64c(0)), i64_));
    llvm::Value* magnitude = b_.CreateSelect(b_.CreateICmpSLT(r, i64c(0)), b_.CreateNeg(r), r);
    llvm::Value* away =
        b_.CreateAnd(b_.CreateICmpNE(r, i64c(0)), b_.CreateICmpSGE(magnitude, b_.CreateSub(n, magnitude)));
    llvm::Value* step_by = b_.CreateSelect(b_.CreateICmpSLT(x, i64c(0)), i64c(-1), i64c(1));
    return b_.CreateAdd(q, b_.CreateSelect(away, step_by, i64c(0)));
  }

  // -1, 0 or 1 comparing two ratios: inline when both denominators are 1
  // (Value::ratio() reads such a value as a/1), else the helper.
  llvm::Value* ratio_compare(uint32_t x, uint32_t y) {
    llvm::Value *xa = A(x), *xb = B(x), *ya = A(y), *yb = B(y);
    llvm::Value* both_whole = b_.CreateAnd(b_.CreateICmpEQ(xb, i64c(1)), b_.CreateICmpEQ(yb, i64c(1)));
    auto* entry = b_.GetInsertBlock();
    auto* slow = block("cmp.slow");
    auto* done = block("cmp.done");
    b_.CreateCondBr(both_whole, done, slow, weights_likely_);
    b_.SetInsertPoint(slow);
    llvm::Value* called = b_.CreateCall(helper("doudi_jit_ratio_compare"), {xa, xb, ya, yb});
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    auto* phi = b_.CreatePHI(i32_, 2);
    llvm::Value* inline_cmp = nullptr;
    {
      // Computed in the entry block so it dominates the phi.
      llvm::IRBuilderBase::InsertPointGuard guard(b_);
      b_.SetInsertPoint(entry->getTerminator());
      inline_cmp = b_.CreateSelect(b_.CreateICmpSLT(xa, ya), i32c(-1),
                                   b_.CreateZExt(b_.CreateICmpSGT(xa, ya), i32_));
    }
    phi->addIncoming(inline_cmp, entry);
    phi->addIncoming(called, slow);
    return phi;
  }

  void lower(uint32_t fi) {
    const ir::Function& f = m_.functions[fi];
    fn_ = fns_[fi];
    ctx_arg_ = fn_->getArg(0);
    record_arg_ = fn_->getArg(1);
    llvm::Value* args = fn_->getArg(2);
    llvm::Value* result = fn_->getArg(3);
    steps_arg_ = fn_->getArg(4);
    memo_arg_ = fn_->getArg(5);
    tables_arg_ = fn_->getArg(6);
    auto* entry = block("entry");
    b_.SetInsertPoint(entry);
    ra_.clear();
    rb_.clear();
    for (size_t r = 0; r < f.regs.size(); ++r) {
      ra_.push_back(b_.CreateAlloca(i64_));
      rb_.push_back(b_.CreateAlloca(i64_));
    }
    scratch_value_ = b_.CreateAlloca(value_);
    steps_ = b_.CreateAlloca(i64_);  // set from *steps_arg_ below, after the entry block's allocas
    scratch_int_ = b_.CreateAlloca(i64_);
    plan_field_reads(f);
    // Call sites' argument arrays and results, all in the entry block.
    std::vector<llvm::Value*> call_args(f.code.size(), nullptr), call_result(f.code.size(), nullptr);
    for (size_t i = 0; i < f.code.size(); ++i)
      if (f.code[i].op == Op::Call) {
        call_args[i] = b_.CreateAlloca(value_, i64c(std::max<uint32_t>(f.code[i].c, 1)));
        call_result[i] = b_.CreateAlloca(value_);
      }

    b_.CreateStore(b_.CreateLoad(i64_, steps_arg_), steps_);
    failed_ = block("failed");
    {
      llvm::IRBuilderBase::InsertPointGuard guard(b_);
      b_.SetInsertPoint(failed_);
      ret(1);
    }

    // A memoized function's result for this record.
    if (f.memoizable()) {
      llvm::Value* valid_at = memo_valid_at(memo_arg_, fi);
      auto* hit = block("memo.hit");
      auto* miss = block("memo.miss");
      b_.CreateCondBr(b_.CreateICmpNE(memo_access(b_.CreateLoad(i8_, valid_at), memo_valid_tag_),
                                      llvm::ConstantInt::get(i8_, 0)),
                      hit, miss);
      b_.SetInsertPoint(hit);
      llvm::Value* memo = memo_value_at(memo_arg_, fi);
      store_value(result, memo_access(b_.CreateLoad(i64_, b_.CreateStructGEP(value_, memo, 0)), memo_value_tag_),
                  memo_access(b_.CreateLoad(i64_, b_.CreateStructGEP(value_, memo, 1)), memo_value_tag_));
      ret(0);
      b_.SetInsertPoint(miss);
    }
    if (always_[fi]) count_step();
    else checked_step();
    // Arguments, then every other register at its type's zero (the
    // interpreter zeroes those a path reads before writing; the others are
    // always written first, so zeroing them too changes nothing).
    for (uint32_t r = 0; r < f.regs.size(); ++r) {
      if (r < f.num_params) {
        llvm::Value* p = b_.CreateGEP(value_, args, i64c(r));
        set_from(r, p);
        continue;
      }
      const TypeKind k = m_.types.kind(f.regs[r]);
      set(r, i64c(0), i64c(k == TypeKind::Optional ? kAbsent : k == TypeKind::Ratio ? 1 : 0));
    }
    std::vector<llvm::BasicBlock*> at(f.code.size());
    for (auto& bb : at) bb = block("inst");
    b_.CreateBr(at[0]);
    entry_block_ = b_.GetInsertBlock();
    param_reads_.clear();

    for (uint32_t i = 0; i < f.code.size(); ++i) {
      const ir::Inst& in = f.code[i];
      b_.SetInsertPoint(at[i]);
      // A jump to an instruction at or before this one is a round of a loop.
      auto go = [&](uint32_t target) {
        if (target <= i) checked_step();
        b_.CreateBr(at[target]);
      };
      switch (in.op) {
        case Op::Const: {
          const Value v = m_.constants[in.a];
          // A text (present or optional) is an address in this process: read it.
          if (m_.types.kind(m_.types.unwrap(m_.constant_types[in.a])) == TypeKind::Text)
            set_from_invariant(in.dst, b_.CreateGEP(value_, load_ctx(kConstants, ptr_), i64c(in.a)));  // an address
          else
            set(in.dst, i64c(v.a), i64c(v.b));
          break;
        }
        case Op::Mov: set(in.dst, A(in.a), B(in.a)); break;
        case Op::Param:
        case Op::ParamLastYear: {
          const ParamRead& read = param_read(in.op == Op::ParamLastYear, in.a);
          fail_unless(b_.CreateICmpNE(read.found, i64c(0)), [&] {
            fail_with(Failure::ParamMissing, in.loc, i64c(in.a), i64c(in.op == Op::Param ? 0 : 1));
          });
          set(in.dst, read.a, read.b);
          break;
        }
        case Op::ParamAt:
          check_status(b_.CreateCall(helper("doudi_jit_param_at"),
                                     {ctx_arg_, i64c(in.loc), i64c(in.a), A(in.b), i64c(in.c), scratch_value_}));
          set_from(in.dst, scratch_value_);
          break;
        case Op::Input: {
          set_from_invariant(in.dst, record_field(kRoot));
          break;
        }
        case Op::DecisionMonth: set_int(in.dst, load_ctx(kMonth, i64_)); break;
        case Op::Iteration: break;  // only a trace keeps anything
        case Op::InJurisdiction: {
          llvm::Value* within = load_invariant(i8_, b_.CreateGEP(i8_, load_ctx(kWithin, ptr_), i64c(in.a)));
          set_int(in.dst, b_.CreateZExt(within, i64_));
          break;
        }
        case Op::Field: {
          // Read where in.a was written (plan_field_reads).
          const FieldRead& read = field_read(in.a, in.b);
          set(in.dst, b_.CreateLoad(i64_, read.a), b_.CreateLoad(i64_, read.b));
          break;
        }
        case Op::ListLen: set_int(in.dst, B(in.a)); break;
        case Op::ListGet: {
          llvm::Value *index = A(in.b), *length = B(in.a);
          // Lowering reads only below the length; a crafted bundle need not.
          fail_unless(b_.CreateAnd(b_.CreateICmpSGE(index, i64c(0)), b_.CreateICmpSLT(index, length)),
                      [&] { fail_with(Failure::IndexOutside, in.loc, index, length); });
          const TypeId elem = m_.types.get(f.regs[in.a]).elem;
          const uint32_t width = record::slot_words(m_.types, elem);
          set_from_words(in.dst, b_.CreateAdd(A(in.a), b_.CreateMul(index, i64c(width))), width == 2);
          break;
        }
        case Op::Call: {
          if (member_tables_.of[in.a] >= 0) member_memo_call(in, call_args[i], call_result[i]);
          else call_function(in, call_args[i], call_result[i]);
          set_from(in.dst, call_result[i]);
          break;
        }
        case Op::AddI: set_int(in.dst, checked(llvm::Intrinsic::sadd_with_overflow, A(in.a), A(in.b), in.loc)); break;
        case Op::SubI: set_int(in.dst, checked(llvm::Intrinsic::ssub_with_overflow, A(in.a), A(in.b), in.loc)); break;
        case Op::MulI: set_int(in.dst, checked(llvm::Intrinsic::smul_with_overflow, A(in.a), A(in.b), in.loc)); break;
        case Op::NegI: set_int(in.dst, checked(llvm::Intrinsic::ssub_with_overflow, i64c(0), A(in.a), in.loc)); break;
        case Op::AddR: ratio_op(in, kRatioAdd); break;
        case Op::SubR: ratio_op(in, kRatioSub); break;
        case Op::MulR: ratio_op(in, kRatioMul); break;
        case Op::DivR: call_ratio_helper(in, kRatioDiv); break;
        case Op::DivToRatio: call_ratio_helper(in, kRatioMake); break;
        case Op::NegR:
          // The interpreter negates the numerator and keeps the word b as it is.
          set(in.dst, checked(llvm::Intrinsic::ssub_with_overflow, i64c(0), A(in.a), in.loc), B(in.a));
          break;
        case Op::ToRatio: set(in.dst, A(in.a), i64c(1)); break;
        case Op::MulMoneyRatio: scale(in, kScaleMulRatio); break;
        case Op::DivMoneyInt: scale(in, kScaleDivInt); break;
        case Op::DivMoneyRatio: scale(in, kScaleDivRatio); break;
        case Op::AddDateMonths:
          check_status(b_.CreateCall(helper("doudi_jit_add_months"),
                                     {ctx_arg_, i64c(in.loc), A(in.a), A(in.b), scratch_int_}));
          set_int(in.dst, b_.CreateLoad(i64_, scratch_int_));
          break;
        case Op::FirstDay:
          check_status(b_.CreateCall(helper("doudi_jit_first_day"), {ctx_arg_, i64c(in.loc), A(in.a), scratch_int_}));
          set_int(in.dst, b_.CreateLoad(i64_, scratch_int_));
          break;
        case Op::LtI: set_bool(in.dst, b_.CreateICmpSLT(A(in.a), A(in.b))); break;
        case Op::LeI: set_bool(in.dst, b_.CreateICmpSLE(A(in.a), A(in.b))); break;
        case Op::LtR: set_bool(in.dst, b_.CreateICmpSLT(ratio_compare(in.a, in.b), i32c(0))); break;
        case Op::LeR: set_bool(in.dst, b_.CreateICmpSLE(ratio_compare(in.a, in.b), i32c(0))); break;
        case Op::Eq:
          set_bool(in.dst, b_.CreateAnd(b_.CreateICmpEQ(A(in.a), A(in.b)), b_.CreateICmpEQ(B(in.a), B(in.b))));
          break;
        case Op::EqText: {
          llvm::Value* eq = b_.CreateCall(helper("doudi_jit_text_equal"), {A(in.a), B(in.a), A(in.b), B(in.b)});
          set_int(in.dst, b_.CreateZExt(eq, i64_));
          break;
        }
        case Op::Not: set_bool(in.dst, b_.CreateICmpEQ(A(in.a), i64c(0))); break;
        case Op::IsPresent: set_bool(in.dst, b_.CreateICmpNE(B(in.a), i64c(kAbsent))); break;
        case Op::MinI:
        case Op::MaxI:
        case Op::MinR:
        case Op::MaxR: {
          // The interpreter keeps a on a tie: min takes a when a ≤ b, max when a ≥ b.
          llvm::Value* take_a;
          if (in.op == Op::MinI) take_a = b_.CreateICmpSLE(A(in.a), A(in.b));
          else if (in.op == Op::MaxI) take_a = b_.CreateICmpSGE(A(in.a), A(in.b));
          else if (in.op == Op::MinR) take_a = b_.CreateICmpSLE(ratio_compare(in.a, in.b), i32c(0));
          else take_a = b_.CreateICmpSGE(ratio_compare(in.a, in.b), i32c(0));
          llvm::Value *xa = A(in.a), *xb = B(in.a), *ya = A(in.b), *yb = B(in.b);
          set(in.dst, b_.CreateSelect(take_a, xa, ya), b_.CreateSelect(take_a, xb, yb));
          break;
        }
        case Op::Jump: go(in.a); continue;
        case Op::Branch: {
          auto* yes = block("then");
          auto* no = block("else");
          b_.CreateCondBr(b_.CreateICmpNE(A(in.a), i64c(0)), yes, no);
          b_.SetInsertPoint(yes);
          go(in.b);
          b_.SetInsertPoint(no);
          go(in.c);
          continue;
        }
        case Op::Ret: {
          llvm::Value *xa = A(in.a), *xb = B(in.a);
          if (f.memoizable()) {
            memo_access(b_.CreateStore(llvm::ConstantInt::get(i8_, 1), memo_valid_at(memo_arg_, fi)), memo_valid_tag_);
            llvm::Value* memo = memo_value_at(memo_arg_, fi);
            memo_access(b_.CreateStore(xa, b_.CreateStructGEP(value_, memo, 0)), memo_value_tag_);
            memo_access(b_.CreateStore(xb, b_.CreateStructGEP(value_, memo, 1)), memo_value_tag_);
          }
          store_value(result, xa, xb);
          ret(0);
          continue;
        }
        case Op::Conflict:
          b_.CreateCall(helper("doudi_jit_conflict"), {ctx_arg_, i64c(in.loc), i64c(in.a), A(in.b), A(in.c), B(in.c),
                                                       A(in.dst), B(in.dst), i64c(in.d)});
          ret(1);
          continue;
        case Op::Gap:
          fail_with(Failure::Gap, in.loc, i64c(in.a), i64c(0));
          ret(1);
          continue;
        case Op::EmptyAggregate:
          fail_with(Failure::EmptyAggregate, in.loc, i64c(in.a), i64c(0));
          ret(1);
          continue;
      }
      // Instructions that continue (a verified function's last one ends).
      b_.CreateBr(at[i + 1]);
    }
  }

  // The call `in` names, its arguments stored at `args`, its result left at
  // `result`; a failure returns from this function with the callee's status.
  void call_function(const ir::Inst& in, llvm::Value* args, llvm::Value* result) {
    for (uint32_t k = 0; k < in.c; ++k) store_value(b_.CreateGEP(value_, args, i64c(k)), A(in.b + k), B(in.b + k));
    // The callee counts on this function's local budget.
    check_status(b_.CreateCall(fns_[in.a], {ctx_arg_, record_arg_, args, result, steps_, memo_arg_, tables_arg_}));
  }

  // A call of a member rule with a table (member_memo.h): the entry its
  // structure hashes to holds the value and the steps of an earlier call
  // with the same structure, taken and counted again; else the rule is
  // called and, if it succeeds, the entry filled; either way the value is
  // left at `result`. The budget is looked at where it always is (the code
  // goes on at most its own length past it).
  void member_memo_call(const ir::Inst& in, llvm::Value* args, llvm::Value* result) {
    llvm::Value* key = A(in.b);
    // Fibonacci hashing: a list's structures lie a fixed stride apart, and
    // the top bits of key × 2^64/φ spread any stride over the entries.
    static_assert(kMemberMemoEntries == 8 && kMemberMemoEntryBytes == 32);
    llvm::Value* index = b_.CreateLShr(b_.CreateMul(key, i64c(static_cast<int64_t>(0x9E3779B97F4A7C15ull))), i64c(61));
    llvm::Value* entry = b_.CreateGEP(
        i8_, tables_arg_,
        b_.CreateAdd(i64c(static_cast<int64_t>(member_tables_.of[in.a] * kMemberMemoTableBytes)),
                     b_.CreateShl(index, i64c(5))));
    auto word = [&](int k) { return b_.CreateGEP(i64_, entry, i64c(k)); };
    llvm::Value* tag = b_.CreateAdd(key, i64c(1));
    auto* hit = block("member.hit");
    auto* miss = block("member.miss");
    auto* done = block("member.done");
    // An empty entry holds 0, the tag of no structure a record can hold
    // (word −1): a crafted one that does is never found, only evaluated.
    b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpEQ(b_.CreateLoad(i64_, word(0)), tag), b_.CreateICmpNE(tag, i64c(0))),
                    hit, miss);
    b_.SetInsertPoint(hit);
    store_value(result, b_.CreateLoad(i64_, word(1)), b_.CreateLoad(i64_, word(2)));
    b_.CreateStore(b_.CreateSub(b_.CreateLoad(i64_, steps_), b_.CreateLoad(i64_, word(3))), steps_);
    b_.CreateBr(done);
    b_.SetInsertPoint(miss);
    llvm::Value* before = b_.CreateLoad(i64_, steps_);
    call_function(in, args, result);
    b_.CreateStore(tag, word(0));
    b_.CreateStore(b_.CreateLoad(i64_, b_.CreateStructGEP(value_, result, 0)), word(1));
    b_.CreateStore(b_.CreateLoad(i64_, b_.CreateStructGEP(value_, result, 1)), word(2));
    b_.CreateStore(b_.CreateSub(before, b_.CreateLoad(i64_, steps_)), word(3));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }

  // decide_one: the record's memo started afresh in its own frame, the
  // budget from the context into a local, every output's function, then
  // every flag's, and the budget back (on failure too: the engine reads it
  // after every decision, Context::steps_left). Inlined into the one
  // external function, kDecideRunSymbol (jit_abi.h), where the context's
  // loads (parameters, constants) leave the loop over households. One
  // household is a run of one: a second copy of the rules' code, for one
  // household alone, would make the code twice as large, and the processor's
  // instruction cache holds one copy of Huining's, not two.
  llvm::Function* lower_decide() {
    // (context, record, outputs, raised): the run's own arguments for one household.
    auto* type = llvm::FunctionType::get(i32_, {ptr_, ptr_, ptr_, ptr_}, false);
    auto* one = llvm::Function::Create(type, llvm::Function::InternalLinkage, "doudi_decide_one", mod_);
    one->addFnAttr(llvm::Attribute::AlwaysInline);
    mark_context(one);
    mark_record(one, 1);
    one->addParamAttr(2, llvm::Attribute::NoAlias);
    one->addParamAttr(3, llvm::Attribute::NoAlias);
    fn_ = one;
    b_.SetInsertPoint(block("entry"));
    llvm::Value* ctx = one->getArg(0);
    llvm::Value* field = b_.CreateStructGEP(ctx_, ctx, kStepsLeft);
    llvm::Value* steps = b_.CreateAlloca(i64_);
    llvm::Value* flag = b_.CreateAlloca(value_);
    auto* memo = b_.CreateAlloca(llvm::ArrayType::get(i8_, std::max<uint64_t>(memo_bytes(), 1)));
    memo->setAlignment(llvm::Align(alignof(Value)));
    b_.CreateStore(b_.CreateLoad(i64_, field), steps);
    for (uint32_t f = 0; f < m_.functions.size(); ++f)
      if (m_.functions[f].memoizable())
        memo_access(b_.CreateStore(llvm::ConstantInt::get(i8_, 0), memo_valid_at(memo, f)), memo_valid_tag_);
    // The member rules' tables (member_memo.h), an allocation of their own:
    // they are read at an index worked out at run time, which would keep
    // SROA from turning the memo's fixed places into registers. Every
    // entry empty: its first word (not a memset, which would be a call the
    // JIT has no symbol for).
    const uint64_t count = member_tables_.count;
    auto* tables = b_.CreateAlloca(llvm::ArrayType::get(i8_, std::max<uint64_t>(count * kMemberMemoTableBytes, 1)));
    tables->setAlignment(llvm::Align(alignof(Value)));
    for (uint64_t e = 0; e < count * kMemberMemoEntries; ++e)
      b_.CreateStore(i64c(0), b_.CreateGEP(i8_, tables, i64c(static_cast<int64_t>(e * kMemberMemoEntryBytes))));
    llvm::Value* no_args = llvm::ConstantPointerNull::get(ptr_);
    // Calls `function` with its result at `result`; on failure returns its status.
    auto call = [&](uint32_t function, llvm::Value* result) {
      llvm::Value* status = b_.CreateCall(fns_[function], {ctx, one->getArg(1), no_args, result, steps, memo, tables});
      auto* failed = block("failed");
      auto* ok = block("ok");
      b_.CreateCondBr(b_.CreateICmpNE(status, i32c(0)), failed, ok, weights_unlikely_);
      b_.SetInsertPoint(failed);
      b_.CreateStore(b_.CreateLoad(i64_, steps), field);
      b_.CreateRet(status);
      b_.SetInsertPoint(ok);
    };
    for (size_t k = 0; k < m_.outputs.size(); ++k)
      call(m_.outputs[k].function, b_.CreateGEP(value_, one->getArg(2), i64c(static_cast<int64_t>(k))));
    for (size_t i = 0; i < m_.flags.size(); ++i) {
      call(m_.flags[i].function, flag);
      llvm::Value* raised = b_.CreateICmpNE(b_.CreateLoad(i64_, b_.CreateStructGEP(value_, flag, 0)), i64c(0));
      b_.CreateStore(b_.CreateZExt(raised, i8_), b_.CreateGEP(i8_, one->getArg(3), i64c(static_cast<int64_t>(i))));
    }
    b_.CreateStore(b_.CreateLoad(i64_, steps), field);
    b_.CreateRet(i32c(0));
    return one;
  }

  // kDecideRunSymbol (jit_abi.h): decide_one on each record in turn until
  // one needs the engine (too short to read without padding, an error
  // result, its budget spent); returns how many were decided.
  void lower_decide_run(llvm::Function* one) {
    auto* type = llvm::FunctionType::get(i64_, {ptr_, ptr_, i64_, ptr_, ptr_, i64_, i64_}, false);
    auto* run = llvm::Function::Create(type, llvm::Function::ExternalLinkage, kDecideRunSymbol, mod_);
    mark_context(run);
    for (unsigned arg : {1u, 3u, 4u}) run->addParamAttr(arg, llvm::Attribute::NoAlias);
    fn_ = run;
    llvm::Value *ctx = run->getArg(0), *records = run->getArg(1), *count = run->getArg(2), *least = run->getArg(5),
                *budget = run->getArg(6);
    auto* entry = block("entry");
    auto* head = block("household");
    auto* check = block("readable");
    auto* decide = block("decide");
    auto* next = block("next");
    auto* stop = block("stop");
    b_.SetInsertPoint(entry);
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    llvm::PHINode* i = b_.CreatePHI(i64_, 2);
    i->addIncoming(i64c(0), entry);
    b_.CreateCondBr(b_.CreateICmpSLT(i, count), check, stop, weights_likely_);
    b_.SetInsertPoint(check);
    llvm::Value* record = b_.CreateGEP(record_, records, i);
    llvm::Value* size = b_.CreateLoad(i64_, b_.CreateStructGEP(record_, record, kReadable));
    b_.CreateCondBr(b_.CreateICmpSLT(size, least), stop, decide, weights_unlikely_);
    b_.SetInsertPoint(decide);
    llvm::Value* steps = b_.CreateStructGEP(ctx_, ctx, kStepsLeft);
    b_.CreateStore(budget, steps);
    llvm::Value* outputs =
        b_.CreateGEP(value_, run->getArg(3), b_.CreateMul(i, i64c(static_cast<int64_t>(m_.outputs.size()))));
    llvm::Value* raised = b_.CreateGEP(i8_, run->getArg(4), b_.CreateMul(i, i64c(static_cast<int64_t>(m_.flags.size()))));
    llvm::Value* status = b_.CreateCall(one, {ctx, record, outputs, raised});
    llvm::Value* failed = b_.CreateOr(b_.CreateICmpNE(status, i32c(0)),
                                      b_.CreateICmpSLE(b_.CreateLoad(i64_, steps), i64c(0)));
    b_.CreateCondBr(failed, stop, next, weights_unlikely_);
    b_.SetInsertPoint(next);
    llvm::Value* after = b_.CreateAdd(i, i64c(1));
    i->addIncoming(after, next);
    b_.CreateBr(head);
    b_.SetInsertPoint(stop);
    b_.CreateRet(i);
  }

  const ir::Module& m_;
  std::vector<bool> always_;  // per function: always inlined (always_inlined)
  MemberTables member_tables_;  // per function its member table, or -1 (member_memo_tables)
  llvm::Module& mod_;
  llvm::LLVMContext& c_;
  llvm::IRBuilder<> b_;
  llvm::Type *i64_, *i32_, *i8_;
  llvm::PointerType* ptr_;
  llvm::StructType *value_, *slot_, *ctx_, *record_;
  llvm::FunctionType* inner_type_;
  llvm::MDNode* invariant_ = nullptr;
  llvm::MDNode *memo_valid_tag_ = nullptr, *memo_value_tag_ = nullptr;
  std::map<std::string, llvm::Function*> helpers_;
  std::vector<llvm::Function*> fns_;
  llvm::MDNode* weights_likely_ = nullptr;
  llvm::MDNode* weights_unlikely_ = nullptr;

  llvm::Function* fn_ = nullptr;
  llvm::Value* ctx_arg_ = nullptr;
  llvm::Value* record_arg_ = nullptr;
  llvm::Value* steps_arg_ = nullptr;
  llvm::Value* memo_arg_ = nullptr;
  llvm::Value* tables_arg_ = nullptr;  // the member rules' tables (member_memo_call)
  llvm::Value* steps_ = nullptr;
  llvm::BasicBlock* entry_block_ = nullptr;  // the block before the first instruction's
  std::map<std::pair<bool, uint32_t>, ParamRead> param_reads_;
  llvm::BasicBlock* failed_ = nullptr;
  llvm::Value* scratch_value_ = nullptr;
  llvm::Value* scratch_int_ = nullptr;
  std::vector<llvm::Value*> ra_, rb_;
  std::vector<StructReads> field_reads_;  // per register (plan_field_reads)

 public:
  void set_weights(llvm::MDNode* likely, llvm::MDNode* unlikely) {
    weights_likely_ = likely;
    weights_unlikely_ = unlikely;
  }
};

}  // namespace

bool lower_module(const ir::Module& m, const HelperAddress* helpers, size_t helper_count, llvm::Module& out,
                  std::string& error) {
  Lowering lowering(m, helpers, helper_count, out);
  llvm::MDBuilder md(out.getContext());
  lowering.set_weights(md.createBranchWeights(2000, 1), md.createBranchWeights(1, 2000));
  lowering.lower_all();
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(out, &os)) {
    error = "the lowered module is not valid LLVM IR: " + os.str();
    return false;
  }
  return true;
}

}  // namespace doudi::jit
