// `@bytes = sum(args.FIELD)` by hand: one per-CPU array slot, added to without atomics.
//   map 0: BPF_MAP_TYPE_PERCPU_ARRAY, key u32, value u64, 1 entry
#include "common.h"

SEC("tracepoint")
int tp_sum_field(void *ctx) {
  __u32 zero = 0;
  __u64 *total = bpf_map_lookup_elem(MAP(0), &zero);
  if (total) *total += *(__u32 *)((char *)ctx + FIELD_OFFSET);
  return 0;
}
