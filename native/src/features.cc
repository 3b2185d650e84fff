// probeFeatures: what the running kernel offers, found by asking it (loading a two-
// instruction program and trying the attachment with a target that cannot exist), never
// by comparing version numbers: distributions backport features and configure them off.
// Each probe is side-effect free: nothing attaches to live traffic or to any event.
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <string>
#include <utility>

#include "args.h"
#include "errors.h"
#include "fd.h"
#include "libbpf_log.h"
#include "modules.h"

namespace nettrace {
namespace {

// libbpf 1.1's headers predate these attach types.
constexpr int kBpfTcxIngress = 46;
constexpr int kBpfPerfEvent = 41;
constexpr int kBpfTraceKprobeMulti = 42;

// r0 = 0; exit. Valid in every program type probed here.
int LoadTrivial(bpf_prog_type type, int expectedAttachType = 0, uint32_t attachBtfId = 0) {
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  bpf_prog_load_opts opts{};
  opts.sz = sizeof opts;
  opts.expected_attach_type = static_cast<bpf_attach_type>(expectedAttachType);
  opts.attach_btf_id = attachBtfId;
  return bpf_prog_load(type, "nt_probe", "GPL", insns, 2, &opts);
}

// BPF_LINK_CREATE's errno with a target that does not exist: the attach type is known
// to the kernel exactly when it gets as far as looking the target up.
int LinkCreateErrno(int progFd, int target, int attachType, const bpf_link_create_opts* opts = nullptr) {
  int link = bpf_link_create(progFd, target, static_cast<bpf_attach_type>(attachType), opts);
  if (link >= 0) {
    close(link);
    return 0;
  }
  return errno;
}

bool HasBtf() { return access("/sys/kernel/btf/vmlinux", R_OK) == 0; }

bool HasRingBuf() { return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) == 1; }

// BPF links for perf events (tracepoints, kprobes, timers), Linux 5.15: EBADF for a bad
// perf fd; older kernels do not know the attach type (EINVAL). Without them nettrace
// attaches with PERF_EVENT_IOC_SET_BPF, which also ends with the perf event's fd.
bool HasPerfLink() {
  OwnedFd prog(LoadTrivial(BPF_PROG_TYPE_TRACEPOINT));
  return prog.ok() && LinkCreateErrno(prog.get(), INT_MAX, kBpfPerfEvent) == EBADF;
}

// tcx links (6.6): ENODEV for an interface that does not exist, EINVAL before.
bool HasTcx() {
  OwnedFd prog(LoadTrivial(BPF_PROG_TYPE_SCHED_CLS, kBpfTcxIngress));
  return prog.ok() && LinkCreateErrno(prog.get(), INT_MAX, kBpfTcxIngress) == ENODEV;
}

// The perf `kprobe` PMU is what kprobe programs attach through (CONFIG_KPROBES).
bool HasKprobes() { return access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0; }

// kprobe_multi links (5.18, CONFIG_FPROBE): a symbol that does not exist is ESRCH or
// ENOENT; kernels without them answer EINVAL or EOPNOTSUPP.
bool HasKprobeMulti() {
  OwnedFd prog(LoadTrivial(BPF_PROG_TYPE_KPROBE, kBpfTraceKprobeMulti));
  if (!prog.ok()) return false;
  const char* syms[] = {"nettrace_no_such_function"};
  bpf_link_create_opts opts{};
  opts.sz = sizeof opts;
  opts.kprobe_multi.syms = syms;
  opts.kprobe_multi.cnt = 1;
  int err = LinkCreateErrno(prog.get(), 0, kBpfTraceKprobeMulti, &opts);
  return err == ESRCH || err == ENOENT;
}

// BPF trampolines (fentry/fexit): attach to bpf_fentry_test1, a function the kernel
// keeps for BPF_PROG_TEST_RUN's own tests and calls from nowhere else.
bool HasTrampolines() {
  btf* vmlinux = btf__load_vmlinux_btf();
  if (vmlinux == nullptr) return false;
  int id = btf__find_by_name_kind(vmlinux, "bpf_fentry_test1", BTF_KIND_FUNC);
  btf__free(vmlinux);
  if (id <= 0) return false;
  OwnedFd prog(LoadTrivial(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, static_cast<uint32_t>(id)));
  if (!prog.ok()) return false;
  OwnedFd link(bpf_raw_tracepoint_open(nullptr, prog.get()));
  return link.ok();
}

// bpf_xdp_load_bytes (5.18): copies an XDP frame's bytes, which capture() at xdp needs.
// libbpf asks the verifier whether an XDP program may call it. (The number, not the
// name: libbpf 1.1's headers predate it.)
constexpr int kBpfFuncXdpLoadBytes = 189;
bool HasXdpLoadBytes() { return libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, static_cast<bpf_func_id>(kBpfFuncXdpLoadBytes), nullptr) == 1; }

// Batched map reads (5.6): an empty hash map answers ENOENT when the kernel has them.
bool HasBatchOps() {
  OwnedFd map(bpf_map_create(BPF_MAP_TYPE_HASH, "nt_probe", 4, 4, 1, nullptr));
  if (!map.ok()) return false;
  uint32_t keys[1], values[1], count = 1;
  uint64_t out = 0;
  int rc = bpf_map_lookup_batch(map.get(), nullptr, &out, keys, values, &count, nullptr);
  return rc == 0 || errno == ENOENT;
}

// probeFeature(name) -> whether the kernel has it. One at a time, because some probes
// cost (trampolines parse the kernel's BTF): a run asks only what its probes need.
Napi::Value ProbeFeature(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = args::String(info, 0, "name");
  static const std::pair<const char*, bool (*)()> kProbes[] = {
      {"btf", HasBtf},         {"ringbuf", HasRingBuf},           {"perfLink", HasPerfLink},
      {"tcx", HasTcx},         {"kprobes", HasKprobes},           {"kprobeMulti", HasKprobeMulti},
      {"trampolines", HasTrampolines}, {"batchOps", HasBatchOps},       {"xdpLoadBytes", HasXdpLoadBytes},
  };
  for (const auto& [known, probe] : kProbes) {
    if (name != known) continue;
    // libbpf would print its own warnings for the refusals these probes expect.
    LibbpfLogCapture quiet;
    return Napi::Boolean::New(env, probe());
  }
  Throw(env, Code::Other, "unknown kernel feature '" + name + "'");
}

}  // namespace

void RegisterFeatures(Napi::Env env, Napi::Object exports) {
  exports.Set("probeFeature", Napi::Function::New(env, ProbeFeature, "probeFeature"));
}

}  // namespace nettrace
