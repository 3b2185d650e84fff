// Entry point of nettrace_emit.node: LLVM's BPF backend, IR text to BPF object, and its
// disassembler. Only the compiler loads it (src/native/emitter.ts); a program that is
// already compiled runs without it, so running never maps LLVM into the process.
#include <napi.h>

#include "modules.h"

namespace nettrace {

Napi::Object InitEmit(Napi::Env env, Napi::Object exports) {
  RegisterEmit(env, exports);
  RegisterDisasm(env, exports);
  return exports;
}

}  // namespace nettrace

// NODE_API_MODULE pastes the function name into identifiers, so it cannot be qualified.
static Napi::Object InitNettraceEmit(Napi::Env env, Napi::Object exports) {
  return nettrace::InitEmit(env, exports);
}

NODE_API_MODULE(nettrace_emit, InitNettraceEmit)
