// Maps: create, read (batch and one by one), update, delete, clear.
//
// Values of per-CPU maps are handled raw: the kernel reads and writes
// numPossibleCpus() * round_up(valueSize, 8) bytes per key, and merging the per-CPU
// slots is left to TypeScript.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <cerrno>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "bpf_names.h"
#include "errors.h"
#include "modules.h"

namespace nettrace {
namespace {

// ENOTSUPP is the kernel-internal 524 that still leaks out of some BPF commands.
constexpr int kENOTSUPP = 524;

Code CodeForErrno(int err) {
  if (err == EPERM || err == EACCES) return CodeForPermissionError();
  if (err == EOPNOTSUPP || err == kENOTSUPP) return Code::NotSupported;
  return Code::Other;
}

int PossibleCpus(Napi::Env env) {
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) ThrowErrno(env, Code::Other, "cannot read the number of possible CPUs", -cpus);
  return cpus;
}

size_t RoundUp8(size_t n) { return (n + 7) & ~static_cast<size_t>(7); }

bool IsPerCpu(uint32_t type) {
  return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

bool IsArray(uint32_t type) {
  return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

bpf_map_info MapInfo(Napi::Env env, int fd) {
  bpf_map_info info{};
  uint32_t length = sizeof info;
  if (bpf_obj_get_info_by_fd(fd, &info, &length) != 0) {
    ThrowErrno(env, Code::Other, "cannot read map info of fd " + std::to_string(fd), errno);
  }
  return info;
}

// Bytes the kernel copies in or out for one value of this map.
size_t ValueBytes(Napi::Env env, const bpf_map_info& map) {
  return IsPerCpu(map.type) ? PossibleCpus(env) * RoundUp8(map.value_size) : map.value_size;
}

// The kernel reads key_size bytes from our key pointer and writes a whole value into our
// buffer whatever lengths we think they have: a size mismatch from the caller would read
// or overwrite Node's heap. So every element call checks the sizes against the map first
// (one cheap BPF_OBJ_GET_INFO_BY_FD).
bpf_map_info CheckSizes(Napi::Env env, int fd, size_t keyBytes, std::optional<size_t> valueBytes) {
  bpf_map_info map = MapInfo(env, fd);
  if (keyBytes != map.key_size) {
    Throw(env, Code::Other, "map fd " + std::to_string(fd) + " has " +
                                std::to_string(map.key_size) + "-byte keys, not " +
                                std::to_string(keyBytes));
  }
  if (valueBytes && *valueBytes != ValueBytes(env, map)) {
    Throw(env, Code::Other, "map fd " + std::to_string(fd) + " needs " +
                                std::to_string(ValueBytes(env, map)) + " value bytes, not " +
                                std::to_string(*valueBytes));
  }
  return map;
}

Napi::Value CreateMap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object spec = args::Object(info, 0, "spec");
  auto type = static_cast<bpf_map_type>(args::FieldInt(spec, "type", 1, INT32_MAX));
  auto keySize = static_cast<uint32_t>(args::FieldInt(spec, "keySize", 0, UINT32_MAX));
  auto valueSize = static_cast<uint32_t>(args::FieldInt(spec, "valueSize", 0, UINT32_MAX));
  auto maxEntries = static_cast<uint32_t>(args::FieldInt(spec, "maxEntries", 1, UINT32_MAX));
  std::string name = KernelObjectName(args::FieldString(spec, "name"));
  auto flags = static_cast<uint32_t>(args::OptionalInt(spec, "flags", 0, UINT32_MAX).value_or(0));

  bpf_map_create_opts opts{};
  opts.sz = sizeof opts;
  opts.map_flags = flags;
  int fd = bpf_map_create(type, name.c_str(), keySize, valueSize, maxEntries, &opts);
  if (fd < 0) {
    int err = errno;
    ThrowErrno(env, CodeForErrno(err),
               "cannot create map '" + name + "' (type " + std::to_string(type) + ", key " +
                   std::to_string(keySize) + " B, value " + std::to_string(valueSize) +
                   " B, " + std::to_string(maxEntries) + " entries)",
               err);
  }
  return Napi::Number::New(env, fd);
}

// Growable key/value storage for a dump; `count` entries are valid. The storage is
// malloc'd and never zeroed: a 65,536-entry per-CPU map asks for ~70 MB up front, of
// which the kernel writes only the entries it has, and the pages never written are
// never touched. At the end the memory is handed to JavaScript as is (no copy).
struct Dump {
  size_t keySize, stride;
  uint8_t* keys = nullptr;
  uint8_t* values = nullptr;
  size_t capacity = 0;
  size_t count = 0;

  Dump(Napi::Env env, size_t keySize, size_t stride, size_t initialCapacity)
      : keySize(keySize), stride(stride), env_(env) {
    Resize(initialCapacity);
  }
  ~Dump() {
    std::free(keys);
    std::free(values);
  }
  Dump(const Dump&) = delete;
  Dump& operator=(const Dump&) = delete;

  void Grow() { Resize(capacity * 2 + 1); }
  uint8_t* Key(size_t i) { return keys + i * keySize; }
  uint8_t* Value(size_t i) { return values + i * stride; }

  // Gives up ownership of the first `count` keys (or values) as a Buffer.
  Napi::Buffer<uint8_t> TakeKeys(Napi::Env env) { return Take(env, keys, count * keySize); }
  Napi::Buffer<uint8_t> TakeValues(Napi::Env env) { return Take(env, values, count * stride); }

 private:
  Napi::Env env_;

  void Resize(size_t next) {
    keys = static_cast<uint8_t*>(ReallocOrThrow(keys, keySize * next + 1));
    values = static_cast<uint8_t*>(ReallocOrThrow(values, stride * next + 1));
    capacity = next;
  }
  void* ReallocOrThrow(void* p, size_t bytes) {
    void* q = std::realloc(p, bytes);
    if (q == nullptr) Throw(env_, Code::Other, "out of memory reading a map (" + std::to_string(bytes) + " bytes)");
    return q;
  }
  static Napi::Buffer<uint8_t> Take(Napi::Env env, uint8_t*& data, size_t bytes) {
    if (bytes == 0) return Napi::Buffer<uint8_t>::New(env, 0);
    // Give back what the kernel did not fill (realloc to a smaller size keeps the bytes).
    uint8_t* owned = static_cast<uint8_t*>(std::realloc(data, bytes));
    if (owned == nullptr) owned = data;
    data = nullptr;
    return Napi::Buffer<uint8_t>::New(env, owned, bytes, [](Napi::Env, uint8_t* p) { std::free(p); });
  }
};

// bpf_map_lookup_batch until ENOENT. Returns false when the kernel does not support
// batching for this map (the caller falls back to key iteration).
bool DumpBatched(Napi::Env env, int fd, Dump& dump) {
  // The batch cursor is opaque; for hash maps it is a bucket index, for arrays the key.
  std::vector<uint8_t> cursor(std::max<size_t>(dump.keySize, 8));
  std::vector<uint8_t> nextCursor(cursor.size());
  bool first = true;
  bpf_map_batch_opts opts{};
  opts.sz = sizeof opts;
  for (;;) {
    if (dump.count == dump.capacity) dump.Grow();
    uint32_t n = static_cast<uint32_t>(dump.capacity - dump.count);
    int rc = bpf_map_lookup_batch(fd, first ? nullptr : cursor.data(), nextCursor.data(),
                                  dump.Key(dump.count), dump.Value(dump.count), &n, &opts);
    int err = rc == 0 ? 0 : errno;
    if (rc == 0 || err == ENOENT) dump.count += n;
    if (err == ENOENT) return true;  // end of map (n may still hold the last entries)
    if (rc == 0 && n == 0) return true;  // no progress: never loop forever on a quirk
    if (rc != 0) {
      if (first && (err == EINVAL || err == kENOTSUPP || err == EOPNOTSUPP)) return false;
      // A hash bucket holds more entries than the space left: make room and retry.
      if (err == ENOSPC) {
        dump.Grow();
        continue;
      }
      ThrowErrno(env, CodeForErrno(err), "bpf_map_lookup_batch on fd " + std::to_string(fd), err);
    }
    cursor.swap(nextCursor);
    first = false;
  }
}

// get_next_key + lookup: works on every map type and kernel.
void DumpByKeys(Napi::Env env, int fd, Dump& dump) {
  dump.count = 0;
  std::vector<uint8_t> key(dump.keySize), next(dump.keySize);
  bool first = true;
  for (;;) {
    if (bpf_map_get_next_key(fd, first ? nullptr : key.data(), next.data()) != 0) {
      int err = errno;
      if (err == ENOENT) return;
      ThrowErrno(env, CodeForErrno(err), "bpf_map_get_next_key on fd " + std::to_string(fd), err);
    }
    first = false;
    key.swap(next);
    if (dump.count == dump.capacity) dump.Grow();
    if (bpf_map_lookup_elem(fd, key.data(), dump.Value(dump.count)) != 0) {
      int err = errno;
      if (err == ENOENT) continue;  // deleted since get_next_key returned it
      ThrowErrno(env, CodeForErrno(err), "bpf_map_lookup_elem on fd " + std::to_string(fd), err);
    }
    std::memcpy(dump.Key(dump.count), key.data(), dump.keySize);
    dump.count++;
  }
}

Napi::Value MapLookupBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = args::Fd(info, 0);
  size_t keySize = static_cast<size_t>(args::Int(info, 1, "keySize", 1, INT32_MAX));
  size_t valueSize = static_cast<size_t>(args::Int(info, 2, "valueSize", 0, INT32_MAX));
  Napi::Object opts = args::Object(info, 3, "opts");
  bool perCpu = args::FieldBool(opts, "perCpu");
  size_t maxEntries = static_cast<size_t>(args::FieldInt(opts, "maxEntries", 1, INT32_MAX));

  bpf_map_info map = MapInfo(env, fd);
  if (keySize != map.key_size || valueSize != map.value_size || perCpu != IsPerCpu(map.type)) {
    Throw(env, Code::Other,
          "map fd " + std::to_string(fd) + " is " + std::to_string(map.key_size) + "/" +
              std::to_string(map.value_size) + " bytes" + (IsPerCpu(map.type) ? ", per-CPU" : "") +
              ", not " + std::to_string(keySize) + "/" + std::to_string(valueSize) +
              (perCpu ? ", per-CPU" : ""));
  }
  size_t stride = ValueBytes(env, map);
  if (stride == 0) Throw(env, Code::Other, "map fd " + std::to_string(fd) + " has no values");
  Dump dump(env, keySize, stride, maxEntries);
  if (!DumpBatched(env, fd, dump)) DumpByKeys(env, fd, dump);

  Napi::Object result = Napi::Object::New(env);
  result.Set("keys", dump.TakeKeys(env));
  result.Set("values", dump.TakeValues(env));
  result.Set("count", Napi::Number::New(env, static_cast<double>(dump.count)));
  return result;
}

Napi::Value MapLookup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = args::Fd(info, 0);
  Napi::Buffer<uint8_t> key = args::Buffer(info, 1, "key");
  size_t valueBytes = static_cast<size_t>(args::Int(info, 2, "valueBytes", 1, INT32_MAX));
  CheckSizes(env, fd, key.Length(), valueBytes);
  Napi::Buffer<uint8_t> value = Napi::Buffer<uint8_t>::New(env, valueBytes);
  if (bpf_map_lookup_elem(fd, key.Data(), value.Data()) != 0) {
    int err = errno;
    if (err == ENOENT) return env.Null();
    ThrowErrno(env, CodeForErrno(err), "bpf_map_lookup_elem on fd " + std::to_string(fd), err);
  }
  return value;
}

