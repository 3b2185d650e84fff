// Retransmits: a SYN sent into a dead link is sent again until the link comes back.
import { spawnSync } from 'node:child_process';
import { expect, ownKey, type Lesson } from '../lesson.js';
import type { Sandbox } from '../sandbox.js';
import { pause, startTcpClient, tcpServer } from '../traffic.js';

const PORT = 8080;
const OUTAGE_MS = 2500;

/** How loss is made: netem where the kernel has sch_netem, otherwise the link taken down. */
type Loss = 'netem' | 'link-down';

function probeNetem(s: Sandbox): boolean {
  // A qdisc that loses nothing yet: if the kernel has netem, this succeeds (and stays until the outage).
  return spawnSync('ip', ['netns', 'exec', s.nsB, 'tc', 'qdisc', 'add', 'dev', s.ifB, 'root', 'netem', 'loss', '0%'], { stdio: 'ignore' }).status === 0;
}

function loseEverything(s: Sandbox, loss: Loss, on: boolean): void {
  if (loss === 'netem') s.exec(s.nsB, 'tc', ['qdisc', 'change', 'dev', s.ifB, 'root', 'netem', 'loss', on ? '100%' : '0%']);
  else s.exec(s.nsA, 'ip', ['link', 'set', s.ifA, on ? 'down' : 'up']);
}

interface Figures {
  loss: Loss;
  linear: boolean;
  connectMs: number;
  connected: boolean;
  expected: number;
}

export const retransmits: Lesson<Figures> = {
  name: 'retransmits',
  title: 'retransmits: a SYN into a dead link',
  teaches: 'tcp:tcp_retransmit_skb fires for each SYN TCP sends again while packets are lost; the timer sets how many',
  script: 'retransmits.nt',
  async traffic(s) {
    const loss: Loss = probeNetem(s) ? 'netem' : 'link-down';
    // Retransmit an unanswered SYN after 1 s, 2 s, 3 s, 4 s (linear) where the kernel can
    // (net.ipv4.tcp_syn_linear_timeouts, 6.5+); otherwise after 1 s, 3 s, 7 s (doubling).
    const linear = s.tryExec(s.nsB, 'sysctl', ['-qw', 'net.ipv4.tcp_syn_linear_timeouts=4']);
    const server = tcpServer(s.nsA, s.addrA, PORT);
    await server.ready;
    loseEverything(s, loss, true);
    const client = startTcpClient(s.nsB, { to: s.addrA, port: PORT, bytes: 10, timeoutMs: 9000 });
    // The outage is timed from the first SYN, as the retransmits are.
    await client.connecting;
    await pause(OUTAGE_MS);
    loseEverything(s, loss, false);
    const { connectMs, connected } = await client.result;
    server.stop();
    // SYNs retransmitted by the end of the outage, plus the one that got through.
    const expected = linear ? Math.floor(OUTAGE_MS / 1000) + 1 : 2;
    return { loss, linear, connectMs, connected, expected };
  },
  describe: (s, f) =>
    `${s.addrB} connects to ${s.addrA}:${PORT} while ${f.loss === 'netem' ? 'netem loses every packet' : `${s.ifA} is down (no netem in this kernel)`} for ${OUTAGE_MS / 1000} s; connected after ${f.connectMs} ms`,
  keep: (s, _map, key) => ownKey(s, key),
  read(s, maps, f) {
    return {
      findings: [expect(maps, `the SYN was sent again ${f.expected} times before the connection ${f.connected ? 'was made' : 'gave up'}`, '@retransmits', [s.addrA, PORT, 'TCP_SYN_SENT'], f.expected)],
      explanation: [
        `No SYN-ACK came while the link was dead, so TCP's retransmission timer fired: ${f.linear ? 'after 1 s, 2 s and 3 s (tcp_syn_linear_timeouts)' : 'after 1 s and 3 s, doubling each time'}.`,
        `The link came back at ${OUTAGE_MS / 1000} s, so the retransmit at 3 s was answered: connect() took ${f.connectMs} ms instead of under one.`,
        'A connection that is ESTABLISHED retransmits data the same way, with a timer from the measured round-trip time;',
        'every one adds the timer\'s wait to the application\'s latency.',
      ],
    };
  },
};
