// The tracing lessons in stdlib/, run as a user runs them (`nettrace stdlib/NAME.nt`), in
// the root namespace, under traffic the test makes between its own namespace and the
// root end of its veth pair. Tracepoints see the whole machine, so the assertions pick
// out the lines keyed by the test's own addresses and ports, and those must be exact.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestLink, type TestLink } from '../../helpers/netns.js';
import { randomPort, tcpAttemptFromNamespace, tcpClientFromNamespace, tcpServer, traceDuring, udpFromNamespace } from './traffic.js';

let link: TestLink | undefined;

afterEach(() => {
  link?.destroy();
  link = undefined;
});

const script = (name: string) => new URL(`../../../stdlib/${name}`, import.meta.url).pathname;

describe('stdlib tracing lessons', () => {
  it('each opens with a comment on where its hook sits and how to read the output', () => {
    for (const name of ['drops.nt', 'tcp-states.nt', 'retransmits.nt']) {
      const text = readFileSync(script(name), 'utf8');
      expect(text.startsWith('//'), name).toBe(true);
      expect(text, name).toMatch(/Where the hooks? sits?:/);
      expect(text, name).toContain('How to read it:');
    }
  });

  it('drops.nt: UDP to a closed port is dropped as NO_SOCKET, by sender', async () => {
    link = createTestLink();
    const { nsAddr, rootAddr } = link;
    const { stdout, code } = await traceDuring([script('drops.nt')], () => udpFromNamespace(link!, rootAddr, randomPort(), 6));
    expect(code).toBe(0);
    expect(stdout).toContain(`@sources[${nsAddr}, NO_SOCKET]: 6\n`);
    expect(stdout).toMatch(/@drops\[NO_SOCKET\]: \d+\n/);
  });

  it('tcp-states.nt: both ends of a real connection move through the state machine', async () => {
    link = createTestLink();
    const { nsAddr, rootAddr } = link;
    const port = randomPort();
    const server = await tcpServer(rootAddr, port);
    let clientPort = 0;
    try {
      const { stdout } = await traceDuring([script('tcp-states.nt')], async () => {
        clientPort = await tcpClientFromNamespace(link!, rootAddr, port);
      }, 500);
      // The client (in the namespace) connects and closes first.
      for (const [from, to] of [
        ['CLOSE', 'SYN_SENT'],
        ['SYN_SENT', 'ESTABLISHED'],
        ['ESTABLISHED', 'FIN_WAIT1'],
        ['FIN_WAIT1', 'FIN_WAIT2'],
        ['FIN_WAIT2', 'CLOSE'],
      ]) {
        expect(stdout).toContain(`@ipv4[${nsAddr}, ${rootAddr}, ${port}, TCP_${from}, TCP_${to}]: 1\n`);
      }
      // The server's socket for this connection is born in SYN_RECV and closes second.
      for (const [from, to] of [
        ['SYN_RECV', 'ESTABLISHED'],
        ['ESTABLISHED', 'CLOSE_WAIT'],
        ['CLOSE_WAIT', 'LAST_ACK'],
        ['LAST_ACK', 'CLOSE'],
      ]) {
        expect(stdout).toContain(`@ipv4[${rootAddr}, ${nsAddr}, ${clientPort}, TCP_${from}, TCP_${to}]: 1\n`);
      }
      expect(stdout).toMatch(/@transitions\[TCP_SYN_SENT, TCP_ESTABLISHED\]: \d+\n/);
    } finally {
      server.close();
    }
  });

  it('retransmits.nt: a SYN nobody answers is retransmitted in SYN_SENT', async () => {
    link = createTestLink();
    // A destination on the link that never answers: a static neighbour entry sends the
    // SYNs out of the namespace to a MAC nobody has. This kernel retransmits an
    // unanswered SYN after 1 s, 2 s, 3 s and 4 s (net.ipv4.tcp_syn_linear_timeouts=4,
    // set here explicitly): a client that gives up after 2.5 s has sent exactly two.
    const blackhole = `198.19.255.${1 + Math.floor(Math.random() * 250)}`;
    link.exec('ip', ['route', 'add', `${blackhole}/32`, 'dev', link.nsIf]);
    link.exec('ip', ['neigh', 'add', blackhole, 'lladdr', '02:00:00:00:00:01', 'dev', link.nsIf, 'nud', 'permanent']);
    link.exec('sysctl', ['-qw', 'net.ipv4.tcp_syn_linear_timeouts=4']);
    const port = randomPort();
    let outcome = '';
    const { stdout } = await traceDuring([script('retransmits.nt')], async () => {
      outcome = await tcpAttemptFromNamespace(link!, blackhole, port, 2500);
    });
    expect(outcome).toBe('gave up');
    expect(stdout).toContain(`@retransmits[${blackhole}, ${port}, TCP_SYN_SENT]: 2\n`);
  });
});
