// Entry point of nettrace_bpf.node: the kernel side through libbpf (maps, program
// loading, attachments, the ring buffer, feature probes, object ids). No LLVM here: a
// compiled program loads and runs with only this module in the process. (preload.cc can
// warm up the compiler's libraries for a cold compile, by name, without linking them.)
#include <bpf/libbpf.h>
#include <napi.h>

#include "libbpf_log.h"
#include "modules.h"

namespace nettrace {

Napi::Object InitBpf(Napi::Env env, Napi::Object exports) {
  InstallLibbpfLogger();
  RegisterMaps(env, exports);
  RegisterLoad(env, exports);
  RegisterAttach(env, exports);
  RegisterPerfAttach(env, exports);
  RegisterTcClassic(env, exports);
  RegisterFeatures(env, exports);
  RegisterRingBuf(env, exports);
  RegisterIds(env, exports);
  RegisterPreload(env, exports);
  return exports;
}

}  // namespace nettrace

// NODE_API_MODULE pastes the function name into identifiers, so it cannot be qualified.
static Napi::Object InitNettraceBpf(Napi::Env env, Napi::Object exports) {
  return nettrace::InitBpf(env, exports);
}

NODE_API_MODULE(nettrace_bpf, InitNettraceBpf)
