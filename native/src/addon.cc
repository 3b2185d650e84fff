// Entry point of nettrace_native.node. Only src/runtime/native.ts loads this addon.
#include <bpf/libbpf.h>
#include <napi.h>

#include "libbpf_log.h"
#include "modules.h"

namespace nettrace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InstallLibbpfLogger();
  RegisterEmit(env, exports);
  RegisterDisasm(env, exports);
  RegisterMaps(env, exports);
  RegisterLoad(env, exports);
  RegisterAttach(env, exports);
  RegisterPerfAttach(env, exports);
  RegisterTcClassic(env, exports);
  RegisterFeatures(env, exports);
  RegisterRingBuf(env, exports);
  RegisterIds(env, exports);
  return exports;
}

}  // namespace nettrace

// NODE_API_MODULE pastes the function name into identifiers, so it cannot be qualified.
static Napi::Object InitNettraceNative(Napi::Env env, Napi::Object exports) {
  return nettrace::Init(env, exports);
}

NODE_API_MODULE(nettrace_native, InitNettraceNative)
