// What an expert writes by hand for `xdp:IF { @[ip.src] = count() }`: Ethernet, then
// IPv4, then a per-CPU hash keyed by the source address (kept in network order: the
// conversion is user space's business), counted without atomics.
//   map 0: BPF_MAP_TYPE_PERCPU_HASH, key u32, value u64
#include <linux/if_ether.h>
#include <linux/ip.h>
#include "common.h"

SEC("xdp")
int xdp_count_src(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > end) return XDP_PASS;
  __u32 key = ip->saddr;
  __u64 *count = bpf_map_lookup_elem(MAP(0), &key);
  if (count) {
    *count += 1;
  } else {
    __u64 one = 1;
    bpf_map_update_elem(MAP(0), &key, &one, BPF_NOEXIST);
  }
  return XDP_PASS;
}
