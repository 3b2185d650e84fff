// emitObject(irText, sections, opts?): LLVM IR text -> BPF ELF relocatable object.
//
// llvm-bindings (used by src/codegen) builds the IR but cannot set sections, attributes
// or run passes and codegen, so this file owns those steps:
//   parse (with the BPF data layout) -> verify -> sections, nounwind, inlining, license
//   -> check -> O2 (or O0) pipeline -> check again -> object file into a Buffer.
// The rule here: LLVM must never see input that makes it abort or crash, since that
// kills Node. So the module is verified first, CheckLowerable rejects every construct
// measured to abort (or crash) the LLVM 14 BPF backend and those the loader could not
// bind (global data, calls other than helpers), and errors the backend reports are
// collected through the context's diagnostic handler instead of LLVM's default one
// (which exit()s). A fatal-error handler that throws or longjmps would not be safe:
// LLVM is built without exceptions and would be left in a broken state.
#include <llvm/ADT/SmallVector.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/OptimizationLevel.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "errors.h"
#include "llvm_init.h"
#include "modules.h"

namespace nettrace {
namespace {

// A reason to refuse the IR; becomes an INVALID_IR error at the N-API boundary.
struct IrError {
  std::string message;
};

struct EmitOptions {
  int optLevel = 2;
  // v3 = v2's extra conditional jumps plus 32-bit jumps and ALU32 subregisters; every
  // kernel this project targets (6.x) accepts it, and it gives shorter programs.
  std::string cpu = "v3";
};

// Collects error-severity diagnostics. Installing any handler is what keeps LLVM's
// default behaviour (print and exit(1) on a DS_Error) out of our process.
struct DiagnosticSink {
  std::vector<std::string> errors;

  static void Handle(const llvm::DiagnosticInfo& info, void* context) {
    if (info.getSeverity() != llvm::DS_Error) return;
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::DiagnosticPrinterRawOStream printer(os);
    info.print(printer);
    os.flush();
    static_cast<DiagnosticSink*>(context)->errors.push_back(text);
  }
};

// The BPF data layout is imposed while parsing, not after: the parser fills in the
// alignment of every load, store and alloca written without `align` from the layout in
// force at that moment, and the default layout's 4-byte i64 would make the backend split
// each 64-bit access in two.
std::unique_ptr<llvm::Module> Parse(llvm::LLVMContext& context, const std::string& ir,
                                    const llvm::DataLayout& layout) {
  llvm::SMDiagnostic diagnostic;
  const std::string layoutText = layout.getStringRepresentation();
  std::unique_ptr<llvm::Module> module = llvm::parseAssembly(
      llvm::MemoryBufferRef(ir, "ir"), diagnostic, context, nullptr,
      [&](llvm::StringRef) -> llvm::Optional<std::string> { return layoutText; });
  if (!module) {
    std::string text;
    llvm::raw_string_ostream os(text);
    diagnostic.print(nullptr, os, /*ShowColors=*/false);
    throw IrError{"invalid LLVM IR: " + os.str()};
  }
  return module;
}

void Verify(const llvm::Module& module, const char* when) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (llvm::verifyModule(module, &os)) {
    throw IrError{std::string("LLVM IR does not verify") + when + ": " + os.str()};
  }
}

// Program functions become global symbols in their ELF sections (that is how libbpf
// finds programs). Every other defined function is made internal and always-inline:
// after O2 nothing but the programs is left, so no bpf-to-bpf call needs linking.
void PrepareFunctions(llvm::Module& module, const std::map<std::string, std::string>& sections) {
  for (const auto& [name, section] : sections) {
    llvm::Function* fn = module.getFunction(name);
    if (fn == nullptr || fn->isDeclaration()) {
      throw IrError{"no function @" + name + " is defined in the IR (it was given a section)"};
    }
    fn->setSection(section);
    fn->setLinkage(llvm::GlobalValue::ExternalLinkage);
    fn->setVisibility(llvm::GlobalValue::DefaultVisibility);
  }
  for (llvm::Function& fn : module) {
    if (fn.isDeclaration()) continue;
    fn.addFnAttr(llvm::Attribute::NoUnwind);
    if (sections.count(fn.getName().str()) != 0) continue;
    fn.setLinkage(llvm::GlobalValue::InternalLinkage);
    if (!fn.hasFnAttribute(llvm::Attribute::NoInline) &&
        !fn.hasFnAttribute(llvm::Attribute::OptimizeNone)) {
      fn.addFnAttr(llvm::Attribute::AlwaysInline);
    }
  }
}

// `char _license[] SEC("license") = "GPL"`: the loader passes "GPL" to the kernel
// itself; the section keeps the object self-describing for bpftool / llvm-objdump.
void AddLicense(llvm::Module& module) {
  if (module.getNamedGlobal("_license") != nullptr) return;
  llvm::Constant* text = llvm::ConstantDataArray::getString(module.getContext(), "GPL", true);
  auto* license = new llvm::GlobalVariable(module, text->getType(), /*isConstant=*/false,
                                           llvm::GlobalValue::ExternalLinkage, text, "_license");
  license->setSection("license");
  license->setAlignment(llvm::Align(1));
}

std::unique_ptr<llvm::TargetMachine> CreateTargetMachine(const EmitOptions& options) {
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(kBpfTriple, error);
  if (target == nullptr) throw IrError{"BPF target unavailable in this LLVM: " + error};
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      kBpfTriple, options.cpu, "", targetOptions, llvm::None, llvm::None,
      options.optLevel == 0 ? llvm::CodeGenOpt::None : llvm::CodeGenOpt::Default));
  if (!machine) throw IrError{"cannot create a BPF target machine for cpu " + options.cpu};
  return machine;
}