Napi::Value MapUpdate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = args::Fd(info, 0);
  Napi::Buffer<uint8_t> key = args::Buffer(info, 1, "key");
  Napi::Buffer<uint8_t> value = args::Buffer(info, 2, "value");
  uint64_t flags = args::IsMissing(args::At(info, 3))
                       ? static_cast<uint64_t>(BPF_ANY)
                       : static_cast<uint64_t>(args::Int(info, 3, "flags", 0, INT32_MAX));
  CheckSizes(env, fd, key.Length(), value.Length());
  if (bpf_map_update_elem(fd, key.Data(), value.Data(), flags) != 0) {
    int err = errno;
    ThrowErrno(env, CodeForErrno(err), "bpf_map_update_elem on fd " + std::to_string(fd), err);
  }
  return env.Undefined();
}

Napi::Value MapDelete(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = args::Fd(info, 0);
  Napi::Buffer<uint8_t> key = args::Buffer(info, 1, "key");
  CheckSizes(env, fd, key.Length(), std::nullopt);
  if (bpf_map_delete_elem(fd, key.Data()) != 0) {
    int err = errno;
    if (err == ENOENT) return Napi::Boolean::New(env, false);
    ThrowErrno(env, CodeForErrno(err), "bpf_map_delete_elem on fd " + std::to_string(fd), err);
  }
  return Napi::Boolean::New(env, true);
}

