// Attaching programs through BPF links: XDP, tcx, raw tracepoints and fentry/fexit.
// Closing the link (or the process dying, even by SIGKILL) detaches the program.
// Perf-event programs are in perf_attach.cc; tc on kernels without tcx, which cannot be
// a link, in tc_classic.cc.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "args.h"
#include "attach_common.h"
#include "errors.h"
#include "modules.h"

namespace nettrace {

constexpr int kENOTSUPP = 524;

Code CodeForAttachErrno(int err) {
  switch (err) {
    case EPERM:
    case EACCES: return CodeForPermissionError();
    case EOPNOTSUPP:
    case kENOTSUPP:
    case ENOSYS: return Code::NotSupported;
    case ENODEV:
    case ENXIO: return Code::NoSuchInterface;
    default: return Code::Other;
  }
}

[[noreturn]] void ThrowAttach(Napi::Env env, const std::string& what, int err) {
  ThrowErrno(env, CodeForAttachErrno(err), "cannot attach " + what, err);
}

std::string InterfaceLabel(int ifindex) {
  char name[IF_NAMESIZE] = {0};
  std::string label = "ifindex " + std::to_string(ifindex);
  if (if_indextoname(static_cast<unsigned>(ifindex), name) != nullptr) {
    label = std::string(name) + " (" + label + ")";
  }
  return label;
}

int CheckIfindex(const Napi::CallbackInfo& info, size_t i) {
  int ifindex = args::Int(info, i, "ifindex", 0, INT32_MAX);
  char name[IF_NAMESIZE];
  if (ifindex == 0 || if_indextoname(static_cast<unsigned>(ifindex), name) == nullptr) {
    Throw(info.Env(), Code::NoSuchInterface, "no network interface with ifindex " +
                                                 std::to_string(ifindex), ENODEV);
  }
  return ifindex;
}

namespace {

// tcx attach types (kernel 6.6+); libbpf 1.1's headers predate them.
constexpr int kBpfTcxIngress = 46;
constexpr int kBpfTcxEgress = 47;

int LinkXdp(int progFd, int ifindex, uint32_t flags) {
  bpf_link_create_opts opts{};
  opts.sz = sizeof opts;
  opts.flags = flags;
  return bpf_link_create(progFd, ifindex, BPF_XDP, &opts);
}

// 'auto' tries the driver's native hook first and falls back to generic (skb) mode,
// which every device has (lo, for one, refuses native mode).
Napi::Value AttachXdp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int progFd = args::Fd(info, 0, "progFd");
  int ifindex = CheckIfindex(info, 1);
  std::string mode = args::String(info, 2, "mode");
  if (mode != "native" && mode != "generic" && mode != "auto") {
    Throw(env, Code::Other, "mode must be 'native', 'generic' or 'auto'");
  }
  const std::string what = "XDP program to " + InterfaceLabel(ifindex);
  std::string used;
  int link = -1;
  int nativeErr = 0;
  if (mode != "generic") {
    link = LinkXdp(progFd, ifindex, XDP_FLAGS_DRV_MODE);
    if (link >= 0) used = "native";
    else nativeErr = errno;
    if (link < 0 && mode == "native") ThrowAttach(env, what + " in native mode", nativeErr);
  }
  if (link < 0) {
    link = LinkXdp(progFd, ifindex, XDP_FLAGS_SKB_MODE);
    if (link < 0) {
      int err = errno;
      std::string detail = " in generic mode";
      if (nativeErr != 0) detail += " (native mode failed too: " + std::string(std::strerror(nativeErr)) + ")";
      ThrowAttach(env, what + detail, err);
    }
    used = "generic";
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("linkFd", Napi::Number::New(env, link));
  result.Set("mode", Napi::String::New(env, used));
  return result;
}

Napi::Value AttachTcx(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int progFd = args::Fd(info, 0, "progFd");
  int ifindex = CheckIfindex(info, 1);
  std::string direction = args::String(info, 2, "direction");
  if (direction != "ingress" && direction != "egress") {
    Throw(env, Code::Other, "direction must be 'ingress' or 'egress'");
  }
  auto type = static_cast<bpf_attach_type>(direction == "ingress" ? kBpfTcxIngress : kBpfTcxEgress);
  int link = bpf_link_create(progFd, ifindex, type, nullptr);
  if (link < 0) ThrowAttach(env, "tc program to " + direction + " of " + InterfaceLabel(ifindex), errno);
  return Napi::Number::New(env, link);
}

// Raw tracepoints, and tp_btf programs (name null: the kernel takes the target from the
// program's attach BTF id). bpf_raw_tracepoint_open returns a link fd.
Napi::Value AttachRawTracepoint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int progFd = args::Fd(info, 0, "progFd");
  bool byBtf = args::IsMissing(args::At(info, 1));
  std::string name = byBtf ? "" : args::String(info, 1, "name");
  int link = bpf_raw_tracepoint_open(byBtf ? nullptr : name.c_str(), progFd);
  if (link < 0) {
    int err = errno;
    std::string what = byBtf ? "BTF tracepoint program" : "program to raw tracepoint " + name;
    if (err == ENOENT) Throw(env, Code::NoSuchTracepoint, "cannot attach " + what + ": no such tracepoint", err);
    ThrowAttach(env, what, err);
  }
  return Napi::Number::New(env, link);
}

// fentry/fexit/fmod_ret. BPF_RAW_TRACEPOINT_OPEN with no name attaches any tracing
// program at its own expected attach type and BTF target (the kernel's
// bpf_tracing_prog_attach, the same as BPF_LINK_CREATE with that type), so the caller
// need not repeat the attach type. This kernel blocks trampolines: expect NOT_SUPPORTED.
Napi::Value AttachTracing(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int progFd = args::Fd(info, 0, "progFd");
  int link = bpf_raw_tracepoint_open(nullptr, progFd);
  if (link < 0) {
    int err = errno;
    Code code = CodeForAttachErrno(err);
    if (err == EPERM || err == EACCES) code = Code::NotSupported;
    if (code == Code::NotSupported && !HaveBpfCapabilities()) code = Code::Permission;
    ThrowErrno(env, code,
               "cannot attach fentry/fexit program" +
                   std::string(code == Code::NotSupported ? " (this kernel refuses BPF trampolines)" : ""),
               err);
  }
  return Napi::Number::New(env, link);
}

Napi::Value CloseFd(const Napi::CallbackInfo& info) {
  int fd = args::Fd(info, 0);
  // EINTR still closes the fd on Linux; retrying could close someone else's.
  if (close(fd) != 0 && errno != EINTR) {
    ThrowErrno(info.Env(), Code::Other, "close(" + std::to_string(fd) + ")", errno);
  }
  return info.Env().Undefined();
}

Napi::Value IfNameToIndex(const Napi::CallbackInfo& info) {
  std::string name = args::String(info, 0, "name");
  return Napi::Number::New(info.Env(), if_nametoindex(name.c_str()));
}

Napi::Value ListInterfaces(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::unique_ptr<struct if_nameindex, void (*)(struct if_nameindex*)> list(if_nameindex(),
                                                                         if_freenameindex);
  if (!list) ThrowErrno(env, Code::Other, "cannot list network interfaces", errno);
  Napi::Array names = Napi::Array::New(env);
  uint32_t n = 0;
  for (struct if_nameindex* entry = list.get(); entry->if_index != 0; entry++) {
    names.Set(n++, Napi::String::New(env, entry->if_name));
  }
  return names;
}

}  // namespace

void RegisterAttach(Napi::Env env, Napi::Object exports) {
  exports.Set("attachXdp", Napi::Function::New(env, AttachXdp, "attachXdp"));
  exports.Set("attachTcx", Napi::Function::New(env, AttachTcx, "attachTcx"));
  exports.Set("attachRawTracepoint",
              Napi::Function::New(env, AttachRawTracepoint, "attachRawTracepoint"));
  exports.Set("attachTracing", Napi::Function::New(env, AttachTracing, "attachTracing"));
  exports.Set("closeFd", Napi::Function::New(env, CloseFd, "closeFd"));
  exports.Set("ifNameToIndex", Napi::Function::New(env, IfNameToIndex, "ifNameToIndex"));
  exports.Set("listInterfaces", Napi::Function::New(env, ListInterfaces, "listInterfaces"));
}

}  // namespace nettrace
