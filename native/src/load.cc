// Programs: loadProgram (object + map fds -> kernel program fd), progInfo, progTestRun.
//
// The compiled object names maps by index (codegen emits llvm.bpf.pseudo(1, INDEX),
// which LLVM lowers to an ld_imm64 with src_reg BPF_PSEUDO_MAP_FD and imm INDEX). The
// object does not depend on live fds; binding happens here, just before BPF_PROG_LOAD:
// libbpf parses the ELF and hands us the raw instructions, we patch each index to the
// runtime's fd, and load with bpf_prog_load (no bpf_object__load, which would want to
// create maps itself).
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "bpf_names.h"
#include "errors.h"
#include "libbpf_log.h"
#include "modules.h"

namespace nettrace {
namespace {

constexpr int kENOTSUPP = 524;
// Large enough for level-1 logs of any program the verifier accepts in size (1M insns
// would need more, but then the tail, which holds the error, is what the kernel keeps).
constexpr uint32_t kLogBytes = 16u << 20;

struct LoadSpec {
  std::string section;
  std::optional<std::string> name;
  bpf_prog_type progType;
  bpf_attach_type expectedAttachType = static_cast<bpf_attach_type>(0);
  std::optional<std::string> attachBtfName;
  std::vector<int> mapFds;
  int logLevel = 0;
};

// Instructions of the program in `section` (and named `name` when several programs
// share the section), plus that program's function name.
struct ExtractedProgram {
  std::vector<bpf_insn> insns;
  std::string functionName;
};

ExtractedProgram Extract(Napi::Env env, const Napi::Buffer<uint8_t>& object,
                         const LoadSpec& spec) {
  LibbpfLogCapture libbpfLog;
  bpf_object_open_opts openOpts{};
  openOpts.sz = sizeof openOpts;
  openOpts.object_name = "nettrace";
  std::unique_ptr<bpf_object, void (*)(bpf_object*)> parsed(
      bpf_object__open_mem(object.Data(), object.Length(), &openOpts), bpf_object__close);
  if (!parsed) {
    int err = errno;
    Throw(env, Code::Other,
          std::string("libbpf cannot parse the object: ") + std::strerror(err) +
              (libbpfLog.text().empty() ? "" : "\n" + libbpfLog.text()),
          err);
  }

  std::vector<bpf_program*> matches;
  std::string available;
  bpf_program* program = nullptr;
  bpf_object__for_each_program(program, parsed.get()) {
    std::string section = bpf_program__section_name(program);
    available += (available.empty() ? "" : ", ") + section;
    if (section == spec.section) matches.push_back(program);
  }
  if (matches.size() > 1 && spec.name) {
    std::vector<bpf_program*> named;
    for (bpf_program* candidate : matches) {
      if (*spec.name == bpf_program__name(candidate)) named.push_back(candidate);
    }
    matches.swap(named);
  }
  if (matches.size() != 1) {
    Throw(env, Code::Other,
          (matches.empty() ? "no program in section '" : "several programs in section '") +
              spec.section + "'" + (matches.empty() ? "" : " (pass the function name as name)") +
              "; the object has: " + (available.empty() ? "no programs" : available));
  }
  const bpf_insn* insns = bpf_program__insns(matches[0]);
  size_t count = bpf_program__insn_cnt(matches[0]);
  return {std::vector<bpf_insn>(insns, insns + count), bpf_program__name(matches[0])};
}

// Map indexes -> fds. Also refuses bpf-to-bpf calls: emitObject inlines everything, and
// an object that still has them would need libbpf's linking, which we do not do.
void BindMaps(Napi::Env env, std::vector<bpf_insn>& insns, const std::vector<int>& mapFds) {
  for (size_t i = 0; i < insns.size(); i++) {
    bpf_insn& insn = insns[i];
    if (insn.code == (BPF_LD | BPF_IMM | BPF_DW)) {
      if (insn.src_reg == BPF_PSEUDO_MAP_FD || insn.src_reg == BPF_PSEUDO_MAP_VALUE) {
        if (insn.imm < 0 || static_cast<size_t>(insn.imm) >= mapFds.size()) {
          Throw(env, Code::Other,
                "instruction " + std::to_string(i) + " uses map index " + std::to_string(insn.imm) +
                    " but only " + std::to_string(mapFds.size()) + " map fds were given");
        }
        insn.imm = mapFds[insn.imm];
      }
      i++;  // an ld_imm64 spans two instruction slots
      continue;
    }
    if (insn.code == (BPF_JMP | BPF_CALL) && insn.src_reg == BPF_PSEUDO_CALL) {
      Throw(env, Code::Other,
            "instruction " + std::to_string(i) + " calls another BPF function; only helper calls "
            "are supported (emitObject inlines all functions)");
    }
  }
}

// vmlinux BTF is several MB to parse; keep one parsed copy for the process.
const btf* VmlinuxBtf(int* err) {
  static std::mutex lock;
  static btf* cached = nullptr;
  std::lock_guard<std::mutex> guard(lock);
  if (cached == nullptr) {
    LibbpfLogCapture quiet;
    cached = btf__load_vmlinux_btf();
    if (cached == nullptr) *err = errno;
  }
  return cached;
}

// The BTF id a tp_btf / fentry / fexit program attaches to, looked up the way libbpf
// does: raw tracepoints through their "btf_trace_NAME" typedef, functions by name.
uint32_t ResolveAttachBtfId(Napi::Env env, const std::string& name, bpf_attach_type type) {
  std::string lookup = name;
  int kind = BTF_KIND_FUNC;
  switch (static_cast<int>(type)) {
    case BPF_TRACE_RAW_TP: lookup = "btf_trace_" + name; kind = BTF_KIND_TYPEDEF; break;
    case BPF_TRACE_FENTRY:
    case BPF_TRACE_FEXIT:
    case BPF_MODIFY_RETURN: break;
    default:
      Throw(env, Code::Other, "attachBtfName needs expectedAttachType BPF_TRACE_RAW_TP (23), "
                              "BPF_TRACE_FENTRY (24), BPF_TRACE_FEXIT (25) or BPF_MODIFY_RETURN (26)");
  }
  int err = 0;
  const btf* vmlinux = VmlinuxBtf(&err);
  if (vmlinux == nullptr) {
    ThrowErrno(env, Code::NotSupported, "cannot read the kernel's BTF (/sys/kernel/btf/vmlinux)", err);
  }
  int id = btf__find_by_name_kind(vmlinux, lookup.c_str(), kind);
  if (id <= 0) {
    Throw(env, Code::NoSuchTracepoint,
          std::string(type == BPF_TRACE_RAW_TP ? "no BTF tracepoint '" : "no kernel function '") +
              name + "' in the kernel's BTF",
          ENOENT);
  }
  return static_cast<uint32_t>(id);
}

struct LoadResult {
  int fd;
  int err;
  std::string log;
  bool logTruncated;
};

LoadResult TryLoad(const LoadSpec& spec, const std::string& name, const std::vector<bpf_insn>& insns,
                   uint32_t attachBtfId, int logLevel) {
  bpf_prog_load_opts opts{};
  opts.sz = sizeof opts;
  opts.expected_attach_type = spec.expectedAttachType;
  opts.attach_btf_id = attachBtfId;
  std::unique_ptr<char[]> buffer;
  if (logLevel > 0) {
    // Only touched pages get committed, so the large buffer costs little.
    buffer.reset(new char[kLogBytes]);
    buffer[0] = '\0';
    opts.log_level = static_cast<uint32_t>(logLevel);
    opts.log_size = kLogBytes;
    opts.log_buf = buffer.get();
  }
  int fd = bpf_prog_load(spec.progType, name.c_str(), "GPL", insns.data(), insns.size(), &opts);
  LoadResult result{fd, fd < 0 ? errno : 0, "", false};
  if (buffer) {
    buffer[kLogBytes - 1] = '\0';
    result.log = buffer.get();
    result.logTruncated = result.err == ENOSPC;
  }
  return result;
}

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// The verifier's last words: the last log line that is not a statistic.
std::string LogSummary(const std::string& log) {
  size_t end = log.size();
  while (end > 0) {
    size_t start = log.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::string line = log.substr(start, end - start);
    end = start == 0 ? 0 : start - 1;
    if (IsBlank(line) || line.rfind("processed ", 0) == 0 ||
        line.rfind("verification time", 0) == 0 || line.rfind("stack depth", 0) == 0) {
      continue;
    }
    return line;
  }
  return "";
}

[[noreturn]] void ThrowLoadFailure(Napi::Env env, const LoadSpec& spec, const std::string& name,
                                   int err, const std::string& log) {
  const std::string what = "program '" + name + "' (section " + spec.section + ", prog type " +
                           std::to_string(spec.progType) + ")";
  if (!IsBlank(log)) {
    std::string summary = LogSummary(log);
    Throw(env, Code::Verifier,
          "the kernel verifier rejected " + what + ": " + (summary.empty() ? std::strerror(err) : summary),
          err, &log);
  }
  Code code = Code::Other;
  std::string reason = std::strerror(err);
  if (err == EPERM || err == EACCES) {
    code = CodeForPermissionError();
    reason += code == Code::Permission
                  ? " (loading BPF programs needs root, or CAP_BPF with CAP_PERFMON)"
                  : " with no verifier log, although we hold the BPF capabilities: this kernel "
                    "refuses this kind of program";
  } else if (err == EOPNOTSUPP || err == kENOTSUPP || err == ENOSYS) {
    code = Code::NotSupported;
    reason = "this kernel does not support it (" + reason + ")";
  } else if (err == E2BIG) {
    code = Code::Verifier;
  }
  Throw(env, code, "cannot load " + what + ": " + reason, err, &log);
}

LoadSpec ReadSpec(const Napi::Object& object) {
  LoadSpec spec;
  spec.section = args::FieldString(object, "section");
  spec.name = args::OptionalString(object, "name");
  spec.progType = static_cast<bpf_prog_type>(args::FieldInt(object, "progType", 0, INT32_MAX));
  if (auto attach = args::OptionalInt(object, "expectedAttachType", 0, INT32_MAX)) {
    spec.expectedAttachType = static_cast<bpf_attach_type>(*attach);
  }
  spec.attachBtfName = args::OptionalString(object, "attachBtfName");
  spec.mapFds = args::FieldIntArray(object, "mapFds");
  spec.logLevel = static_cast<int>(args::OptionalInt(object, "logLevel", 0, 2).value_or(0));
  return spec;
}

Napi::Value LoadProgram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object object = args::Object(info, 0, "spec");
  Napi::Buffer<uint8_t> elf = args::FieldBuffer(object, "obj");
  LoadSpec spec = ReadSpec(object);

