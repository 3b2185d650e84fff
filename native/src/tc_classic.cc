// tc on kernels without tcx links (before 6.6): a clsact qdisc and a direct-action
// cls_bpf filter, through libbpf's bpf_tc_* netlink calls.
//
// These attachments are not links: they outlive the process that made them. The
// runtime (src/runtime/attach/tc-classic.ts) therefore removes them on every exit it can catch
// and keeps a record so that a later run can remove what a killed one left. This file
// only does the kernel's part: attach, detach, list the filters on a hook, remove a
// clsact qdisc. Filters are named by the kernel after the program ("nt_prog0:[ID]"),
// which is how anyone can tell nettrace's filters from others'.
#include <bpf/libbpf.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "attach_common.h"
#include "errors.h"
#include "fd.h"
#include "libbpf_log.h"
#include "modules.h"

namespace nettrace {
namespace {

bpf_tc_attach_point Direction(const Napi::CallbackInfo& info, size_t i) {
  std::string direction = args::String(info, i, "direction");
  if (direction == "ingress") return BPF_TC_INGRESS;
  if (direction == "egress") return BPF_TC_EGRESS;
  Throw(info.Env(), Code::Other, "direction must be 'ingress' or 'egress'");
}

bpf_tc_hook Hook(int ifindex, bpf_tc_attach_point point) {
  bpf_tc_hook hook{};
  hook.sz = sizeof hook;
  hook.ifindex = ifindex;
  hook.attach_point = point;
  return hook;
}

// attachTcClassic(progFd, ifindex, direction) -> { handle, priority, progId, qdiscCreated }.
// The clsact qdisc is created only when the interface has none; qdiscCreated says
// whether this call made it, so that only what nettrace made is ever removed.
Napi::Value AttachTcClassic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int progFd = args::Fd(info, 0, "progFd");
  int ifindex = CheckIfindex(info, 1);
  bpf_tc_attach_point point = Direction(info, 2);
  const std::string what = std::string("tc program to ") + (point == BPF_TC_INGRESS ? "ingress" : "egress") +
                           " of " + InterfaceLabel(ifindex);
  LibbpfLogCapture quiet;
  bpf_tc_hook hook = Hook(ifindex, point);
  int rc = bpf_tc_hook_create(&hook);
  if (rc != 0 && rc != -EEXIST) ThrowAttach(env, what + " (creating the clsact qdisc)", -rc);
  bool created = rc == 0;

  bpf_tc_opts opts{};
  opts.sz = sizeof opts;
  opts.prog_fd = progFd;
  rc = bpf_tc_attach(&hook, &opts);
  if (rc != 0) {
    if (created) {
      bpf_tc_hook whole = Hook(ifindex, static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS));
      bpf_tc_hook_destroy(&whole);
    }
    ThrowAttach(env, what + " (cls_bpf filter)", -rc);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("handle", Napi::Number::New(env, opts.handle));
  result.Set("priority", Napi::Number::New(env, opts.priority));
  result.Set("progId", Napi::Number::New(env, opts.prog_id));
  result.Set("qdiscCreated", Napi::Boolean::New(env, created));
  return result;
}

// detachTcClassic(ifindex, direction, handle, priority) -> whether the filter was there.
Napi::Value DetachTcClassic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int ifindex = args::Int(info, 0, "ifindex", 1, INT32_MAX);
  bpf_tc_attach_point point = Direction(info, 1);
  LibbpfLogCapture quiet;
  bpf_tc_hook hook = Hook(ifindex, point);
  bpf_tc_opts opts{};
  opts.sz = sizeof opts;
  opts.handle = static_cast<uint32_t>(args::Int(info, 2, "handle", 1, INT32_MAX));
  opts.priority = static_cast<uint32_t>(args::Int(info, 3, "priority", 1, UINT16_MAX));
  int rc = bpf_tc_detach(&hook, &opts);
  // Gone already: the interface, its qdisc or the filter went first.
  if (rc == -ENOENT || rc == -ENODEV || rc == -EINVAL) return Napi::Boolean::New(env, false);
  if (rc != 0) ThrowErrno(env, CodeForAttachErrno(-rc), "cannot remove tc filter from " + InterfaceLabel(ifindex), -rc);
  return Napi::Boolean::New(env, true);
}

// destroyClsact(ifindex): removes the interface's clsact qdisc (and any filter on it).
// The caller checks first that nettrace made it and that no filter is left.
Napi::Value DestroyClsact(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int ifindex = args::Int(info, 0, "ifindex", 1, INT32_MAX);
  LibbpfLogCapture quiet;
  bpf_tc_hook hook = Hook(ifindex, static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS));
  int rc = bpf_tc_hook_destroy(&hook);
  if (rc == -ENOENT || rc == -ENODEV || rc == -EINVAL) return Napi::Boolean::New(env, false);
  if (rc != 0) ThrowErrno(env, CodeForAttachErrno(-rc), "cannot remove the clsact qdisc of " + InterfaceLabel(ifindex), -rc);
  return Napi::Boolean::New(env, true);
}

struct Filter {
  uint32_t handle;
  uint32_t priority;
  std::string kind;
  std::string name;
  uint32_t progId;
};

