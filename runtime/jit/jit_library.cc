// libdoudi_jit.so's entry points (jit_abi.h): emit an object file for a
// module (lowered, optimised at O2, compiled for this machine's CPU), and
// load an object file into an ORC LLJIT with the helpers defined as absolute
// symbols. The runtime keeps object files in its cache by bundle digest, so
// a bundle is lowered and compiled once; loading one takes milliseconds.
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/SmallVectorMemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "runtime/ir/ir.h"
#include "runtime/jit/jit_abi.h"
#include "runtime/jit/lower.h"

namespace doudi::jit {
namespace {

// How far SimplifyCFG may go turning a branch into straight-line code: the
// rules' conditions on a member's fields (`残疾类别 = 肢体 且 残疾等级 ∈ {1,
// 2}`, a short-circuit `且` or `或` at each step) are, once lowered and
// inlined, small diamonds of compares on values already in registers
// (lower.cc reads a structure's fields where the register is written), and
// on a caseload's households they go either way about as often. LLVM's
// defaults (4 and 1) leave most as branches; at 12 and 4 they become
// selects and ands (Huining, callgrind's model: 25.3 → 21.1 mispredicted
// branches per household, 16 % more instructions, against neither this nor
// the fields read early; the figures level off at 12). These are LLVM's
// own options, set once in the process that loads this library: they tune
// how branches are folded, never what the code computes. They change the
// code emitted, so they are part of the lowering's version (kAbiVersion);
// an LLVM without one of them is left as it is.
void tune_simplifycfg() {
  auto& options = llvm::cl::getRegisteredOptions();
  for (const auto& [name, value] : {std::pair{"two-entry-phi-node-folding-threshold", "12"},
                                    std::pair{"bonus-inst-threshold", "4"}})
    if (auto it = options.find(name); it != options.end()) it->second->addOccurrence(0, name, value);
}

void initialise_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    tune_simplifycfg();
  });
}

std::string message_of(llvm::Error e) { return llvm::toString(std::move(e)); }

class LoadedCode final : public CompiledCode {
 public:
  std::unique_ptr<llvm::orc::LLJIT> jit;
};

// The host's target machine, tuned for this CPU (the object file is cached
// under an identity naming the CPU and its features).
llvm::Expected<llvm::orc::JITTargetMachineBuilder> host_machine() {
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return jtmb.takeError();
  jtmb->setCodeGenOptLevel(llvm::CodeGenOpt::Default);
  return jtmb;
}

void optimise(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&machine);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  mpm.run(module, mam);
}

}  // namespace
}  // namespace doudi::jit

using namespace doudi;
using namespace doudi::jit;

extern "C" __attribute__((visibility("default"))) int doudi_jit_abi() { return kAbiVersion; }

// What an object file depends on besides the module: the LLVM version, the
// CPU and its features, and the lowering's own version (bump it whenever
// lower.cc, the LLVM options set here or the ABI change what it emits).
extern "C" __attribute__((visibility("default"))) bool doudi_jit_identity(std::string* identity, std::string* error) {
  try {
    initialise_llvm();
    auto jtmb = host_machine();
    if (!jtmb) {
      *error = message_of(jtmb.takeError());
      return false;
    }
    *identity = "doudi-jit/" + std::to_string(kAbiVersion) + " llvm-" LLVM_VERSION_STRING " " +
                jtmb->getTargetTriple().str() + " " + jtmb->getCPU() +
                " " + jtmb->getFeatures().getString();
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

extern "C" __attribute__((visibility("default"))) bool doudi_jit_emit(const ir::Module& module, const HelperAddress* helpers, size_t helper_count,
                               std::string* object, std::string* error) {
  try {
    initialise_llvm();
    auto jtmb = host_machine();
    if (!jtmb) {
      *error = message_of(jtmb.takeError());
      return false;
    }
    auto machine = jtmb->createTargetMachine();
    if (!machine) {
      *error = message_of(machine.takeError());
      return false;
    }
    llvm::LLVMContext context;
    llvm::Module lowered("doudi", context);
    lowered.setDataLayout((*machine)->createDataLayout());
    lowered.setTargetTriple((*machine)->getTargetTriple().str());
    if (!lower_module(module, helpers, helper_count, lowered, *error)) return false;
    optimise(lowered, **machine);
    // For whoever works on the lowering: the optimised LLVM IR, as text.
    if (const char* dump = std::getenv("DOUDI_JIT_DUMP"); dump && *dump) {
      std::error_code ec;
      llvm::raw_fd_ostream out(dump, ec);
      if (!ec) lowered.print(out, nullptr);
    }
    llvm::SmallVector<char, 0> bytes;
    llvm::raw_svector_ostream os(bytes);
    llvm::legacy::PassManager emit;
    if ((*machine)->addPassesToEmitFile(emit, os, nullptr, llvm::CGFT_ObjectFile)) {
      *error = "LLVM cannot emit an object file for this machine";
      return false;
    }
    emit.run(lowered);
    object->assign(bytes.data(), bytes.size());
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

extern "C" __attribute__((visibility("default"))) CompiledCode* doudi_jit_load(const char* object, size_t size,
                                        const HelperAddress* helpers, size_t helper_count, std::string* error) {
  try {
    initialise_llvm();
    auto jtmb = host_machine();
    if (!jtmb) {
      *error = message_of(jtmb.takeError());
      return nullptr;
    }
    auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
    if (!jit) {
      *error = message_of(jit.takeError());
      return nullptr;
    }
    llvm::orc::SymbolMap symbols;
    for (size_t i = 0; i < helper_count; ++i)
      symbols[(*jit)->mangleAndIntern(helpers[i].name)] = llvm::JITEvaluatedSymbol(
          llvm::pointerToJITTargetAddress(helpers[i].address), llvm::JITSymbolFlags::Exported);
    if (auto e = (*jit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
      *error = message_of(std::move(e));
      return nullptr;
    }
    auto buffer = llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(object, size), "doudi-rules.o");
    if (auto e = (*jit)->addObjectFile(std::move(buffer))) {
      *error = message_of(std::move(e));
      return nullptr;
    }
    auto code = std::make_unique<LoadedCode>();
    auto run = (*jit)->lookup(kDecideRunSymbol);
    if (!run) {
      *error = message_of(run.takeError());
      return nullptr;
    }
    code->decide_run = run->toPtr<DecideRun>();
    code->jit = std::move(*jit);
    return code.release();
  } catch (const std::exception& e) {
    *error = e.what();
    return nullptr;
  }
}