  ExtractedProgram program = Extract(env, elf, spec);
  BindMaps(env, program.insns, spec.mapFds);
  const std::string name = KernelObjectName(spec.name.value_or(program.functionName));
  uint32_t attachBtfId = spec.attachBtfName
                             ? ResolveAttachBtfId(env, *spec.attachBtfName, spec.expectedAttachType)
                             : 0;

  LoadResult result = TryLoad(spec, name, program.insns, attachBtfId, spec.logLevel);
  if (result.fd < 0 && result.logTruncated) {
    // The requested log outgrew its buffer, which fails the load by itself: load again
    // without a log to learn whether the program is fine, and keep the truncated log.
    LoadResult plain = TryLoad(spec, name, program.insns, attachBtfId, 0);
    if (plain.fd >= 0) result = {plain.fd, 0, result.log + "\n[verifier log truncated]\n", true};
  }
  if (result.fd < 0 && IsBlank(result.log)) {
    // Failed without a log: ask the verifier to explain itself.
    LoadResult explained = TryLoad(spec, name, program.insns, attachBtfId, 1);
    if (explained.fd >= 0) {
      result = explained;
    } else {
      result.log = explained.log;
      if (explained.err != ENOSPC) result.err = explained.err;
    }
  }
  if (result.fd < 0) ThrowLoadFailure(env, spec, name, result.err, result.log);

