// Top talkers: XDP counts frames and bytes per source, before anything else in the kernel.
import { expect, ownKey, type Lesson } from '../lesson.js';
import { sendDatagrams } from '../traffic.js';

const BIG = { count: 30, payload: 1000 };
const SMALL = { count: 10, payload: 100 };
/** Ethernet 14 + IPv4 20 + UDP 8: what a frame adds to the payload. */
const HEADERS = 42;

export const topTalkers: Lesson<{ big: number; small: number }> = {
  name: 'top-talkers',
  title: 'top talkers, counted at XDP',
  teaches: 'xdp counts frames and bytes per source address in the driver, before the stack; frame size = payload + 42',
  script: 'top-talkers.nt',
  async traffic(s) {
    const big = (await sendDatagrams(s.nsB, { from: s.addrB, to: s.addrA, port: 7000, count: BIG.count, payloadBytes: BIG.payload })).sent;
    const small = (await sendDatagrams(s.nsB, { from: s.addrB2, to: s.addrA, port: 7000, count: SMALL.count, payloadBytes: SMALL.payload })).sent;
    return { big, small };
  },
  describe: (s, f) => `${f.big} datagrams of ${BIG.payload} bytes from ${s.addrB}, ${f.small} of ${SMALL.payload} bytes from ${s.addrB2}`,
  keep: (s, _map, key) => ownKey(s, key),
  read(s, maps, f) {
    return {
      findings: [
        expect(maps, `${s.addrB} sent ${f.big} frames`, '@packets', [s.addrB], f.big),
        expect(maps, `of ${BIG.payload} + ${HEADERS} header bytes each`, '@bytes', [s.addrB], f.big * (BIG.payload + HEADERS)),
        expect(maps, `${s.addrB2} sent ${f.small} frames`, '@packets', [s.addrB2], f.small),
        expect(maps, `of ${SMALL.payload} + ${HEADERS} bytes each`, '@bytes', [s.addrB2], f.small * (SMALL.payload + HEADERS)),
      ],
      explanation: [
        `pkt.len at XDP is the frame from the Ethernet header on: 14 + 20 (IPv4) + 8 (UDP) + payload.`,
        `${s.addrB} is the top talker by bytes (${f.big * (BIG.payload + HEADERS)}) and by frames; sorted output puts it last.`,
        'The datagrams went to a closed port and were dropped later (see lesson drops): XDP counts them anyway,',
        'because it runs before the stack decides anything. That is why it is the place to count a flood.',
      ],
    };
  },
};