// BPF has no C library: with every libcall marked unavailable, passes such as
// LoopIdiomRecognize do not turn loops into memset/memcpy calls the backend rejects.
llvm::TargetLibraryInfoImpl NoLibcalls(const llvm::Module& module) {
  llvm::TargetLibraryInfoImpl info{llvm::Triple(module.getTargetTriple())};
  info.disableAllFunctions();
  return info;
}

void Optimize(llvm::Module& module, llvm::TargetMachine& machine, int optLevel) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::TargetLibraryInfoImpl libcalls = NoLibcalls(module);
  // Registered before the PassBuilder's defaults, so ours is the one used.
  functions.registerPass([&] { return llvm::TargetLibraryAnalysis(libcalls); });

  llvm::PassBuilder builder(&machine);
  machine.registerPassBuilderCallbacks(builder);  // the BPF backend's own IR passes
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);

  llvm::ModulePassManager pipeline =
      optLevel == 0 ? builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
                    : builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  pipeline.run(module, modules);
}

// Finds a global variable used by a value, looking through constant expressions.
const llvm::GlobalVariable* ReferencedGlobal(const llvm::Value* value, int depth = 0) {
  if (auto* global = llvm::dyn_cast<llvm::GlobalVariable>(value)) return global;
  if (depth > 8) return nullptr;
  if (auto* constant = llvm::dyn_cast<llvm::ConstantExpr>(value)) {
    for (const llvm::Use& operand : constant->operands()) {
      if (auto* found = ReferencedGlobal(operand.get(), depth + 1)) return found;
    }
  }
  return nullptr;
}

