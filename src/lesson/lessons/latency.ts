// Stage-to-stage latency: every packet measured between two hooks, none lost or unpaired.
import { expect, ownKey, type Lesson } from '../lesson.js';
import { pause, sendDatagrams, udpReceiver } from '../traffic.js';

const DATAGRAMS = 30;
const PORT = 7000;

export const latency: Lesson<{ received: number; sent: number }> = {
  name: 'latency',
  title: 'stage-to-stage latency of each packet',
  teaches: 'the time each packet takes from XDP to netif_receive_skb to tc, and from dev_queue_xmit to the driver, paired per packet',
  script: 'stage-latency.nt',
  async traffic(s) {
    // Both ends listen, so no ICMP port-unreachable adds packets to either direction.
    const atA = udpReceiver(s.nsA, s.addrA, PORT);
    const atB = udpReceiver(s.nsB, s.addrB, PORT);
    await Promise.all([atA.ready, atB.ready]);
    const received = (await sendDatagrams(s.nsB, { from: s.addrB, to: s.addrA, port: PORT, count: DATAGRAMS })).sent;
    const sent = (await sendDatagrams(s.nsA, { from: s.addrA, to: s.addrB, port: PORT, count: DATAGRAMS })).sent;
    await pause(100);
    atA.stop();
    atB.stop();
    return { received, sent };
  },
  describe: (s, f) => `${f.received} UDP datagrams from ${s.addrB} to ${s.addrA}, then ${f.sent} back from ${s.addrA} to ${s.addrB}`,
  keep: (s, map, key) => !map.startsWith('@rx_') && !map.startsWith('@tx_') && (!map.includes('_tx') || ownKey(s, key)),
  read(s, maps, f) {
    const rxPairs = ['xdp -> netif_receive_skb', 'netif_receive_skb -> tc ingress'];
    const txPairs = ['net_dev_queue -> start_xmit', 'start_xmit -> net_dev_xmit'];
    return {
      findings: [
        expect(maps, `${f.received} datagrams reached netif_receive_skb on ${s.ifA}`, '@reached_netif', [s.ifA], f.received),
        expect(maps, `each was paired with its XDP timestamp`, '@paired', [rxPairs[0]], f.received),
        expect(maps, `${f.received} reached tc ingress`, '@reached', ['tc ingress'], f.received),
        expect(maps, `each paired with its netif_receive_skb timestamp`, '@paired', [rxPairs[1]], f.received),
        expect(maps, `${f.sent} datagrams reached ${s.ifA}'s driver`, '@reached_tx', ['net_dev_start_xmit', s.ifA], f.sent),
        expect(maps, `each paired with its dev_queue_xmit timestamp`, '@paired_tx', [txPairs[0], s.ifA], f.sent),
        expect(maps, `the driver returned ${f.sent} times`, '@reached_tx', ['net_dev_xmit', s.ifA], f.sent),
        expect(maps, `each paired with its start`, '@paired_tx', [txPairs[1], s.ifA], f.sent),
        expect(maps, 'no received packet went unpaired', '@unpaired', ['tc ingress'], 0),
      ],
      explanation: [
        'Between tracepoints a packet is its sk_buff\'s address; XDP has no sk_buff and tc does not see its',
        'address, so on receive the IPv4 header (source, destination, IP id) recognises it: ids are numbered per socket.',
        'Each stage deletes the entry it paired, and skb:kfree_skb deletes (and counts in @lost) the entries of',
        'packets dropped on the way, so the maps hold only packets in flight.',
        'The receive stages take microseconds; a qdisc that queues shows in net_dev_queue -> start_xmit (lesson qdisc).',
      ],
    };
  },
};
