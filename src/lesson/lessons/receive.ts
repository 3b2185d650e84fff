// The receive path: datagrams to a socket that reads them pass every stage, one count each.
import { expect, expectTotal, ownKey, type Lesson } from '../lesson.js';
import { pause, sendDatagrams, udpReceiver } from '../traffic.js';

const DATAGRAMS = 20;
const PORT = 7000;

export const receive: Lesson<{ sent: number; read: number }> = {
  name: 'receive',
  title: 'the receive path, stage by stage',
  teaches: 'XDP, netif_receive_skb, tc ingress, the socket queue and the read each see every received packet once, in that order',
  script: 'rx-path.nt',
  async traffic(s) {
    const receiver = udpReceiver(s.nsA, s.addrA, PORT);
    await receiver.ready;
    const { sent } = await sendDatagrams(s.nsB, { to: s.addrA, port: PORT, count: DATAGRAMS });
    await pause(200);
    return { sent, read: await receiver.count() };
  },
  describe: (s, f) => `${f.sent} UDP datagrams from ${s.addrB} to a socket on ${s.addrA}:${PORT}, which read ${f.read}`,
  keep: (s, _map, key) => ownKey(s, key),
  read(s, maps, f) {
    return {
      findings: [
        expect(maps, `${f.sent} datagrams arrived on ${s.ifA}`, '@xdp', [s.addrB], f.sent),
        expect(maps, `each entered the core as an sk_buff (netif_receive_skb)`, '@netif_receive', [s.ifA], f.sent),
        expect(maps, `each passed tc ingress on its way to IP`, '@tc_ingress', [s.addrB], f.sent),
        expect(maps, `each was queued on the socket at port ${PORT}`, '@queued', [s.addrA, PORT], f.sent),
        expect(maps, `the socket's owner read ${f.read}`, '@read', [s.addrA, PORT], f.read),
        expectTotal(maps, 'none was dropped on the way', '@dropped', [s.addrB], 0),
      ],
      explanation: [
        'The same count at every stage is a healthy receive path: XDP saw the frame in the driver, the core',
        'took the sk_buff built from it (netif_receive_skb), ran tc ingress, and handed it to ip_rcv and udp_rcv,',
        'which queued it on the socket and woke the reader (sk_data_ready); recvmsg gave it to the process.',
        'On a busy interface XDP counts more than the rest when GRO merges TCP segments into one sk_buff.',
      ],
    };
  },
};