std::string AttrString(const rtattr* attr) {
  const char* data = static_cast<const char*>(RTA_DATA(attr));
  return std::string(data, strnlen(data, RTA_PAYLOAD(attr)));
}

void ParseFilter(const nlmsghdr* message, std::vector<Filter>* out) {
  auto* tc = static_cast<const tcmsg*>(NLMSG_DATA(message));
  // A message with handle 0 describes the priority's classifier itself, not a filter.
  if (tc->tcm_handle == 0) return;
  Filter filter{tc->tcm_handle, TC_H_MAJ(tc->tcm_info) >> 16, "", "", 0};
  int length = static_cast<int>(message->nlmsg_len - NLMSG_LENGTH(sizeof *tc));
  for (const rtattr* attr = TCA_RTA(tc); RTA_OK(attr, length); attr = RTA_NEXT(attr, length)) {
    if (attr->rta_type == TCA_KIND) filter.kind = AttrString(attr);
    if (attr->rta_type != TCA_OPTIONS) continue;
    int nestedLength = static_cast<int>(RTA_PAYLOAD(attr));
    for (const rtattr* nested = static_cast<const rtattr*>(RTA_DATA(attr)); RTA_OK(nested, nestedLength);
         nested = RTA_NEXT(nested, nestedLength)) {
      if (nested->rta_type == TCA_BPF_NAME) filter.name = AttrString(nested);
      if (nested->rta_type == TCA_BPF_ID) std::memcpy(&filter.progId, RTA_DATA(nested), sizeof filter.progId);
    }
  }
  out->push_back(filter);
}

// Every filter on one clsact hook, by an RTM_GETTFILTER dump. An interface without a
// clsact qdisc has none (the kernel answers EINVAL or ENOENT for the missing parent).
std::vector<Filter> DumpFilters(Napi::Env env, int ifindex, bpf_tc_attach_point point) {
  OwnedFd sock(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!sock.ok()) ThrowErrno(env, Code::Other, "cannot open a netlink socket", errno);
  struct {
    nlmsghdr header;
    tcmsg tc;
  } request{};
  request.header.nlmsg_len = NLMSG_LENGTH(sizeof request.tc);
  request.header.nlmsg_type = RTM_GETTFILTER;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.header.nlmsg_seq = 1;
  request.tc.tcm_family = AF_UNSPEC;
  request.tc.tcm_ifindex = ifindex;
  request.tc.tcm_parent = TC_H_MAKE(TC_H_CLSACT, point == BPF_TC_INGRESS ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
  if (send(sock.get(), &request, request.header.nlmsg_len, 0) < 0) {
    ThrowErrno(env, Code::Other, "cannot ask the kernel for tc filters", errno);
  }
  std::vector<Filter> filters;
  std::vector<char> buffer(64 * 1024);
  for (;;) {
    ssize_t got = recv(sock.get(), buffer.data(), buffer.size(), 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      ThrowErrno(env, Code::Other, "cannot read tc filters", errno);
    }
    int length = static_cast<int>(got);
    for (auto* message = reinterpret_cast<nlmsghdr*>(buffer.data()); NLMSG_OK(message, length);
         message = NLMSG_NEXT(message, length)) {
      if (message->nlmsg_type == NLMSG_DONE) return filters;
      if (message->nlmsg_type == NLMSG_ERROR) {
        int err = -static_cast<nlmsgerr*>(NLMSG_DATA(message))->error;
        if (err == 0 || err == EINVAL || err == ENOENT || err == ENODEV) return filters;
        ThrowErrno(env, Code::Other, "cannot list tc filters of " + InterfaceLabel(ifindex), err);
      }
      if (message->nlmsg_type == RTM_NEWTFILTER) ParseFilter(message, &filters);
    }
  }
}

// listTcFilters(ifindex, direction) -> [{ handle, priority, kind, name, progId }].
Napi::Value ListTcFilters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int ifindex = args::Int(info, 0, "ifindex", 1, INT32_MAX);
  std::vector<Filter> filters = DumpFilters(env, ifindex, Direction(info, 1));
  Napi::Array out = Napi::Array::New(env, filters.size());
  for (size_t i = 0; i < filters.size(); i++) {
    Napi::Object f = Napi::Object::New(env);
    f.Set("handle", Napi::Number::New(env, filters[i].handle));
    f.Set("priority", Napi::Number::New(env, filters[i].priority));
    f.Set("kind", Napi::String::New(env, filters[i].kind));
    f.Set("name", Napi::String::New(env, filters[i].name));
    f.Set("progId", Napi::Number::New(env, filters[i].progId));
    out.Set(static_cast<uint32_t>(i), f);
  }
  return out;
}

}  // namespace

void RegisterTcClassic(Napi::Env env, Napi::Object exports) {
  exports.Set("attachTcClassic", Napi::Function::New(env, AttachTcClassic, "attachTcClassic"));
  exports.Set("detachTcClassic", Napi::Function::New(env, DetachTcClassic, "detachTcClassic"));
  exports.Set("destroyClsact", Napi::Function::New(env, DestroyClsact, "destroyClsact"));
  exports.Set("listTcFilters", Napi::Function::New(env, ListTcFilters, "listTcFilters"));
}

}  // namespace nettrace
