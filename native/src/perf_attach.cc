// Programs that run on perf events: tracepoints, kprobes/kretprobes and interval timers.
//
// Where the kernel has BPF links for perf events (5.15+), the program is linked to the
// event and the event's own fd is closed: the link fd is the one handle. Older kernels
// (5.10) attach with PERF_EVENT_IOC_SET_BPF and the perf event's fd is the handle. Both
// are fds owned by this process, so closing it, or the process dying however it dies,
// detaches the program: nothing is left behind either way.
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>

#include "args.h"
#include "attach_common.h"
#include "errors.h"
#include "fd.h"
#include "modules.h"
#include "tracefs.h"

namespace nettrace {
namespace {

int PerfEventOpen(perf_event_attr* attr, int cpu) {
  return static_cast<int>(
      syscall(SYS_perf_event_open, attr, /*pid=*/-1, cpu, /*group_fd=*/-1, PERF_FLAG_FD_CLOEXEC));
}

// Attaches the program to the perf event and returns the fd that now holds the
// attachment. EINVAL from BPF_LINK_CREATE means the kernel has no perf links: fall back
// to the ioctl.
int AttachToPerfEvent(Napi::Env env, int progFd, int perfFd, const std::string& what) {
  OwnedFd event(perfFd);
  int link = bpf_link_create(progFd, perfFd, BPF_PERF_EVENT, nullptr);
  if (link >= 0) return link;  // `event` closes: the link holds its own reference
  if (errno != EINVAL) ThrowAttach(env, what, errno);
  if (ioctl(perfFd, PERF_EVENT_IOC_SET_BPF, progFd) != 0) ThrowAttach(env, what + " (PERF_EVENT_IOC_SET_BPF)", errno);
  if (ioctl(perfFd, PERF_EVENT_IOC_ENABLE, 0) != 0) ThrowAttach(env, what + " (PERF_EVENT_IOC_ENABLE)", errno);
  return event.release();
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
  return Napi::Number::New(env, AttachToPerfEvent(env, progFd, perfFd, what));
}

// A number from the kprobe PMU's sysfs files: its perf type, or the config bit that
// makes a probe a return probe ("config:0" in format/retprobe).
int KprobePmuNumber(Napi::Env env, const std::string& file, const std::string& prefix) {
  const std::string path = "/sys/bus/event_source/devices/kprobe/" + file;
  std::ifstream in(path);
  std::string text;
  if (!in || !(in >> text) || text.compare(0, prefix.size(), prefix) != 0) {
    Throw(env, Code::NotSupported, "this kernel has no kprobe PMU (" + path + " is missing)", ENOENT);
  }
  // strtol, not stoi: a malformed file must not throw a C++ exception past N-API.
  return static_cast<int>(std::strtol(text.c_str() + prefix.size(), nullptr, 10));
}

// kprobe:FUNC / kretprobe:FUNC through the kprobe PMU (perf_event_open with the PMU's
// type and the function's name), as libbpf does; no tracefs kprobe_events entries, so
// nothing named survives the process.
Napi::Value AttachKprobe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int progFd = args::Fd(info, 0, "progFd");
  std::string func = args::String(info, 1, "func");
  bool retprobe = info.Length() > 2 && info[2].ToBoolean().Value();

  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = static_cast<uint32_t>(KprobePmuNumber(env, "type", ""));
  if (retprobe) attr.config |= 1ULL << KprobePmuNumber(env, "format/retprobe", "config:");
  attr.config1 = reinterpret_cast<uint64_t>(func.c_str());  // kprobe_func
  attr.config2 = 0;                                           // probe_offset
  attr.sample_period = 1;
  attr.wakeup_events = 1;
  const std::string what = "program to " + std::string(retprobe ? "kretprobe:" : "kprobe:") + func;
  int perfFd = PerfEventOpen(&attr, 0);
  if (perfFd < 0) {
    int err = errno;
    // ENOENT/EINVAL: no such symbol, or one kprobes may not touch (blacklisted, inlined).
    if (err == ENOENT || err == EINVAL) {
      Throw(env, Code::NoSuchTracepoint, "cannot attach " + what + ": the kernel has no probeable function '" + func + "'", err);
    }
    ThrowAttach(env, what + " (perf_event_open)", err);
  }
  return Napi::Number::New(env, AttachToPerfEvent(env, progFd, perfFd, what));
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
  return Napi::Number::New(env, AttachToPerfEvent(env, progFd, perfFd, what));
}

}  // namespace

void RegisterPerfAttach(Napi::Env env, Napi::Object exports) {
  exports.Set("attachTracepoint", Napi::Function::New(env, AttachTracepoint, "attachTracepoint"));
  exports.Set("attachKprobe", Napi::Function::New(env, AttachKprobe, "attachKprobe"));
  exports.Set("attachPerfEventTimer",
              Napi::Function::New(env, AttachPerfEventTimer, "attachPerfEventTimer"));
}

}  // namespace nettrace
