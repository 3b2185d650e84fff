// Issue 12 made the XDP one-liner's code shorter; these are the answers it must keep.
// - count() inserts a new key with BPF_ANY and no second lookup (codegen/aggregate.ts):
//   exact when two CPUs create the same keys at the same moment.
// - A full map's refusals are counted with one atomic add into a shared array
//   (codegen/map-full.ts): exact when two CPUs are refused at once.
// - The VLAN walk tests each tag whole and in network order, carries the pointer it
//   checked to the field read, and a field read no longer waits for the prologue's
//   first-byte check (codegen/packet.ts): the same frames count, 802.1Q, 802.1ad and
//   0x9100 tags, two deep, and frames cut short do not.
// Two CPUs run the same loaded program at once through `bpftool prog run` pinned with
// taskset (BPF_PROG_TEST_RUN runs the program on the calling CPU).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireRoot } from '../../helpers/netns.js';
import { ethernet, ipv4, udp, type Layer } from './frames.js';
import { loadForTestRun, TEST_IFACE, type TestRunProgram } from './test-run.js';

const XDP = `xdp:${TEST_IFACE}`;

let program: TestRunProgram | undefined;
let dir: string | undefined;
afterEach(() => {
  program?.close();
  program = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs program `id` `repeat` times on `frame` on CPU 0 and on CPU 1 at the same time. */
async function runOnTwoCpus(id: number, frame: Buffer, repeat: number): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'nxq-count-'));
  const file = join(dir, 'frame.bin');
  writeFileSync(file, frame);
  const run = (cpu: number) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('taskset', ['-c', String(cpu), 'bpftool', 'prog', 'run', 'id', String(id), 'data_in', file, 'repeat', String(repeat)], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bpftool prog run on CPU ${cpu} exited ${code}: ${stderr}`))));
    });
  // This machine has two CPUs; on one, both runs share it and the counts must still add up.
  await Promise.all([run(0), run(availableParallelism() > 1 ? 1 : 0)]);
}

function total(entries: Map<string, bigint> | undefined): bigint {
  return [...(entries ?? new Map<string, bigint>()).values()].reduce((a, b) => a + b, 0n);
}

const FRAME = ethernet(ipv4({ src: '198.18.0.1', dst: '198.18.0.2' }, udp(1000, 2000)));

describe('count() from two CPUs at once', () => {
  // A new key about every microsecond (the key is the time): both CPUs keep finding keys
  // the other one is creating, and each key's first count goes through the insert path.
  it('new keys created by both CPUs at the same moment: no count lost', async () => {
    requireRoot();
    const repeat = 400_000;
    program = loadForTestRun(`${XDP} { @[(nsecs >> 10) & 8191] = count() }`);
    await runOnTwoCpus(program.programIds()[0], FRAME, repeat);
    const keys = program.maps().get('')!;
    // Many keys, so many inserts: the test exercises the path it is about.
    expect(keys.size).toBeGreaterThan(1000);
    expect(program.refused()).toEqual(new Map());
    expect(total(keys)).toBe(BigInt(2 * repeat));
  });

  it('a full map: every update is counted or its refusal is, exactly', async () => {
    requireRoot();
    const repeat = 400_000;
    program = loadForTestRun(`${XDP} { @[nsecs >> 10] = count() }`, { maxEntries: 64 });
    await runOnTwoCpus(program.programIds()[0], FRAME, repeat);
    const keys = program.maps().get('')!;
    const refused = program.refused().get('') ?? 0n;
    expect(keys.size).toBe(64);
    expect(refused).toBeGreaterThan(100_000n);
    expect(total(keys) + refused).toBe(BigInt(2 * repeat));
  });
});

/** A frame with VLAN tags of the given TPIDs (outermost first) before `payload`; `cut` bytes kept, if given. */
function tagged(tpids: number[], payload: Layer, cut?: number): Buffer {
  const plain = ethernet(payload);
  const tags = Buffer.alloc(4 * tpids.length);
  tpids.forEach((tpid, i) => {
    tags.writeUInt16BE(tpid, 4 * i);
    tags.writeUInt16BE(100 + i, 4 * i + 2);
  });
  const frame = Buffer.concat([plain.subarray(0, 12), tags, plain.subarray(12)]);
  return cut === undefined ? frame : frame.subarray(0, cut);
}

describe('@[ip.src] = count() on VLAN stacks and short frames', () => {
  const ip = (n: number) => ipv4({ src: `198.18.1.${n}`, dst: '198.18.0.2' }, udp(1000, 2000));
  const frames: [string, Buffer][] = [
    ['untagged', tagged([], ip(1))],
    ['802.1Q', tagged([0x8100], ip(2))],
    ['802.1ad outside 802.1Q', tagged([0x88a8, 0x8100], ip(3))],
    ['0x9100', tagged([0x9100], ip(4))],
    ['two 802.1Q', tagged([0x8100, 0x8100], ip(5))],
    ['0x9100 outside 802.1ad', tagged([0x9100, 0x88a8], ip(6))],
    // Not counted: a third tag is past the two the model walks (ip is then missing) ...
    ['three tags', tagged([0x8100, 0x8100, 0x8100], ip(7))],
    // ... a tag cut short (one byte of it, then three) ...
    ['a tag cut after 1 byte', tagged([0x8100], ip(8), 15)],
    ['the second tag cut after 3 bytes', tagged([0x88a8, 0x8100], ip(9), 21)],
    // ... and an IPv4 header that ends before the source address, or has not one byte.
    ['IPv4 cut at 12 bytes', tagged([], ip(10), 14 + 12)],
    ['IPv4 behind a tag cut at 15 bytes', tagged([0x8100], ip(11), 18 + 15)],
    ['no byte of IPv4', tagged([], ip(12), 14)],
  ];

  it('counts ip.src behind up to two tags of any TPID, as the packet model says', () => {
    requireRoot();
    program = loadForTestRun(`${XDP} { @[ip.src] = count() }`);
    for (const [, frame] of frames) program.run(frame);
    expect(Object.fromEntries(program.maps().get('')!)).toEqual({
      '198.18.1.1': 1n, '198.18.1.2': 1n, '198.18.1.3': 1n, '198.18.1.4': 1n, '198.18.1.5': 1n, '198.18.1.6': 1n,
    });
  });

  it('the same frames where the program also reads the tags (the full walk) give the same ip.src answers', () => {
    requireRoot();
    program = loadForTestRun(`${XDP} { @[ip.src, vlan ? vlan.tpid : 0, vlan[1] ? vlan[1].id : 0] = count(); @ip[ip] = count(); @tag[vlan] = count() }`);
    for (const [, frame] of frames) program.run(frame);
    const maps = program.maps();
    expect(Object.fromEntries(maps.get('')!)).toEqual({
      '198.18.1.1, 0, 0': 1n,
      '198.18.1.2, 33024, 0': 1n,
      '198.18.1.3, 34984, 101': 1n,
      '198.18.1.4, 37120, 0': 1n,
      '198.18.1.5, 33024, 101': 1n,
      '198.18.1.6, 37120, 101': 1n,
    });
    // `ip` alone still needs the header's first byte: the 12-byte and 15-byte IPv4 headers
    // have ip (their fields do not), the frame that ends with its EtherType has not.
    expect(Object.fromEntries(maps.get('ip')!)).toEqual({ true: 8n, false: 4n });
    // A tag counts from its first byte: the cut tags are tags.
    expect(Object.fromEntries(maps.get('tag')!)).toEqual({ true: 9n, false: 3n });
  });
});
