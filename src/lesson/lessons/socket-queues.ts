// Socket queues: a UDP receive buffer that overflows, and a TCP accept queue that fills.
import { expect, ownKey, type Lesson } from '../lesson.js';
import { idleListener, nodeInBackground, pause, sendDatagrams, tcpClient } from '../traffic.js';

const DATAGRAMS = 50;
const PAYLOAD = 1000;
const UDP_PORT = 7000;
const TCP_PORT = 8000;
const BACKLOG = 1;
const CONNECTS = 4;

interface Figures {
  sent: number;
  read: number;
  connected: number;
}

/**
 * A UDP socket with a small receive buffer whose reader is busy (its event loop blocked)
 * while the datagrams arrive, then reads what the queue kept and prints how many.
 */
function slowReader(ns: string, address: string): ReturnType<typeof nodeInBackground> {
  return nodeInBackground(ns, `
    const s = require('node:dgram').createSocket({ type: 'udp4', recvBufferSize: 4096 });
    let got = 0;
    s.on('message', () => got++);
    s.bind(${UDP_PORT}, '${address}', () => {
      console.log('ready');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);   // busy elsewhere
      setTimeout(() => { console.log('read ' + got); process.exit(0); }, 300);
    });`);
}

export const socketQueues: Lesson<Figures> = {
  name: 'socket-queues',
  title: 'socket receive and accept queues',
  teaches: 'a full UDP receive buffer drops as SOCKET_RCVBUFF; a listener that never accepts queues only BACKLOG + 1 handshakes',
  script: 'socket-queues.nt',
  async traffic(s) {
    const reader = slowReader(s.nsA, s.addrA);
    await reader.ready;
    const { sent } = await sendDatagrams(s.nsB, { from: s.addrB, to: s.addrA, port: UDP_PORT, count: DATAGRAMS, payloadBytes: PAYLOAD });
    const read = Number(/read (\d+)/.exec(await reader.done)?.[1] ?? NaN);
    // A listener that never calls accept(): its accept queue fills after BACKLOG + 1.
    const server = idleListener(s.nsA, s.addrA, TCP_PORT, BACKLOG);
    await server.ready;
    let connected = 0;
    for (let i = 0; i < CONNECTS; i++) {
      // Each client gives up after 400 ms: before the 1 s SYN retransmit, so each is one attempt.
      const c = await tcpClient(s.nsB, { to: s.addrA, port: TCP_PORT, bytes: 0, timeoutMs: 400 });
      if (c.connected) connected++;
    }
    await pause(100);
    server.stop();
    return { sent, read, connected };
  },
  describe: (s, f) =>
    `${f.sent} datagrams of ${PAYLOAD} bytes to a socket on ${s.addrA}:${UDP_PORT} with SO_RCVBUF 4096 whose reader was busy (it read ${f.read} later); ` +
    `${CONNECTS} connect()s to a listener on :${TCP_PORT} (backlog ${BACKLOG}) that never accepts (${f.connected} connected)`,
  keep: (s, _map, key) => ownKey(s, key),
  read(s, maps, f) {
    return {
      findings: [
        expect(maps, `the receive buffer kept ${f.read} datagrams`, '@queued', [s.addrA, UDP_PORT], f.read),
        expect(maps, `the other ${f.sent - f.read} were dropped because it was full`, '@dropped', [s.addrB, 'SOCKET_RCVBUFF'], f.sent - f.read),
        expect(maps, `the reader read the ${f.read} it kept`, '@read', [s.addrA, UDP_PORT], f.read),
        expect(maps, `${CONNECTS} clients called connect()`, '@connects', [s.addrA, TCP_PORT], CONNECTS),
        expect(maps, `${f.connected} handshakes completed: the accept queue holds backlog + 1 = ${BACKLOG + 1}`, '@handshakes', [s.addrA, TCP_PORT], Math.min(f.connected, BACKLOG + 1)),
      ],
      explanation: [
        'SO_RCVBUF 4096 becomes 8192 bytes of buffer (the kernel doubles it for overhead), and each 1000-byte',
        `datagram costs its whole sk_buff (truesize), so only ${f.read} fit; UDP dropped the rest as they came.`,
        `The listener's accept queue holds backlog + 1 = ${BACKLOG + 1} finished handshakes; with it full, TCP ignored the`,
        'other SYNs (the clients would retry after 1 s). `ss -lnt` shows the queue as Recv-Q on a listener.',
        'When the listener closed, the kernel freed what its queued connections had received (QUEUE_PURGE).',
      ],
    };
  },
};