// Intrinsics the LLVM 14 BPF backend lowers (measured with llc-14, -mcpu v1..v3). Others
// either become unsupported libcalls or crash instruction selection outright (ctpop,
// ctlz, cttz, frameaddress and returnaddress segfault it), so only these pass.
bool IsLowerableIntrinsic(llvm::Intrinsic::ID id, llvm::StringRef name) {
  if (name.startswith("llvm.bpf.") || name.startswith("llvm.dbg.")) return true;
  switch (id) {
    case llvm::Intrinsic::memcpy:
    case llvm::Intrinsic::memcpy_inline:
    case llvm::Intrinsic::memmove:
    case llvm::Intrinsic::memset:
    case llvm::Intrinsic::lifetime_start:
    case llvm::Intrinsic::lifetime_end:
    case llvm::Intrinsic::assume:
    case llvm::Intrinsic::expect:
    case llvm::Intrinsic::donothing:
    case llvm::Intrinsic::experimental_noalias_scope_decl:
    case llvm::Intrinsic::bswap:
    case llvm::Intrinsic::bitreverse:
    case llvm::Intrinsic::fshl:
    case llvm::Intrinsic::fshr:
    case llvm::Intrinsic::umin:
    case llvm::Intrinsic::umax:
    case llvm::Intrinsic::smin:
    case llvm::Intrinsic::smax:
    case llvm::Intrinsic::abs:
    case llvm::Intrinsic::uadd_with_overflow:
    case llvm::Intrinsic::usub_with_overflow:
    case llvm::Intrinsic::sadd_with_overflow:
    case llvm::Intrinsic::ssub_with_overflow:
    case llvm::Intrinsic::uadd_sat:
    case llvm::Intrinsic::usub_sat:
    case llvm::Intrinsic::sadd_sat:
    case llvm::Intrinsic::ssub_sat:
      return true;
    default:
      return false;
  }
}

// A helper call: the callee is the constant `inttoptr (i64 ID to ...)`.
bool IsHelperCall(const llvm::CallBase& call) {
  auto* callee = llvm::dyn_cast<llvm::ConstantExpr>(call.getCalledOperand());
  return callee != nullptr && callee->getOpcode() == llvm::Instruction::IntToPtr &&
         llvm::isa<llvm::ConstantInt>(callee->getOperand(0));
}

// Scalar types BPF registers hold: integers up to 64 bits and pointers.
bool IsBpfValueType(const llvm::Type* type) {
  if (type->isFPOrFPVectorTy() || type->isVectorTy()) return false;
  if (type->isIntegerTy()) return type->getIntegerBitWidth() <= 64;
  return true;  // pointers, void, labels, and the aggregates of extractvalue / cmpxchg
}

// Atomics as LLVM 14 lowers them: 32/64-bit only; add/sub/and/or/xor/xchg; with a cpu
// older than v3 the 32-bit forms are limited to an add whose result is unused (XADD).
std::optional<std::string> AtomicProblem(const llvm::Instruction& inst, bool v3) {
  if (auto* rmw = llvm::dyn_cast<llvm::AtomicRMWInst>(&inst)) {
    unsigned bits = rmw->getType()->isIntegerTy() ? rmw->getType()->getIntegerBitWidth() : 0;
    if (bits != 32 && bits != 64) return "atomicrmw must be on i32 or i64";
    switch (rmw->getOperation()) {
      case llvm::AtomicRMWInst::Add:
      case llvm::AtomicRMWInst::Sub:
      case llvm::AtomicRMWInst::And:
      case llvm::AtomicRMWInst::Or:
      case llvm::AtomicRMWInst::Xor:
      case llvm::AtomicRMWInst::Xchg: break;
      default:
        return "atomicrmw " + llvm::AtomicRMWInst::getOperationName(rmw->getOperation()).str() +
               " is not supported (add, sub, and, or, xor, xchg are)";
    }
    if (!v3 && bits == 32 &&
        !(rmw->getOperation() == llvm::AtomicRMWInst::Add && rmw->use_empty())) {
      return "32-bit atomics other than an add whose result is unused need cpu v3";
    }
  }
  if (auto* cas = llvm::dyn_cast<llvm::AtomicCmpXchgInst>(&inst)) {
    unsigned bits = cas->getCompareOperand()->getType()->isIntegerTy()
                        ? cas->getCompareOperand()->getType()->getIntegerBitWidth()
                        : 0;
    if (bits != 32 && bits != 64) return "cmpxchg must be on i32 or i64";
    if (!v3 && bits == 32) return "32-bit cmpxchg needs cpu v3";
  }
  if (llvm::isa<llvm::FenceInst>(inst)) return "fence is not supported";
  if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&inst); load && load->isAtomic()) {
    return "atomic loads are not supported (use a plain load)";
  }
  if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&inst); store && store->isAtomic()) {
    return "atomic stores are not supported (use a plain store or atomicrmw xchg)";
  }
  return std::nullopt;
}

