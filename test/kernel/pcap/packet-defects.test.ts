// The packet-model defects the pcap differential test found, each on crafted frames:
// VLAN stacks that xdp and tc must walk alike (three tags; the 0x9100 and 0x88a8 TPIDs),
// a VLAN tag cut short (eth.proto is missing, not 0), and one truncation rule for every
// header (present from its first byte; a field when all its bytes are there), so a frame
// that ends with its IP header, or whose IHL points past its end, has no tcp.
//
// xdp and tc are compared on real frames replayed over the test's veth (at tc the kernel
// has moved the outer 802.1Q/802.1ad tag into the metadata); the cut-short tags, which the
// kernel frees before tc, run at xdp through BPF_PROG_TEST_RUN.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { requireRoot } from '../../helpers/netns.js';
import { loadForTestRun, TEST_IFACE, type TestRunProgram } from '../packet/test-run.js';
import { readPcap, writePcap } from './pcap-file.js';
import { createReplayLink, type ReplayLink } from './replay-link.js';

const MACS = Buffer.from([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]);
const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);

/** Ethernet with the given tags ([TPID, id] from the outside in) and EtherType, then `body`. */
function frame(tags: [number, number][], etherType: number, body: Buffer): Buffer {
  const fields = [...tags.map(([tpid]) => tpid), etherType];
  const parts = [MACS, u16(fields[0])];
  tags.forEach(([, id], i) => parts.push(u16(id), u16(fields[i + 1])));
  return Buffer.concat([...parts, body]);
}

/** An IPv4 header (20 bytes, or `ihl` words as the header says) with protocol `proto`. */
function ipv4(proto: number, ihl = 5, totalLength = 60): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x40 | ihl;
  h.writeUInt16BE(totalLength, 2);
  h[8] = 64;
  h[9] = proto;
  Buffer.from([198, 18, 0, 1, 198, 18, 0, 2]).copy(h, 12);
  return h;
}
const udp = Buffer.from([0x13, 0x88, 0x00, 0x35, 0x00, 0x10, 0, 0]); // 5000 -> 53

const FRAMES = [
  frame([[0x8100, 11], [0x8100, 12], [0x8100, 13]], 0x0800, Buffer.concat([ipv4(17), udp])), // three tags
  frame([[0x88a8, 21], [0x8100, 22]], 0x0800, Buffer.concat([ipv4(17), udp])), // 802.1ad QinQ
  frame([[0x9100, 31]], 0x0800, Buffer.concat([ipv4(17), udp])), // the pre-standard TPID
  frame([[0x8100, 41]], 0x0800, ipv4(6)), // ends with its IP header
  frame([[0x8100, 42]], 0x0800, Buffer.concat([ipv4(6, 15), Buffer.alloc(10)])), // IHL 60 bytes, 30 there
  frame([[0x8100, 43]], 0x0800, Buffer.concat([ipv4(17), udp.subarray(0, 2)])), // 2 bytes of UDP
  frame([[0x9100, 51], [0x8100, 52], [0x8100, 53]], 0x0800, Buffer.concat([ipv4(17), udp])), // three, 0x9100 outside
];

/** The outer VLAN ids of the frames tcpdump's filter selects from `file`. */
function tcpdumpSelects(file: string, filter: string): number[] {
  const out = execFileSync('tcpdump', ['-r', file, '-w', '-', filter], { stdio: ['ignore', 'pipe', 'pipe'] });
  return readPcap(out).map((f) => f.readUInt16BE(14) & 0xfff);
}

const PROGRAM_BODY = (m: string) => `{
  @${m}_proto[vlan.id, eth.proto] = count();
  @${m}_headers[vlan.id, ip, tcp, udp] = count();
  @${m}_sport[vlan.id, udp.sport] = count();
  @${m}_pcap[vlan.id, pcap("vlan and udp")] = count();
}`;

