// A SYN flood, and dropping it at XDP (the script takes the `drop` action: --unsafe, sandbox only).
import { expect, ownKey, type Lesson } from '../lesson.js';
import { pause, startIn, tcpServer } from '../traffic.js';

const SYNS = 100;
/** The script lets this many SYNs of each source through (syn-flood.nt). */
const ALLOWED = 10;
const PORT = 8000;

/**
 * Raw SYNs from B with a different source port each, as a flood tool makes them. Node has
 * no raw sockets; Python's socket module does (the tests use it too).
 */
function synFloodScript(from: string, to: string): string {
  return `
import socket, struct
def csum(b):
    if len(b) % 2: b += b'\\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
src, dst = socket.inet_aton('${from}'), socket.inet_aton('${to}')
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
for i in range(${SYNS}):
    sport = 20000 + i
    hdr = struct.pack('!HHIIBBHHH', sport, ${PORT}, 1000 + i, 0, 5 << 4, 0x02, 64240, 0, 0)
    pseudo = src + dst + struct.pack('!BBH', 0, socket.IPPROTO_TCP, len(hdr))
    hdr = hdr[:16] + struct.pack('!H', csum(pseudo + hdr)) + hdr[18:]
    s.sendto(hdr, ('${to}', 0))
print('sent ${SYNS}')
`;
}

export const synFlood: Lesson<{ sent: number }> = {
  name: 'syn-flood',
  title: 'a SYN flood, dropped at XDP',
  teaches: 'XDP counts SYNs per source and drops a source\'s SYNs past a limit before the kernel spends anything on them (--unsafe)',
  script: 'syn-flood.nt',
  unsafe: true,
  async traffic(s) {
    const server = tcpServer(s.nsA, s.addrA, PORT);
    await server.ready;
    const flood = startIn(s.nsB, 'python3', ['-c', synFloodScript(s.addrB, s.addrA)]);
    const out = await flood.done;
    await pause(200);
    server.stop();
    return { sent: Number(/sent (\d+)/.exec(out)?.[1] ?? 0) };
  },
  describe: (s, f) => `${f.sent} SYNs from ${s.addrB} (ports 20000-${20000 + f.sent - 1}) to a listener on ${s.addrA}:${PORT}`,
  keep: (s, map, key) => map !== '@seen' && ownKey(s, key),
  read(s, maps, f) {
    const passed = Math.min(f.sent, ALLOWED);
    return {
      findings: [
        expect(maps, `${f.sent} SYNs arrived`, '@syns', [s.addrB], f.sent),
        expect(maps, `all past the first ${ALLOWED} were dropped at XDP`, '@dropped', [s.addrB], f.sent - passed),
        expect(maps, `the listener answered the ${passed} that passed`, '@synack', [s.addrB], passed),
      ],
      explanation: [
        `Each SYN that reached TCP made a request socket and a SYN-ACK (${passed} of them); ${s.addrB}'s kernel knew no`,
        `such connection and answered each with a RST, which freed the request socket. The other ${f.sent - passed} never`,
        'got an sk_buff: XDP_DROP hands the frame back to the driver, the cheapest way to refuse a packet.',
        'Without the drop a real flood fills the SYN queue and the kernel falls back to SYN cookies.',
      ],
    };
  },
};