// `optimized` is false for the check before the pipeline: calls to functions of the
// module are still there (they get inlined) and allocas may yet be promoted.
std::optional<std::string> InstructionProblem(const llvm::Instruction& inst, bool v3,
                                              bool optimized) {
  if (auto* alloca = llvm::dyn_cast<llvm::AllocaInst>(&inst); alloca && optimized) {
    if (!alloca->isStaticAlloca()) {
      return "dynamic stack allocation: every alloca must have a constant size and sit in "
             "the entry block";
    }
  }
  switch (inst.getOpcode()) {
    case llvm::Instruction::SDiv:
    case llvm::Instruction::SRem:
      return "signed division / remainder is not supported by the BPF backend of LLVM 14 "
             "(use udiv / urem)";
    case llvm::Instruction::IndirectBr:
    case llvm::Instruction::Invoke:
    case llvm::Instruction::CallBr:
    case llvm::Instruction::Resume:
    case llvm::Instruction::LandingPad:
    case llvm::Instruction::CatchSwitch:
    case llvm::Instruction::CatchPad:
    case llvm::Instruction::CatchRet:
    case llvm::Instruction::CleanupPad:
    case llvm::Instruction::CleanupRet:
    case llvm::Instruction::VAArg:
      return std::string("the instruction '") + inst.getOpcodeName() + "' is not supported";
    default: break;
  }
  if (auto problem = AtomicProblem(inst, v3)) return problem;
  if (auto* call = llvm::dyn_cast<llvm::CallBase>(&inst)) {
    const llvm::Function* callee = call->getCalledFunction();
    if (callee != nullptr) {
      if (!optimized && !callee->isDeclaration()) return std::nullopt;
      if (!callee->isIntrinsic()) {
        return "call to @" + callee->getName().str() +
               ": BPF programs may call only helpers (inttoptr of the helper id) and "
               "functions that can be inlined";
      }
      if (!IsLowerableIntrinsic(callee->getIntrinsicID(), callee->getName())) {
        return "@" + callee->getName().str() + " is not supported by the BPF backend";
      }
    } else if (call->isInlineAsm()) {
      return "inline assembly is not supported";
    } else if (!IsHelperCall(*call)) {
      return "indirect call: only helper calls (inttoptr of a constant helper id) are allowed";
    }
  }
  if (!IsBpfValueType(inst.getType())) {
    return "values of type " + [&] {
      std::string text;
      llvm::raw_string_ostream os(text);
      inst.getType()->print(os);
      return os.str();
    }() + " are not supported (BPF has 64-bit integer registers only)";
  }
  for (const llvm::Use& operand : inst.operands()) {
    if (!IsBpfValueType(operand->getType())) {
      return "operands of floating-point, vector or wider-than-64-bit types are not supported";
    }
    if (const llvm::GlobalVariable* global = ReferencedGlobal(operand.get())) {
      return "global variable @" + global->getName().str() +
             " is used: data must live on the stack or in maps";
    }
  }
  return std::nullopt;
}

// Walks the IR for shapes that make the BPF backend of LLVM 14 abort or crash (which
// would kill Node) or that produce objects our loader cannot use (it binds maps by index
// and links nothing else). The list was established with llc-14 over each IR construct.
// It runs before the pipeline too, because some of LLVM's own passes crash on such IR
// (BPF's IR peephole pass on llvm.stacksave, for one), and again after it, on what the
// optimizer made of the code.
void CheckLowerable(const llvm::Module& module, const std::string& cpu, bool optimized) {
  const bool v3 = cpu == "v3";
  for (const llvm::Function& fn : module) {
    if (fn.isDeclaration()) continue;
    for (const llvm::BasicBlock& block : fn) {
      for (const llvm::Instruction& inst : block) {
        if (auto problem = InstructionProblem(inst, v3, optimized)) {
          std::string text;
          llvm::raw_string_ostream os(text);
          inst.print(os);
          throw IrError{"in function @" + fn.getName().str() + ": " + *problem + "\n  at:" +
                        os.str()};
        }
      }
    }
  }
}

