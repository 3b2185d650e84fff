// Drops and their reasons: datagrams to a port nobody listens on die as NO_SOCKET.
import { expect, ownKey, type Lesson } from '../lesson.js';
import { sendDatagrams } from '../traffic.js';

const DATAGRAMS = 25;
const CLOSED_PORT = 9;

export const drops: Lesson<{ sent: number }> = {
  name: 'drops',
  title: 'packets the kernel drops, and why',
  teaches: 'skb:kfree_skb and its drop reasons: UDP to a closed port is dropped as NO_SOCKET',
  script: 'drops.nt',
  async traffic(s) {
    const { sent } = await sendDatagrams(s.nsB, { to: s.addrA, port: CLOSED_PORT, count: DATAGRAMS });
    return { sent };
  },
  describe: (s, f) => `${f.sent} UDP datagrams from ${s.addrB} to ${s.addrA} port ${CLOSED_PORT}, where nothing listens`,
  keep: (s, map, key) => map === '@drops' ? key[0] === 'NO_SOCKET' : ownKey(s, key),
  read(s, maps, f) {
    const all = maps.value('@drops', 'NO_SOCKET');
    return {
      findings: [expect(maps, `${f.sent} datagrams went to a closed port`, '@sources', [s.addrB, 'NO_SOCKET'], f.sent)],
      explanation: [
        `UDP looked for a socket bound to port ${CLOSED_PORT} on ${s.addrA}, found none, answered with an`,
        'ICMP port unreachable and freed the datagram with kfree_skb_reason(skb, NO_SOCKET).',
        `@drops counts the whole machine: its ${all} NO_SOCKET drops include these ${f.sent};`,
        `@sources splits them by sender, which is how ${s.addrB} is told apart.`,
      ],
    };
  },
};
