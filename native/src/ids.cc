// Kernel object ids: enumerate every BPF program, map and link the kernel holds, and read
// one link's state. Reliability tests and the bench use this to prove that nothing of
// nettrace's outlives its process (no bpftool needed); the runtime uses linkInfo to notice
// that an interface holding one of its links has gone.
//
// Enumeration walks bpf_{prog,map,link}_get_next_id and opens each object by id to read
// its info. An object can vanish between the two calls (ENOENT): it is skipped, not an
// error, since other processes load and free BPF objects all the time.
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "errors.h"
#include "fd.h"
#include "modules.h"

namespace nettrace {
namespace {

// Link types (uapi enum bpf_link_type) whose info starts with the ifindex; tcx (6.6+) is
// newer than libbpf 1.1's headers. Both report ifindex 0 once their device is gone.
constexpr uint32_t kLinkTypeXdp = 6;
constexpr uint32_t kLinkTypeTcx = 11;

enum class Kind { Prog, Map, Link };

int NextId(Kind kind, uint32_t id, uint32_t* next) {
  switch (kind) {
    case Kind::Prog: return bpf_prog_get_next_id(id, next);
    case Kind::Map: return bpf_map_get_next_id(id, next);
    case Kind::Link: return bpf_link_get_next_id(id, next);
  }
  return -1;
}

int FdById(Kind kind, uint32_t id) {
  switch (kind) {
    case Kind::Prog: return bpf_prog_get_fd_by_id(id);
    case Kind::Map: return bpf_map_get_fd_by_id(id);
    case Kind::Link: return bpf_link_get_fd_by_id(id);
  }
  return -1;
}

Napi::Object ProgObject(Napi::Env env, int fd, int* err) {
  bpf_prog_info info{};
  uint32_t length = sizeof info;
  // First call learns how many maps the program uses, the second fetches their ids.
  if (bpf_obj_get_info_by_fd(fd, &info, &length) != 0) {
    *err = errno;
    return Napi::Object();
  }
  std::vector<uint32_t> mapIds(info.nr_map_ids);
  if (!mapIds.empty()) {
    uint32_t wanted = info.nr_map_ids;
    info = {};
    info.nr_map_ids = wanted;
    info.map_ids = reinterpret_cast<uint64_t>(mapIds.data());
    length = sizeof info;
    if (bpf_obj_get_info_by_fd(fd, &info, &length) != 0) {
      *err = errno;
      return Napi::Object();
    }
    mapIds.resize(std::min(wanted, info.nr_map_ids));
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", info.id);
  out.Set("name", Napi::String::New(env, info.name));
  out.Set("type", info.type);
  // Counted only while sysctl kernel.bpf_stats_enabled=1: the bench's cost per event.
  out.Set("runTimeNs", Napi::BigInt::New(env, static_cast<uint64_t>(info.run_time_ns)));
  out.Set("runCnt", Napi::BigInt::New(env, static_cast<uint64_t>(info.run_cnt)));
  out.Set("xlatedLen", info.xlated_prog_len);
  Napi::Array maps = Napi::Array::New(env, mapIds.size());
  for (size_t i = 0; i < mapIds.size(); i++) maps.Set(static_cast<uint32_t>(i), mapIds[i]);
  out.Set("mapIds", maps);
  return out;
}

Napi::Object MapObject(Napi::Env env, int fd, int* err) {
  bpf_map_info info{};
  uint32_t length = sizeof info;
  if (bpf_obj_get_info_by_fd(fd, &info, &length) != 0) {
    *err = errno;
    return Napi::Object();
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", info.id);
  out.Set("name", Napi::String::New(env, info.name));
  out.Set("type", info.type);
  out.Set("maxEntries", info.max_entries);
  return out;
}

Napi::Object LinkObject(Napi::Env env, int fd, int* err) {
  bpf_link_info info{};
  uint32_t length = sizeof info;
  if (bpf_obj_get_info_by_fd(fd, &info, &length) != 0) {
    *err = errno;
    return Napi::Object();
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", info.id);
  out.Set("type", info.type);
  out.Set("progId", info.prog_id);
  if (info.type == kLinkTypeXdp || info.type == kLinkTypeTcx) {
    // tcx's info is {ifindex, attach_type}: its ifindex sits where xdp's does.
    out.Set("ifindex", info.xdp.ifindex);
  }
  return out;
}

Napi::Object Describe(Napi::Env env, Kind kind, int fd, int* err) {
  switch (kind) {
    case Kind::Prog: return ProgObject(env, fd, err);
    case Kind::Map: return MapObject(env, fd, err);
    case Kind::Link: return LinkObject(env, fd, err);
  }
  return Napi::Object();
}

Kind ReadKind(const Napi::CallbackInfo& info) {
  std::string name = args::String(info, 0, "kind");
  if (name == "prog") return Kind::Prog;
  if (name == "map") return Kind::Map;
  if (name == "link") return Kind::Link;
  Throw(info.Env(), Code::Other, "kind must be 'prog', 'map' or 'link', not '" + name + "'");
}

// listKernelObjects('prog' | 'map' | 'link') -> [{ id, ... }] in id order.
Napi::Value ListKernelObjects(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Kind kind = ReadKind(info);
  Napi::Array out = Napi::Array::New(env);
  uint32_t id = 0;
  uint32_t count = 0;
  while (true) {
    uint32_t next = 0;
    if (NextId(kind, id, &next) != 0) {
      int err = errno;
      if (err == ENOENT) break;  // past the last id
      ThrowErrno(env, err == EPERM || err == EACCES ? CodeForPermissionError() : Code::Other,
                 "cannot enumerate BPF object ids", err);
    }
    id = next;
    OwnedFd fd(FdById(kind, id));
    if (!fd.ok()) {
      int err = errno;
      if (err == ENOENT) continue;  // freed since get_next_id
      ThrowErrno(env, err == EPERM || err == EACCES ? CodeForPermissionError() : Code::Other,
                 "cannot open BPF object id " + std::to_string(id), err);
    }
    int err = 0;
    Napi::Object object = Describe(env, kind, fd.get(), &err);
    if (object.IsEmpty()) {
      if (err == ENOENT) continue;
      ThrowErrno(env, Code::Other, "cannot read info of BPF object id " + std::to_string(id), err);
    }
    out.Set(count++, object);
  }
  return out;
}

// linkInfo(fd) -> { id, type, progId, ifindex? } of a link this process holds.
Napi::Value LinkInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = args::Fd(info, 0);
  int err = 0;
  Napi::Object object = LinkObject(env, fd, &err);
  if (object.IsEmpty()) ThrowErrno(env, Code::Other, "cannot read link info of fd " + std::to_string(fd), err);
  return object;
}

}  // namespace

void RegisterIds(Napi::Env env, Napi::Object exports) {
  exports.Set("listKernelObjects", Napi::Function::New(env, ListKernelObjects, "listKernelObjects"));
  exports.Set("linkInfo", Napi::Function::New(env, LinkInfo, "linkInfo"));
}

}  // namespace nettrace
