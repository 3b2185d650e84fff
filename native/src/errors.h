// Typed errors thrown to JavaScript.
//
// Every failure leaves the addon as a JS Error carrying `code` (one of the strings below),
// and, where it means something, `errno` (positive, as the kernel returns it) and `log`
// (the verifier log). src/native/errors.ts turns these into NativeError instances.
#pragma once

#include <napi.h>

#include <string>

namespace nettrace {

enum class Code {
  InvalidIr,         // IR text that does not parse or verify, or that the BPF backend rejects
  Verifier,          // the kernel verifier refused the program (see `log`)
  Permission,        // EPERM/EACCES and we lack the capabilities
  NotSupported,      // this kernel refuses the feature (e.g. fentry trampolines)
  NoSuchInterface,   // unknown ifindex / interface
  NoSuchTracepoint,  // unknown tracepoint, raw tracepoint or BTF attach target
  Other,
};

const char* CodeName(Code code);

// Builds the JS error and throws it as a C++ Napi::Error; node-addon-api turns that into
// a JS exception when the exported function returns. Never call this while a C library
// (libbpf, LLVM) frame is on the stack below us.
[[noreturn]] void Throw(Napi::Env env, Code code, const std::string& message, int err = 0,
                        const std::string* log = nullptr);

// Throw with "<what>: <strerror(err)>" as the message.
[[noreturn]] void ThrowErrno(Napi::Env env, Code code, const std::string& what, int err);

// EPERM/EACCES mean "not allowed" only when we really lack CAP_BPF/CAP_SYS_ADMIN (plus
// CAP_PERFMON for tracing); with the capabilities present the kernel is refusing the
// feature itself (this kernel answers fentry with EPERM).
bool HaveBpfCapabilities();
Code CodeForPermissionError();

}  // namespace nettrace
