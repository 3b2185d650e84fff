// The transmit path: datagrams sent from A pass sendmsg, dev_queue_xmit, tc egress and the driver.
import { expect, ownKey, type Lesson } from '../lesson.js';
import { sendDatagrams } from '../traffic.js';

const DATAGRAMS = 15;
const PORT = 7000;

export const transmit: Lesson<{ sent: number }> = {
  name: 'transmit',
  title: 'the transmit path, stage by stage',
  teaches: 'sendmsg, tc egress, dev_queue_xmit and the driver (net_dev_start_xmit, net_dev_xmit) each see every sent packet once',
  script: 'tx-path.nt',
  async traffic(s) {
    return { sent: (await sendDatagrams(s.nsA, { from: s.addrA, to: s.addrB, port: PORT, count: DATAGRAMS })).sent };
  },
  describe: (s, f) => `${f.sent} UDP datagrams sent from ${s.addrA} (namespace A) to ${s.addrB}:${PORT}`,
  keep: (s, _map, key) => ownKey(s, key),
  read(s, maps, f) {
    return {
      findings: [
        expect(maps, `${f.sent} sendmsg() calls succeeded`, '@sendmsg', [s.addrA], f.sent),
        expect(maps, 'routing chose the device, and tc egress saw each, by destination', '@tc_egress', [s.addrB], f.sent),
        expect(maps, `${f.sent} skbs were handed to ${s.ifA}'s queueing`, '@dev_queue', [s.ifA], f.sent),
        expect(maps, 'the driver was given each', '@start_xmit', [s.ifA], f.sent),
        expect(maps, 'and answered NETDEV_TX_OK (0) each time', '@xmit', [s.ifA, 0], f.sent),
      ],
      explanation: [
        'udp_sendmsg built each datagram, ip_output routed it, and dev_queue_xmit ran tc egress, then gave it to',
        `the device's qdisc; ${s.ifA} is a veth with none (noqueue), so nothing waited before the driver;`,
        'veth_xmit then passed the skb straight to its peer, where the receive path begins.',
        `The lines for ${s.ifB} are B's own sends: ICMP port unreachable answers (nothing listens on ${PORT}), rate-limited.`,
        'Ethernet resolution did not appear: the sandbox set permanent neighbour entries (see lesson arp).',
      ],
    };
  },
};
