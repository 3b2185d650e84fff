// The TCP state machine: one connection, both ends, every transition.
import { expect, ownKey, type Finding, type Lesson } from '../lesson.js';
import { pause, tcpClient, tcpServer } from '../traffic.js';

const PORT = 8080;

const CLIENT = [['CLOSE', 'SYN_SENT'], ['SYN_SENT', 'ESTABLISHED'], ['ESTABLISHED', 'FIN_WAIT1'], ['FIN_WAIT1', 'FIN_WAIT2'], ['FIN_WAIT2', 'CLOSE']];
const SERVER = [['SYN_RECV', 'ESTABLISHED'], ['ESTABLISHED', 'CLOSE_WAIT'], ['CLOSE_WAIT', 'LAST_ACK'], ['LAST_ACK', 'CLOSE']];

export const tcpStates: Lesson<{ clientPort: number }> = {
  name: 'tcp-states',
  title: 'the TCP state machine',
  teaches: 'sock:inet_sock_set_state shows both ends of one connection go through the handshake, data and close',
  script: 'tcp-states.nt',
  async traffic(s) {
    const server = tcpServer(s.nsA, s.addrA, PORT);
    await server.ready;
    const { port } = await tcpClient(s.nsB, { to: s.addrA, port: PORT, bytes: 100 });
    await pause(200);
    server.stop();
    return { clientPort: port };
  },
  describe: (s, f) => `one TCP connection from ${s.addrB}:${f.clientPort} to a server on ${s.addrA}:${PORT}: 100 bytes, then the client closes`,
  keep: (s, map, key) => map === '@ipv4' && ownKey(s, key),
  read(s, maps, f) {
    const findings: Finding[] = [
      ...CLIENT.map(([from, to]) => expect(maps, `the client moved ${from} -> ${to} once`, '@ipv4', [s.addrB, s.addrA, PORT, `TCP_${from}`, `TCP_${to}`], 1)),
      ...SERVER.map(([from, to]) => expect(maps, `the server's socket moved ${from} -> ${to} once`, '@ipv4', [s.addrA, s.addrB, f.clientPort, `TCP_${from}`, `TCP_${to}`], 1)),
    ];
    return {
      findings,
      explanation: [
        'connect() sent a SYN (CLOSE -> SYN_SENT); the SYN-ACK made the client ESTABLISHED, and its ACK',
        'turned the server\'s request socket (born in SYN_RECV, never CLOSE) into an ESTABLISHED one.',
        'The client closed first: its FIN took it to FIN_WAIT1, the ACK to FIN_WAIT2; the server saw the',
        'FIN (CLOSE_WAIT), closed too (LAST_ACK) and the final ACK ended both (TIME_WAIT is not a socket',
        'state change here: the kernel replaces the socket by a small timewait entry).',
      ],
    };
  },
};
