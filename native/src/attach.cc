// Attaching programs. Every attach returns a BPF link fd and nothing else: closing the
// link (or the process dying, even by SIGKILL) detaches the program, so nothing can stay
// behind in the kernel. That rules out netlink XDP/tc attachments and legacy ioctls.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/perf_event.h>
#include <net/if.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "args.h"
#include "errors.h"
#include "modules.h"
#include "tracefs.h"

namespace nettrace {
namespace {

constexpr int kENOTSUPP = 524;
// tcx attach types (kernel 6.6+); libbpf 1.1's headers predate them.
constexpr int kBpfTcxIngress = 46;
constexpr int kBpfTcxEgress = 47;

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

int PerfEventOpen(perf_event_attr* attr, int cpu) {
  return static_cast<int>(
      syscall(SYS_perf_event_open, attr, /*pid=*/-1, cpu, /*group_fd=*/-1, PERF_FLAG_FD_CLOEXEC));
}

// Links the program to a perf event. The link holds its own reference to the event, so
// the event's fd is closed here and the link fd is the only handle left.
int LinkPerfEvent(Napi::Env env, int progFd, int perfFd, const std::string& what) {
  int link = bpf_link_create(progFd, perfFd, BPF_PERF_EVENT, nullptr);
  int err = errno;
  close(perfFd);
  if (link < 0) ThrowAttach(env, what, err);
  return link;
}

Napi::Value AttachTracepoint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int progFd = args::Fd(info, 0, "progFd");
  std::string category = args::String(info, 1, "category");
  std::string name = args::String(info, 2, "name");
  uint64_t id = TracepointId(env, category, name);

  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.config = id;
  attr.sample_period = 1;
  attr.wakeup_events = 1;
  // One event on CPU 0 suffices: a BPF program attached to a tracepoint runs on every CPU.
  int perfFd = PerfEventOpen(&attr, 0);
  const std::string what = "program to tracepoint " + category + ":" + name;
  if (perfFd < 0) ThrowAttach(env, what + " (perf_event_open)", errno);
  return Napi::Number::New(env, LinkPerfEvent(env, progFd, perfFd, what));
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

// Interval probes: a CPU-clock software event firing every periodNs on one CPU.
Napi::Value AttachPerfEventTimer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int progFd = args::Fd(info, 0, "progFd");
  int64_t periodNs = args::IntegerValue(env, args::At(info, 1), "periodNs", 1, INT64_MAX / 2);
  int cpu = args::Int(info, 2, "cpu", 0, INT32_MAX);
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.sample_period = static_cast<uint64_t>(periodNs);
  int perfFd = PerfEventOpen(&attr, cpu);
  const std::string what = "program to a " + std::to_string(periodNs) + " ns timer on CPU " +
                           std::to_string(cpu);
  if (perfFd < 0) ThrowAttach(env, what + " (perf_event_open)", errno);
  return Napi::Number::New(env, LinkPerfEvent(env, progFd, perfFd, what));
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
  exports.Set("attachTracepoint", Napi::Function::New(env, AttachTracepoint, "attachTracepoint"));
  exports.Set("attachRawTracepoint",
              Napi::Function::New(env, AttachRawTracepoint, "attachRawTracepoint"));
  exports.Set("attachTracing", Napi::Function::New(env, AttachTracing, "attachTracing"));
  exports.Set("attachPerfEventTimer",
              Napi::Function::New(env, AttachPerfEventTimer, "attachPerfEventTimer"));
  exports.Set("closeFd", Napi::Function::New(env, CloseFd, "closeFd"));
  exports.Set("ifNameToIndex", Napi::Function::New(env, IfNameToIndex, "ifNameToIndex"));
  exports.Set("listInterfaces", Napi::Function::New(env, ListInterfaces, "listInterfaces"));
}

}  // namespace nettrace