let dir: string;
let link: ReplayLink | undefined;
let cli: RunningCli | undefined;
let program: TestRunProgram | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ntc-defects-'));
});
afterEach(() => {
  program?.close();
  program = undefined;
});
afterAll(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('xdp and tc walk the same VLAN tags and apply one truncation rule', () => {
  it('crafted frames replayed over a veth give the same keys at xdp and at tc ingress', { timeout: 120_000 }, async () => {
    writeFileSync(join(dir, 'frames.pcap'), writePcap(FRAMES));
    link = createReplayLink(dir);
    const l = link;
    cli = startCli(['--no-cache', '-e', `xdp:${l.rootIf} ${PROGRAM_BODY('x')} tc:${l.rootIf}:ingress ${PROGRAM_BODY('t')}`]);
    await cli.waitFor('Attaching 2 probes...', 60_000);
    l.replay(join(dir, 'frames.pcap'));
    await sleep(500);
    cli.child.kill('SIGINT');
    expect(await cli.exited, cli.stderr()).toBe(0);
    const lines = cli.stdout().split('\n').filter((x) => x.startsWith('@'));
    const of = (m: string) => lines.filter((x) => x.startsWith(`@${m}_`)).map((x) => x.slice(m.length + 2)).sort();
    // The same answers at both hooks, frame for frame...
    expect(of('t')).toEqual(of('x'));
    // ...and the right ones. pcap("vlan and udp") is checked against tcpdump on the same file.
    expect(tcpdumpSelects(join(dir, 'frames.pcap'), 'vlan and udp')).toEqual([31, 43]);
    expect(of('x')).toEqual(
      [
        // Two tags are walked (at tc the one in the metadata counts): behind the third
        // tag's TPID nothing is parsed, at xdp and at tc alike.
        // (libpcap's `vlan and udp` looks for UDP behind exactly one tag: false for two or three.)
        'proto[11, vlan]: 1', 'headers[11, false, false, false]: 1', 'pcap[11, false]: 1',
        'proto[21, ipv4]: 1', 'headers[21, true, false, true]: 1', 'sport[21, 5000]: 1', 'pcap[21, false]: 1',
        // 0x9100 is a VLAN tag, as for tcpdump.
        'proto[31, ipv4]: 1', 'headers[31, true, false, true]: 1', 'sport[31, 5000]: 1', 'pcap[31, true]: 1',
        // Protocol 6 but not one byte of TCP: no tcp.
        'proto[41, ipv4]: 1', 'headers[41, true, false, false]: 1', 'pcap[41, false]: 1',
        // The IHL points past the end of the frame: no tcp.
        'proto[42, ipv4]: 1', 'headers[42, true, false, false]: 1', 'pcap[42, false]: 1',
        // Two bytes of UDP: udp, and udp.sport, which they hold.
        'proto[43, ipv4]: 1', 'headers[43, true, false, true]: 1', 'sport[43, 5000]: 1', 'pcap[43, true]: 1',
        'proto[51, vlan]: 1', 'headers[51, false, false, false]: 1', 'pcap[51, false]: 1',
      ].sort(),
    );
  });
});

describe('a VLAN tag cut short (xdp: the kernel frees such a frame before tc)', () => {
  const source = `xdp:${TEST_IFACE} {
    @vlan[vlan] = count();
    @zero[eth.proto == 0] = count();
    @proto[eth.proto] = count();
    @id[vlan.id] = count();
    @eth[eth] = count();
  }`;
  const counts = (f: Buffer) => {
    requireRoot();
    program = loadForTestRun(source);
    program.run(f);
    const out: Record<string, Record<string, number>> = {};
    for (const [name, entries] of program.maps()) out[name] = Object.fromEntries([...entries].map(([k, v]) => [k, Number(v)]));
    return out;
  };

  it('with its TCI but not the EtherType after it: vlan and vlan.id, and eth.proto missing (not 0)', () => {
    const cut = Buffer.concat([MACS, u16(0x8100), u16(100)]);
    expect(counts(cut)).toEqual({ vlan: { true: 1 }, zero: { false: 1 }, proto: {}, id: { '100': 1 }, eth: { true: 1 } });
  });

  it('with one byte of it: vlan, but neither vlan.id nor eth.proto', () => {
    const cut = Buffer.concat([MACS, u16(0x8100), Buffer.from([0])]);
    expect(counts(cut)).toEqual({ vlan: { true: 1 }, zero: { false: 1 }, proto: {}, id: {}, eth: { true: 1 } });
  });
});
