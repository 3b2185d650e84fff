// Tracing probes under ping traffic between the case's namespace and the root end of its
// veth pair: four echo requests received by the root end, four replies received back in
// the namespace. Probes that see the whole machine filter on the case's interface or
// addresses. fentry/fexit need BPF trampolines, kprobe/kretprobe the kprobe PMU: where
// `nettrace --info` says the kernel lacks them, nettrace must refuse with NT0206.
import { expectMaps } from '../runner/expect.js';
import { ping } from '../runner/net.js';

const noTrampolines = (f) => (f.trampolines ? undefined : 'NT0206');
const noKprobes = (f) => (f.kprobes ? undefined : 'NT0206');

export default [
  {
    name: 'tracepoint: net:netif_receive_skb by name and length',
    kind: 'tracepoint',
    async run(t) {
      const l = t.link();
      // ping -s 100: IP packets of 20 + 8 + 100 bytes (skb->len there starts at the IP header).
      const program = `tracepoint:net:netif_receive_skb /args.name == "${l.rootIf}" && args.len == 128/ { @[args.name, args.len] = count() }`;
      const r = await t.trace(['-e', program], () => ping(l, 4, 100));
      expectMaps(r, [`@[${l.rootIf}, 128]: 4`]);
    },
  },
  {
    name: 'rawtracepoint: args.skb.ip fields at netif_receive_skb',
    kind: 'rawtracepoint',
    async run(t) {
      const l = t.link();
      const program = `rawtracepoint:netif_receive_skb /args.skb.ip.src == ${l.nsAddr}/ { @[args.skb.ip.src, args.skb.ip.dst, args.skb.ip.proto] = count() }`;
      const r = await t.trace(['-e', program], () => ping(l, 4));
      expectMaps(r, [`@[${l.nsAddr}, ${l.rootAddr}, icmp]: 4`]);
    },
  },
  {
    name: 'fentry: args.skb.ip fields at ip_rcv',
    kind: 'fentry',
    refusal: noTrampolines,
    async run(t) {
      const l = t.link();
      const r = await t.trace(['-e', `fentry:ip_rcv /args.skb.ip.src == ${l.nsAddr}/ { @[args.skb.ip.src, args.skb.ip.proto] = count() }`], () => ping(l, 4));
      expectMaps(r, [`@[${l.nsAddr}, icmp]: 4`]);
    },
  },
  {
    name: 'fexit: retval of ip_rcv',
    kind: 'fexit',
    refusal: noTrampolines,
    async run(t) {
      const l = t.link();
      // The skb may be freed by the time ip_rcv returns; the device it came in on is not.
      const r = await t.trace(['-e', `fexit:ip_rcv /args.dev->name == "${l.rootIf}"/ { @[retval] = count() }`], () => ping(l, 4));
      expectMaps(r, ['@[0]: 4']); // NET_RX_SUCCESS
    },
  },
  {
    name: 'kprobe: icmp_rcv count',
    kind: 'kprobe',
    refusal: noKprobes,
    async run(t) {
      const l = t.link();
      const r = await t.trace(['-e', `kprobe:icmp_rcv /args.skb->dev->name == "${l.rootIf}"/ { @ = count() }`], () => ping(l, 4));
      expectMaps(r, ['@: 4']);
    },
  },
  {
    name: 'kretprobe: retval of icmp_rcv',
    kind: 'kretprobe',
    refusal: noKprobes,
    async run(t) {
      const l = t.link();
      // No arguments at return to filter on, but nothing else in the guest sends ICMP:
      // the four echo requests are answered (NET_RX_SUCCESS); the four replies went to
      // ping's raw socket, and icmp_rcv, finding no ICMP socket of its own for them,
      // drops them (NET_RX_DROP).
      const r = await t.trace(['-e', 'kretprobe:icmp_rcv { @[retval] = count() }'], () => ping(l, 4));
      expectMaps(r, ['@[0]: 4', '@[1]: 4']);
    },
  },
];
