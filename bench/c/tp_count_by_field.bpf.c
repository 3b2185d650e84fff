// `@[args.FIELD] = count()` by hand: read a 4-byte field of the tracepoint's record at
// FIELD_OFFSET (passed by the bench from the tracepoint's format file) and count per
// value in a per-CPU hash.
//   map 0: BPF_MAP_TYPE_PERCPU_HASH, key u32, value u64
#include "common.h"

SEC("tracepoint")
int tp_count_by_field(void *ctx) {
  __u32 key = *(__u32 *)((char *)ctx + FIELD_OFFSET);
  __u64 *count = bpf_map_lookup_elem(MAP(0), &key);
  if (count) {
    *count += 1;
  } else {
    __u64 one = 1;
    bpf_map_update_elem(MAP(0), &key, &one, BPF_NOEXIST);
  }
  return 0;
}
