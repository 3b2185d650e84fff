// The nettrace program behind `nettrace journey IF`: one count per stage of the packet's
// way through the stack on IF, drops on IF by reason, and the average time between
// stages, per packet. Generated text, compiled like any program, so `-d`-style reading of
// what it does is just reading this file.
export type Direction = 'rx' | 'tx';

/** IPv4 comparisons of a socket's local address with IF's addresses (false when it has none). */
function ownAddress(expr: string, addresses: string[]): string {
  return addresses.length === 0 ? '0 == 1' : addresses.map((a) => `${expr} == ${a}`).join(' || ');
}

/**
 * Receive: xdp (every frame, in the driver) -> net:netif_receive_skb (the core takes the
 * sk_buff) -> tc ingress (the core runs it just before IP) -> IP by transport protocol
 * (IPv4 at tc) -> a socket on one of IF's addresses queued it (sock:sk_data_ready).
 * A packet is paired between stages by its IPv4 header (source, destination, id): xdp has
 * no sk_buff and tc does not see its address (docs/language.md, "Stage-to-stage latency").
 */
function receive(ifname: string, addresses: string[]): string {
  const key = (p: string) => `${p}ip.src, ${p}ip.dst, ${p}ip.id`;
  return `
xdp:${ifname} {
  @xdp = count();
  if (ip) { @at_xdp[${key('')}] = nsecs; }
}

tracepoint:net:netif_receive_skb /args.name == "${ifname}"/ {
  @netif = count();
  $skb = (struct sk_buff *)args.skbaddr;
  if ($skb.ip) {
    $t = @at_xdp[${key('$skb.')}];
    if ($t != 0) {
      @lat_xdp_netif = avg(nsecs - $t);
      delete(@at_xdp[${key('$skb.')}]);
    }
    @at_netif[${key('$skb.')}] = nsecs;
  }
}

tc:${ifname}:ingress {
  @tc = count();
  if (ip) {
    $t = @at_netif[${key('')}];
    if ($t != 0) {
      @lat_netif_tc = avg(nsecs - $t);
      delete(@at_netif[${key('')}]);
    }
    @proto[ip.proto] = count();
  }
}

tracepoint:sock:sk_data_ready /args.family == 2/ {
  $sk = (struct sock *)args.skaddr;
  if (${ownAddress('$sk.__sk_common.skc_rcv_saddr', addresses)}) { @socket[args.protocol] = count(); }
}

tracepoint:skb:kfree_skb {
  $skb = (struct sk_buff *)args.skbaddr;
  if ($skb.dev.name == "${ifname}") { @drops[args.reason] = count(); }
}
`;
}

/**
 * Transmit: a socket on one of IF's addresses sent (sock:sock_send_length) -> tc egress
 * -> net:net_dev_queue (the qdisc takes it) -> net:net_dev_start_xmit (the driver gets it)
 * -> net:net_dev_xmit (the driver's answer). Paired by sk_buff address from net_dev_queue on.
 */
function transmit(ifname: string, addresses: string[]): string {
  return `
tracepoint:sock:sock_send_length /args.family == 2 && args.ret >= 0/ {
  $sk = (struct sock *)args.sk;
  if (${ownAddress('$sk.__sk_common.skc_rcv_saddr', addresses)}) { @socket[args.protocol] = count(); }
}

tc:${ifname}:egress {
  @tc = count();
  if (ip) { @proto[ip.proto] = count(); }
}

tracepoint:net:net_dev_queue /args.name == "${ifname}"/ {
  @queue = count();
  @at_queue[args.skbaddr] = nsecs;
}

tracepoint:net:net_dev_start_xmit /args.name == "${ifname}"/ {
  @start = count();
  $t = @at_queue[args.skbaddr];
  if ($t != 0) {
    @lat_queue_start = avg(nsecs - $t);
    delete(@at_queue[args.skbaddr]);
  }
  @at_start[args.skbaddr] = nsecs;
}

tracepoint:net:net_dev_xmit /args.name == "${ifname}"/ {
  @xmit = count();
  $t = @at_start[args.skbaddr];
  if ($t != 0) {
    @lat_start_xmit = avg(nsecs - $t);
    delete(@at_start[args.skbaddr]);
  }
}

tracepoint:skb:kfree_skb /@at_queue[args.skbaddr] != 0/ { delete(@at_queue[args.skbaddr]); }

tracepoint:skb:kfree_skb {
  $skb = (struct sk_buff *)args.skbaddr;
  if ($skb.dev.name == "${ifname}") { @drops[args.reason] = count(); }
}
`;
}

export function journeyProgram(ifname: string, direction: Direction, addresses: string[]): string {
  return (direction === 'rx' ? receive : transmit)(ifname, addresses).trimStart();
}
