// capture() with -w on every kernel: at xdp (bpf_xdp_load_bytes, 5.18: refused with
// NT0442 before), at tc ingress, and at kfree_skb through the sk_buff (the drop reason in
// the comment where the tracepoint has one, 5.17). tcpdump -r reads the file; the frame
// count and lengths are what the case sent.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, expectSuccess } from '../runner/expect.js';
import { randomPort, sendUdp } from '../runner/net.js';

const COUNT = 5;
const PAYLOAD = 100;

/** `LENGTH` of each frame tcpdump -r reads (-e: the Ethernet length). */
function frameLengths(file) {
  const out = execFileSync('tcpdump', ['-nn', '-e', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trim().split('\n').filter(Boolean).map((l) => Number(/length (\d+):/.exec(l)?.[1]));
}

/** The pcapng comments in the file (option 1 of each enhanced packet block). */
function comments(file) {
  const bytes = readFileSync(file);
  const found = [];
  for (let at = 0; at < bytes.length; at += bytes.readUInt32LE(at + 4)) {
    if (bytes.readUInt32LE(at) !== 6) continue;
    let o = at + 28 + ((bytes.readUInt32LE(at + 20) + 3) & ~3);
    for (; bytes.readUInt16LE(o) !== 0; o += 4 + ((bytes.readUInt16LE(o + 2) + 3) & ~3)) {
      if (bytes.readUInt16LE(o) === 1) found.push(bytes.subarray(o + 4, o + 4 + bytes.readUInt16LE(o + 2)).toString());
    }
  }
  return found;
}

function captureCase(name, kind, program, refusal, check) {
  return {
    name,
    kind,
    ...(refusal && { refusal }),
    async run(t) {
      const l = t.link();
      const port = randomPort();
      const file = join(mkdtempSync(join(tmpdir(), 'ntk-capture-')), 'out.pcapng');
      const r = await t.trace(['-w', file, '-e', program(l, port)], () => sendUdp(l, { dest: l.rootAddr, port, count: COUNT, payload: PAYLOAD }));
      expectSuccess(r);
      assert.match(r.stderr, new RegExp(`${COUNT} packets captured to `));
      assert.deepStrictEqual(frameLengths(file), Array(COUNT).fill(PAYLOAD + 42));
      check?.(comments(file));
    },
  };
}

const hasReason = () => readFileSync('/sys/kernel/tracing/events/skb/kfree_skb/format', 'utf8').includes('skb_drop_reason reason');

export default [
  captureCase('capture: xdp -w', 'xdp', (l, port) => `xdp:${l.rootIf} { if (udp.dport == ${port}) { capture() } }`, (f) => (f.xdpLoadBytes ? undefined : 'NT0442'), (c) =>
    assert.ok(c.every((x) => x.includes('direction in')), c.join('\n')),
  ),
  captureCase('capture: tc ingress -w', 'tc', (l, port) => `tc:${l.rootIf}:ingress { if (udp.dport == ${port}) { capture() } }`),
  captureCase(
    'capture: kfree_skb capture(SKB) -w',
    'tracepoint',
    (l, port) => `tracepoint:skb:kfree_skb { $s = (struct sk_buff *)args.skbaddr; if ($s.udp.dport == ${port}) { capture($s) } }`,
    undefined,
    (c) => assert.ok(c.every((x) => (hasReason() ? /reason NO_SOCKET/.test(x) : !x.includes('reason'))), c.join('\n')),
  ),
];