llvm::SmallVector<char, 0> EmitObjectFile(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager passes;
  llvm::TargetLibraryInfoImpl libcalls = NoLibcalls(module);
  passes.add(new llvm::TargetLibraryInfoWrapperPass(libcalls));
  if (machine.addPassesToEmitFile(passes, os, nullptr, llvm::CGFT_ObjectFile)) {
    throw IrError{"the BPF target cannot emit object files"};
  }
  passes.run(module);
  return object;
}

llvm::SmallVector<char, 0> Compile(const std::string& ir,
                                   const std::map<std::string, std::string>& sections,
                                   const EmitOptions& options) {
  InitializeBpfTarget();
  llvm::LLVMContext context;
  DiagnosticSink diagnostics;
  context.setDiagnosticHandlerCallBack(DiagnosticSink::Handle, &diagnostics);
  auto failIfDiagnosed = [&] {
    if (diagnostics.errors.empty()) return;
    std::string message = "the BPF backend rejected the IR:";
    for (const std::string& error : diagnostics.errors) message += "\n  " + error;
    throw IrError{message};
  };

  std::unique_ptr<llvm::TargetMachine> machine = CreateTargetMachine(options);
  std::unique_ptr<llvm::Module> module = Parse(context, ir, machine->createDataLayout());
  Verify(*module, "");
  module->setTargetTriple(kBpfTriple);
  PrepareFunctions(*module, sections);
  AddLicense(*module);
  Verify(*module, " after preparing it for BPF");
  CheckLowerable(*module, options.cpu, /*optimized=*/false);

  Optimize(*module, *machine, options.optLevel);
  failIfDiagnosed();
  CheckLowerable(*module, options.cpu, /*optimized=*/true);
  llvm::SmallVector<char, 0> object = EmitObjectFile(*module, *machine);
  failIfDiagnosed();
  return object;
}

EmitOptions ReadOptions(const Napi::CallbackInfo& info) {
  EmitOptions options;
  Napi::Value value = args::At(info, 2);
  if (args::IsMissing(value)) return options;
  if (!value.IsObject()) Throw(info.Env(), Code::Other, "opts must be an object");
  Napi::Object object = value.As<Napi::Object>();
  if (auto level = args::OptionalInt(object, "optLevel", 0, 2)) {
    if (*level != 0 && *level != 2) Throw(info.Env(), Code::Other, "optLevel must be 0 or 2");
    options.optLevel = static_cast<int>(*level);
  }
  if (auto cpu = args::OptionalString(object, "cpu")) {
    if (*cpu != "generic" && *cpu != "v1" && *cpu != "v2" && *cpu != "v3") {
      Throw(info.Env(), Code::Other, "cpu must be one of generic, v1, v2, v3");
    }
    options.cpu = *cpu;
  }
  return options;
}

Napi::Value EmitObject(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ir = args::String(info, 0, "irText");
  Napi::Object sectionsObject = args::Object(info, 1, "sections");
  std::map<std::string, std::string> sections;
  Napi::Array names = sectionsObject.GetPropertyNames();
  for (uint32_t i = 0; i < names.Length(); i++) {
    std::string name = names.Get(i).ToString().Utf8Value();
    Napi::Value section = sectionsObject.Get(name);
    if (!section.IsString() || section.As<Napi::String>().Utf8Value().empty()) {
      Throw(env, Code::Other, "sections['" + name + "'] must be a non-empty string");
    }
    if (section.As<Napi::String>().Utf8Value() == ".text") {
      // libbpf reads functions in .text as subprograms, never as programs.
      Throw(env, Code::Other, "sections['" + name + "']: a program cannot live in .text");
    }
    sections[name] = section.As<Napi::String>().Utf8Value();
  }
  EmitOptions options = ReadOptions(info);

  llvm::SmallVector<char, 0> object;
  try {
    object = Compile(ir, sections, options);
  } catch (const IrError& error) {
    Throw(env, Code::InvalidIr, error.message);
  }
  return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(object.data()),
                                     object.size());
}

}  // namespace

void RegisterEmit(Napi::Env env, Napi::Object exports) {
  exports.Set("emitObject", Napi::Function::New(env, EmitObject, "emitObject"));
}

}  // namespace nettrace
