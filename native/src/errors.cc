#include "errors.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

namespace nettrace {

const char* CodeName(Code code) {
  switch (code) {
    case Code::InvalidIr: return "INVALID_IR";
    case Code::Verifier: return "VERIFIER";
    case Code::Permission: return "PERMISSION";
    case Code::NotSupported: return "NOT_SUPPORTED";
    case Code::NoSuchInterface: return "NO_SUCH_INTERFACE";
    case Code::NoSuchTracepoint: return "NO_SUCH_TRACEPOINT";
    case Code::Other: return "OTHER";
  }
  return "OTHER";
}

void Throw(Napi::Env env, Code code, const std::string& message, int err,
           const std::string* log) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, CodeName(code)));
  if (err != 0) error.Set("errno", Napi::Number::New(env, err));
  if (log != nullptr) error.Set("log", Napi::String::New(env, *log));
  throw error;
}

void ThrowErrno(Napi::Env env, Code code, const std::string& what, int err) {
  Throw(env, code, what + ": " + std::strerror(err), err);
}

bool HaveBpfCapabilities() {
  // glibc has no capget wrapper without libcap; the raw syscall is two structs.
  __user_cap_header_struct header{};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  if (syscall(SYS_capget, &header, data) != 0) return false;
  auto has = [&](int cap) {
    return (data[cap / 32].effective & (1u << (cap % 32))) != 0;
  };
  // CAP_BPF (39) and CAP_PERFMON (38) postdate older headers; spell the numbers out.
  const int kCapBpf = 39, kCapPerfmon = 38;
  return has(CAP_SYS_ADMIN) || (has(kCapBpf) && has(kCapPerfmon));
}

Code CodeForPermissionError() {
  return HaveBpfCapabilities() ? Code::NotSupported : Code::Permission;
}

}  // namespace nettrace
