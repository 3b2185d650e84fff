// Every lesson in stdlib/, run as a user runs it (`nettrace stdlib/NAME.nt [IFACE]`) under
// traffic the case makes on its own veth pair, with the exact output that traffic means
// (as test/kernel/packet/stdlib.test.ts and test/kernel/tracing/stdlib.test.ts check on
// the host). A lesson that reads a tracepoint argument this kernel's tracepoint does not
// have (its tracefs format is the probe) must be refused with NT0302.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assert, expectContains, expectStdout, expectSuccess } from '../runner/expect.js';
import { inNamespace, ping, randomPort, sendUdp, tcpAttempt, tcpClient, tcpCounter, tcpServer, udpSink } from '../runner/net.js';

const STDLIB = fileURLToPath(new URL('../../../stdlib/', import.meta.url));
const script = (name) => `${STDLIB}${name}`;

/**
 * NT0302 when the lesson reads an argument its tracepoint does not have on this kernel
 * (the tracepoint's tracefs format says which it has), nothing otherwise.
 */
function missingField(name) {
  const code = readFileSync(script(name), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const [, category, event] = /tracepoint:(\w+):(\w+)/.exec(code) ?? [];
  const format = readFileSync(`/sys/kernel/tracing/events/${category}/${event}/format`, 'utf8');
  const fields = new Set([...format.matchAll(/field:[^;]*?(\w+)(\[\d*\])?;/g)].map((m) => m[1]));
  return [...code.matchAll(/\bargs\.(\w+)/g)].some((m) => !fields.has(m[1])) ? 'NT0302' : undefined;
}

/** A lesson on the link's root end, under `traffic`; UDP to the root end lands in a socket. */
async function packetLesson(t, name, traffic) {
  const l = t.link();
  t.defer(await udpSink(l.rootAddr, 7000));
  const r = await t.trace([script(name), l.rootIf], () => traffic(l));
  return { r, l };
}

const lessons = [
  {
    name: 'stdlib top-talkers.nt',
    kind: 'stdlib lessons',
    async run(t) {
      const { r, l } = await packetLesson(t, 'top-talkers.nt', (l) => sendUdp(l, { dest: l.rootAddr, port: 7000, count: 10, payload: 100 }));
      // 10 frames of 14 + 20 + 8 + 100 bytes; the ARP request before them is not IP.
      // The empty @bytes6 and @packets6 print an empty line each, as in bpftrace.
      expectStdout(r, `Attaching 1 probe...\n\n\n@bytes[${l.nsAddr}]: 1420\n\n@packets[${l.nsAddr}]: 10\n\n`);
    },
  },
  {
    name: 'stdlib protocols.nt',
    kind: 'stdlib lessons',
    async run(t) {
      const { r } = await packetLesson(t, 'protocols.nt', async (l) => {
        await sendUdp(l, { dest: l.rootAddr, port: 7000, count: 5 });
        assert.equal(await ping(l, 3), 3);
      });
      // In: an ARP request (42 bytes), 5 UDP datagrams (58), 3 echo requests (98).
      // Out: the ARP reply and 3 echo replies.
      expectStdout(r, [
        'Attaching 2 probes...', '', '',
        '@bytes[egress]: 336', '@bytes[ingress]: 626',
        '@other[egress, arp]: 1', '@other[ingress, arp]: 1',
        '@packets[egress, icmp]: 3', '@packets[ingress, icmp]: 3', '@packets[ingress, udp]: 5', '',
      ].join('\n'));
    },
  },
  {
    name: 'stdlib rx-sizes.nt',
    kind: 'stdlib lessons',
    async run(t) {
      const { r, l } = await packetLesson(t, 'rx-sizes.nt', async (l) => {
        await sendUdp(l, { dest: l.rootAddr, port: 7000, count: 10, payload: 100 }); // 142 bytes
        await sendUdp(l, { dest: l.rootAddr, port: 7000, count: 4, payload: 1000 }); // 1042 bytes
      });
      // Plus the ARP request (42 bytes) that comes first.
      expectStdout(r, [
        'Attaching 1 probe...', '', '',
        `@rx_size[${l.ifindex}]: `,
        '[32, 64)               1 |@@@@@                                               |',
        '[64, 128)              0 |                                                    |',
        '[128, 256)            10 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|',
        '[256, 512)             0 |                                                    |',
        '[512, 1K)              0 |                                                    |',
        '[1K, 2K)               4 |@@@@@@@@@@@@@@@@@@@@                                |',
        '', '',
      ].join('\n'));
    },
  },
  {
    name: 'stdlib drops.nt',
    kind: 'stdlib lessons',
    refusal: () => missingField('drops.nt'),
    async run(t) {
      const l = t.link();
      const r = await t.trace([script('drops.nt')], () => sendUdp(l, { dest: l.rootAddr, port: randomPort(), count: 6 }));
      expectSuccess(r);
      expectContains(r.stdout, `@sources[${l.nsAddr}, NO_SOCKET]: 6\n`);
    },
  },
  {
    name: 'stdlib tcp-states.nt',
    kind: 'stdlib lessons',
    refusal: () => missingField('tcp-states.nt'),
    async run(t) {
      const l = t.link();
      const port = randomPort();
      t.defer(await tcpServer(l.rootAddr, port));
      let clientPort = 0;
      const r = await t.trace([script('tcp-states.nt')], async () => {
        clientPort = await tcpClient(l, l.rootAddr, port);
      }, 1000);
      expectSuccess(r);
      // The client (in the namespace) connects and closes first; the server's socket for
      // the connection is born in SYN_RECV and closes second.
      const client = [['CLOSE', 'SYN_SENT'], ['SYN_SENT', 'ESTABLISHED'], ['ESTABLISHED', 'FIN_WAIT1'], ['FIN_WAIT1', 'FIN_WAIT2'], ['FIN_WAIT2', 'CLOSE']];
      const server = [['SYN_RECV', 'ESTABLISHED'], ['ESTABLISHED', 'CLOSE_WAIT'], ['CLOSE_WAIT', 'LAST_ACK'], ['LAST_ACK', 'CLOSE']];
      for (const [from, to] of client) expectContains(r.stdout, `@ipv4[${l.nsAddr}, ${l.rootAddr}, ${port}, TCP_${from}, TCP_${to}]: 1\n`);
      for (const [from, to] of server) expectContains(r.stdout, `@ipv4[${l.rootAddr}, ${l.nsAddr}, ${clientPort}, TCP_${from}, TCP_${to}]: 1\n`);
    },
  },
  {
    name: 'stdlib retransmits.nt',
    kind: 'stdlib lessons',
    async run(t) {
      const l = t.link();
      // A destination on the link that never answers: SYNs go out of the namespace to a
      // MAC nobody has. tcp_syn_retries=1 (per namespace) makes connect() give up after
      // a few seconds; how many SYNs were sent again by then depends on the kernel's
      // timer schedule, and the namespace's own counter (fresh at 0) says how many.
      const blackhole = `198.19.255.${1 + Math.floor(Math.random() * 250)}`;
      await inNamespace(l, ['ip', 'route', 'add', `${blackhole}/32`, 'dev', l.nsIf]);
      await inNamespace(l, ['ip', 'neigh', 'add', blackhole, 'lladdr', '02:00:00:00:00:01', 'dev', l.nsIf, 'nud', 'permanent']);
      await inNamespace(l, ['sysctl', '-qw', 'net.ipv4.tcp_syn_retries=1']);
      const port = randomPort();
      let outcome = '';
      const r = await t.trace([script('retransmits.nt')], async () => {
        outcome = await tcpAttempt(l, blackhole, port);
      });
      expectSuccess(r);
      assert.equal(outcome, 'ETIMEDOUT');
      const retransmitted = await tcpCounter(l, 'RetransSegs');
      assert.ok(retransmitted > 0, 'no SYN was sent again');
      expectContains(r.stdout, `@retransmits[${blackhole}, ${port}, TCP_SYN_SENT]: ${retransmitted}\n`);
    },
  },
];

/**
 * The scripts `nettrace lesson` runs (src/lesson/), beyond the ones above: the host's
 * test/kernel/lesson/lessons.test.ts asserts their exact figures in a lesson's sandbox;
 * here each must pass the verifier on this kernel's veth (`--dry-run`), or be refused
 * because the kernel lacks a tracepoint it names (NT0204) or a field it reads (NT0302).
 */
function refusalOf(name) {
  const code = readFileSync(script(name), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  let missingField = false;
  // Each block: its probe line, then its body up to the next probe at the start of a line.
  for (const block of code.split(/\n(?=[a-z]+:)/)) {
    const [, category, event] = /^tracepoint:(\w+):(\w+)/.exec(block.trim()) ?? [];
    if (!category) continue;
    let format;
    try {
      format = readFileSync(`/sys/kernel/tracing/events/${category}/${event}/format`, 'utf8');
    } catch {
      return 'NT0204';
    }
    const fields = new Set([...format.matchAll(/field:[^;]*?(\w+)(\[\d*\])?;/g)].map((m) => m[1]));
    if ([...block.matchAll(/\bargs\.(\w+)/g)].some((m) => !fields.has(m[1]))) missingField = true;
  }
  return missingField ? 'NT0302' : undefined;
}

for (const [name, unsafe] of [
  ['rx-path.nt'], ['tx-path.nt'], ['syn-flood.nt', true], ['qdisc.nt'], ['napi.nt'],
  ['neighbours.nt'], ['routes.nt'], ['socket-queues.nt'], ['stage-latency.nt'],
]) {
  lessons.push({
    name: `stdlib ${name}`,
    kind: 'stdlib lessons',
    refusal: () => refusalOf(name),
    async run(t) {
      const l = t.link();
      const r = await t.run(['--dry-run', ...(unsafe ? ['--unsafe'] : []), script(name), l.rootIf]);
      expectSuccess(r);
      expectContains(r.stdout, 'program(s) verified, nothing attached');
    },
  });
}

// A lesson added to stdlib/ without a case here must fail the matrix, not go unnoticed.
const covered = new Set(lessons.map((c) => c.name.replace('stdlib ', '')));
const missing = readdirSync(STDLIB).filter((f) => f.endsWith('.nt') && !covered.has(f));
export default missing.length
  ? [...lessons, { name: `stdlib: ${missing.join(', ')}`, kind: 'stdlib lessons', run: () => assert.fail(`no matrix case for ${missing.join(', ')}`) }]
  : lessons;
