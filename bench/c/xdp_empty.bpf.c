// The floor: an XDP program that does nothing but let the packet pass.
#include "common.h"

SEC("xdp")
int xdp_empty(struct xdp_md *ctx) {
  return XDP_PASS;
}
