// Packet hooks on the case's own veth pair: XDP and both tc directions, counting traffic
// whose every packet the case knows. tc attaches through tcx links where the kernel has
// them (6.6+) and through a clsact qdisc and cls_bpf filter before that: same counts.
import { expectMaps } from '../runner/expect.js';
import { ping, randomPort, sendUdp } from '../runner/net.js';

export default [
  {
    name: 'xdp: count by source and protocol',
    kind: 'xdp',
    async run(t) {
      const l = t.link();
      const r = await t.trace(['-e', `xdp:${l.rootIf} /ip/ { @[ip.src, ip.proto] = count() }`], () =>
        sendUdp(l, { dest: l.rootAddr, port: randomPort(), count: 7 }),
      );
      // The ARP request before the datagrams is not IP.
      expectMaps(r, [`@[${l.nsAddr}, udp]: 7`]);
    },
  },
  {
    name: 'tc ingress: count by source and protocol',
    kind: 'tc',
    async run(t) {
      const l = t.link();
      const r = await t.trace(['-e', `tc:${l.rootIf}:ingress /ip/ { @[ip.src, ip.proto] = count() }`], () => ping(l, 4));
      expectMaps(r, [`@[${l.nsAddr}, icmp]: 4`]);
    },
  },
  {
    name: 'tc egress: count by destination, protocol and length',
    kind: 'tc',
    async run(t) {
      const l = t.link();
      const r = await t.trace(['-e', `tc:${l.rootIf}:egress /ip/ { @[ip.dst, ip.proto, pkt.len] = count() }`], () => ping(l, 4));
      // Four echo replies of 14 + 20 + 8 + 56 bytes.
      expectMaps(r, [`@[${l.nsAddr}, icmp, 98]: 4`]);
    },
  },
];
