// The one-liners the bench compares, each written for nettrace and for bpftrace (the
// same meaning in each tool's syntax), with the hand-written C equivalent and the
// tracepoint field it reads. All three fire on the bench's UDP traffic: datagrams
// received on the veth (netif_receive_skb), queued for transmit (net_dev_queue), and
// dropped at a closed port (kfree_skb, reason NO_SOCKET).
export const TRACEPOINT_ONE_LINERS = [
  {
    name: 'netif_receive_skb, count by len',
    category: 'net',
    event: 'netif_receive_skb',
    nettrace: 'tracepoint:net:netif_receive_skb { @[args.len] = count() }',
    bpftrace: 'tracepoint:net:netif_receive_skb { @[args->len] = count(); }',
    c: 'tp_count_by_field',
    field: 'len',
  },
  {
    name: 'net_dev_queue, sum of len',
    category: 'net',
    event: 'net_dev_queue',
    nettrace: 'tracepoint:net:net_dev_queue { @bytes = sum(args.len) }',
    bpftrace: 'tracepoint:net:net_dev_queue { @bytes = sum(args->len); }',
    c: 'tp_sum_field',
    field: 'len',
  },
  {
    name: 'kfree_skb, count by reason',
    category: 'skb',
    event: 'kfree_skb',
    nettrace: 'tracepoint:skb:kfree_skb { @[args.reason] = count() }',
    bpftrace: 'tracepoint:skb:kfree_skb { @[args->reason] = count(); }',
    c: 'tp_count_by_field',
    field: 'reason',
  },
];

export const xdpOneLiner = (ifname) => `xdp:${ifname} { @[ip.src] = count() }`;