  Napi::Object out = Napi::Object::New(env);
  out.Set("fd", Napi::Number::New(env, result.fd));
  out.Set("log", Napi::String::New(env, result.log));
  out.Set("insnCount", Napi::Number::New(env, static_cast<double>(program.insns.size())));
  return out;
}

Napi::Value ProgInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = args::Fd(info, 0);
  bpf_prog_info prog{};
  uint32_t length = sizeof prog;
  if (bpf_obj_get_info_by_fd(fd, &prog, &length) != 0) {
    ThrowErrno(env, Code::Other, "cannot read program info of fd " + std::to_string(fd), errno);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("runTimeNs", Napi::BigInt::New(env, static_cast<uint64_t>(prog.run_time_ns)));
  out.Set("runCnt", Napi::BigInt::New(env, static_cast<uint64_t>(prog.run_cnt)));
  out.Set("xlatedLen", Napi::Number::New(env, prog.xlated_prog_len));
  out.Set("jitedLen", Napi::Number::New(env, prog.jited_prog_len));
  out.Set("id", Napi::Number::New(env, prog.id));
  return out;
}

Napi::Value ProgTestRun(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = args::Fd(info, 0);
  Napi::Buffer<uint8_t> data = args::Buffer(info, 1, "data");
  int repeat = args::Int(info, 2, "repeat", 0, INT32_MAX);
  // Room for programs that grow the packet (bpf_xdp_adjust_tail, skb pushes).
  std::vector<uint8_t> out(data.Length() + 64 * 1024);
  bpf_test_run_opts opts{};
  opts.sz = sizeof opts;
  opts.data_in = data.Data();
  opts.data_size_in = static_cast<uint32_t>(data.Length());
  opts.data_out = out.data();
  opts.data_size_out = static_cast<uint32_t>(out.size());
  opts.repeat = repeat;
  if (bpf_prog_test_run_opts(fd, &opts) != 0) {
    int err = errno;
    Code code = (err == EOPNOTSUPP || err == kENOTSUPP) ? Code::NotSupported
                : (err == EPERM || err == EACCES)       ? CodeForPermissionError()
                                                        : Code::Other;
    ThrowErrno(env, code, "BPF_PROG_TEST_RUN on fd " + std::to_string(fd), err);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("retval", Napi::Number::New(env, opts.retval));
  result.Set("durationNs", Napi::Number::New(env, opts.duration));
  result.Set("dataOut", Napi::Buffer<uint8_t>::Copy(
                            env, out.data(), std::min<size_t>(opts.data_size_out, out.size())));
  return result;
}

}  // namespace

void RegisterLoad(Napi::Env env, Napi::Object exports) {
  exports.Set("loadProgram", Napi::Function::New(env, LoadProgram, "loadProgram"));
  exports.Set("progInfo", Napi::Function::New(env, ProgInfo, "progInfo"));
  exports.Set("progTestRun", Napi::Function::New(env, ProgTestRun, "progTestRun"));
}

}  // namespace nettrace