// Array maps cannot lose keys: clearing them means zeroing every slot (what a fresh
// array holds). Other maps: collect the keys first, then delete them, so the walk is
// not disturbed by its own deletions.
Napi::Value MapClear(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = args::Fd(info, 0);
  bpf_map_info map = MapInfo(env, fd);
  if (IsArray(map.type)) {
    std::vector<uint8_t> zero(ValueBytes(env, map), 0);
    for (uint32_t index = 0; index < map.max_entries; index++) {
      if (bpf_map_update_elem(fd, &index, zero.data(), BPF_ANY) != 0) {
        int err = errno;
        ThrowErrno(env, CodeForErrno(err), "zeroing array map fd " + std::to_string(fd), err);
      }
    }
    return env.Undefined();
  }
  std::vector<uint8_t> keys;
  std::vector<uint8_t> key(map.key_size), next(map.key_size);
  bool first = true;
  for (;;) {
    if (bpf_map_get_next_key(fd, first ? nullptr : key.data(), next.data()) != 0) {
      int err = errno;
      if (err == ENOENT) break;
      ThrowErrno(env, CodeForErrno(err), "bpf_map_get_next_key on fd " + std::to_string(fd), err);
    }
    first = false;
    key.swap(next);
    keys.insert(keys.end(), key.begin(), key.end());
  }
  for (size_t offset = 0; offset < keys.size(); offset += map.key_size) {
    if (bpf_map_delete_elem(fd, keys.data() + offset) != 0 && errno != ENOENT) {
      int err = errno;
      ThrowErrno(env, CodeForErrno(err), "bpf_map_delete_elem on fd " + std::to_string(fd), err);
    }
  }
  return env.Undefined();
}

Napi::Value NumPossibleCpus(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), PossibleCpus(info.Env()));
}

}  // namespace

void RegisterMaps(Napi::Env env, Napi::Object exports) {
  exports.Set("createMap", Napi::Function::New(env, CreateMap, "createMap"));
  exports.Set("mapLookupBatch", Napi::Function::New(env, MapLookupBatch, "mapLookupBatch"));
  exports.Set("mapLookup", Napi::Function::New(env, MapLookup, "mapLookup"));
  exports.Set("mapUpdate", Napi::Function::New(env, MapUpdate, "mapUpdate"));
  exports.Set("mapDelete", Napi::Function::New(env, MapDelete, "mapDelete"));
  exports.Set("mapClear", Napi::Function::New(env, MapClear, "mapClear"));
  exports.Set("numPossibleCpus", Napi::Function::New(env, NumPossibleCpus, "numPossibleCpus"));
}

}  // namespace nettrace
