#include "llvm_init.h"

#include <llvm/Support/TargetSelect.h>

#include <mutex>

namespace nettrace {

void InitializeBpfTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTarget();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFAsmPrinter();
    LLVMInitializeBPFAsmParser();
    LLVMInitializeBPFDisassembler();
  });
}

}  // namespace nettrace
