// capture() end to end: one run captures the same UDP datagrams at xdp, at tc ingress and
// where the kernel drops them (kfree_skb: no socket listens on the port), with -w, while
// tcpdump captures them on the sending veth end inside the namespace. Real tcpdump -r and
// tshark -r must read nettrace's file and find, per probe, the same frames byte for byte
// as tcpdump's own capture, with the comments. Then `-w -` piped into tcpdump -r - and
// tshark -r -. Traffic stays between the test's namespace and its veth; neighbour entries
// are fixed, so no ARP joins the datagrams. The veth's MTU is 3000, so one datagram is
// longer than a small capture record and takes a snaplen record.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETTRACE_BIN, sleep, startCli } from '../../helpers/cli.js';
import { createTestLink, macAddress, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';
import { createKernelEngine } from '../../../src/repl/kernel-engine.js';
import { liveEnv } from '../../../src/runtime/live-env.js';
import { hasFeature } from '../../../src/runtime/features.js';
import { runCli } from '../../helpers/cli.js';
import { createReplayLink } from '../pcap/replay-link.js';
import { writePcap } from '../pcap/pcap-file.js';

const PAYLOADS = [16, 200, 1400, 2900];
const PORT = 40000 + Math.floor(Math.random() * 20000);

let link: TestLink;
const dir = mkdtempSync(join(tmpdir(), 'ncp-'));

beforeAll(() => {
  link = createTestLink('ncp');
  execFileSync('ip', ['link', 'set', link.rootIf, 'mtu', '3000']);
  link.exec('ip', ['link', 'set', link.nsIf, 'mtu', '3000']);
  execFileSync('ip', ['neigh', 'replace', link.nsAddr, 'lladdr', macAddress(link.nsIf, link.ns), 'dev', link.rootIf, 'nud', 'permanent']);
  link.exec('ip', ['neigh', 'replace', link.rootAddr, 'lladdr', macAddress(link.rootIf), 'dev', link.nsIf, 'nud', 'permanent']);
});
afterAll(() => {
  link?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function send(): void {
  for (const size of PAYLOADS) sendUdpFromNamespace(link, link.rootAddr, PORT, 1, size);
}

/**
 * tcpdump writing the frames the namespace's end sends. It stops by itself after as many
 * frames as the test sends (-c): stopped by a signal, it may leave frames in its ring
 * unread on a loaded machine. The stop function waits for that (or stops it after 10 s,
 * and the comparison then shows what it missed).
 */
async function startTcpdump(file: string): Promise<() => Promise<void>> {
  const child = spawn('ip', ['netns', 'exec', link.ns, 'tcpdump', '-c', String(PAYLOADS.length), '-i', link.nsIf, '-Q', 'out', '-U', '-s', '0', '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  for (let t = 0; !err.includes('listening on') && t < 200; t++) await sleep(50);
  if (!err.includes('listening on')) throw new Error(`tcpdump did not start: ${err}`);
  // On a loaded machine the socket may still be settling when the line comes.
  await sleep(300);
  const exited = new Promise((r) => child.on('exit', r));
  return async () => {
    const timer = setTimeout(() => child.kill('SIGINT'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}

/** Each frame as tcpdump prints it in hex (no timestamps), from a file or from stdin. */
function frames(file: string, filter: string[] = [], input?: Buffer): string[] {
  const out = execFileSync('tcpdump', ['-nn', '-t', '-x', '-r', file, ...filter], { encoding: 'utf8', input, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  return out.split(/\n(?=\S)/).map((s) => s.trim()).filter(Boolean);
}

function tshark(file: string, fields: string[]): string[][] {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])];
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}

/**
 * `cat FILE | tshark -r -`: tshark reads the stream from a real pipe (a FIFO; it refuses
 * the socket pair Node would give it as stdin).
 */
function tsharkFromPipe(file: string, fields: string[]): string[][] {
  const out = execFileSync('sh', ['-c', `cat "$0" | tshark -r - -T fields ${fields.map((f) => `-e ${f}`).join(' ')}`, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

/** capture() at xdp needs bpf_xdp_load_bytes (5.18); without it nettrace refuses it (NT0442). */
const xdpCopies = hasFeature('xdpLoadBytes');
/** The hooks the first run captures at, as their interface blocks describe them. */
/** A probe that copies whole frames on this kernel, for the runs that need only one. */
const FRAME_HOOK_OF = (ifname: string) => (xdpCopies ? `xdp:${ifname}` : `tc:${ifname}:ingress`);
const HOOKS = xdpCopies ? ['xdp', 'tc', 'tracepoint'] : ['tc', 'tracepoint'];

/** The kernel's kfree_skb tracepoint says why it dropped since 5.17; before, nothing. */
const kfreeHasReason = readFileSync('/sys/kernel/tracing/events/skb/kfree_skb/format', 'utf8').includes('skb_drop_reason reason');

describe('capture() -w at xdp, tc and kfree_skb', () => {
  const file = join(dir, 'nettrace.pcapng');
  const reference = join(dir, 'tcpdump.pcap');
  let stderr = '';
  const skbMatch = `$s = (struct sk_buff *)args.skbaddr; if ($s.udp.dport == ${PORT}) { capture($s) }`;

  beforeAll(async () => {
    const program = `${xdpCopies ? `xdp:${link.rootIf} { if (udp.dport == ${PORT}) { capture() } }` : ''}
tc:${link.rootIf}:ingress { if (udp.dport == ${PORT}) { capture() } }
tracepoint:skb:kfree_skb { ${skbMatch} }`;
    const cli = startCli(['--no-cache', '-w', file, '-e', program]);
    await cli.waitFor(`Attaching ${HOOKS.length} probes`);
    const stopTcpdump = await startTcpdump(reference);
    send();
    await sleep(500);
    await stopTcpdump();
    cli.child.kill('SIGINT');
    await cli.exited;
    stderr = cli.stderr();
  }, 60_000);

  it('tcpdump saw the datagrams, and nettrace says what it wrote', () => {
    expect(frames(reference)).toHaveLength(PAYLOADS.length);
    expect(stderr).toContain(`${HOOKS.length * PAYLOADS.length} packets captured to ${file}`);
    expect(stderr).not.toContain('NT0571');
  });

  it(`xdp: ${xdpCopies ? 'the kernel copies frames (bpf_xdp_load_bytes)' : 'this kernel cannot copy frames: NT0442'}`, async () => {
    if (xdpCopies) expect(tshark(file, ['frame.interface_description']).filter(([d]) => d === `nettrace xdp:${link.rootIf}`)).toHaveLength(PAYLOADS.length);
    // Without the helper (this kernel's own answer, or NETTRACE_DISABLE acting as an older kernel) it is refused.
    const r = await runCli(['--no-cache', '-w', join(dir, 'refused.pcapng'), '-e', `xdp:${link.rootIf} { capture() }`], { NETTRACE_DISABLE: 'xdpLoadBytes' });
    expect(r.stderr).toContain('error[NT0442]');
    expect(r.code).toBe(1);
  });

  it.each(HOOKS)('tcpdump -r reads the %s frames: the same bytes as its own capture', (probe) => {
    const described = tshark(file, ['frame.interface_description']).map(([d]) => d);
    const positions = described.flatMap((d, i) => (d.startsWith(`nettrace ${probe}`) ? [i + 1] : []));
    expect(positions).toHaveLength(PAYLOADS.length);
    const all = frames(file);
    expect(all).toHaveLength(HOOKS.length * PAYLOADS.length);
    expect(positions.map((n) => all[n - 1])).toEqual(frames(reference));
  });

  it('tshark reads the lengths and the comments: probe, direction, drop reason, netns', () => {
    const rows = tshark(file, ['frame.len', 'frame.cap_len', 'frame.comment']);
    const wire = frames(reference).length;
    expect(rows).toHaveLength(HOOKS.length * wire);
    const sizes = PAYLOADS.map((p) => String(p + 42)).sort();
    const ownNetns = String(execFileSync('stat', ['-L', '-c', '%i', '/proc/self/ns/net'], { encoding: 'utf8' }).trim());
    for (const kind of HOOKS) {
      const mine = rows.filter(([, , c]) => c.startsWith(`probe ${kind}`));
      expect(mine.map(([len]) => len).sort(), kind).toEqual(sizes);
      expect(mine.every(([len, cap]) => len === cap), kind).toBe(true);
      for (const [, , comment] of mine) {
        expect(comment).toContain(`netns ${ownNetns}`);
        if (kind !== 'tracepoint') expect(comment).toContain('direction in');
        else if (kfreeHasReason) expect(comment).toMatch(/reason NO_SOCKET \(\d+\)/);
        else expect(comment).not.toContain('reason');
      }
    }
  });

  it('the statistics blocks count no refused packets', () => {
    expect(execFileSync('capinfos', ['-M', file], { encoding: 'utf8' })).toMatch(new RegExp(`Number of packets:\\s+${HOOKS.length * PAYLOADS.length}\\b`));
  });
});

describe('capture() -w - into tcpdump -r - and tshark -r -', () => {
  it('streams pcapng on stdout and the text on stderr', async () => {
    const child = spawn(process.execPath, [NETTRACE_BIN, '--no-cache', '-w', '-', '-e', `${FRAME_HOOK_OF(link.rootIf)} { if (udp.dport == ${PORT}) { capture(); @n = count() } }`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((r) => child.on('exit', r));
    for (let t = 0; !err.includes('Attaching 1 probe') && t < 400; t++) await sleep(50);
    expect(err).toContain('Attaching 1 probe');
    const reference = join(dir, 'tcpdump-stream.pcap');
    const stopTcpdump = await startTcpdump(reference);
    send();
    await sleep(500);
    await stopTcpdump();
    child.kill('SIGINT');
    await exited;
    const stream = Buffer.concat(out);
    // Only pcapng on stdout: it starts with a section header block, and the map went to stderr.
    expect(stream.readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(err).toMatch(/@n: 4/);
    expect(frames('-', [], stream)).toEqual(frames(reference));
    const streamed = join(dir, 'stream.pcapng');
    writeFileSync(streamed, stream);
    expect(tsharkFromPipe(streamed, ['frame.len', 'frame.comment']).map(([l, c]) => [l, c.split(';')[0]])).toEqual(PAYLOADS.map((p) => [String(p + 42), `probe ${FRAME_HOOK_OF(link.rootIf)}`]));
  }, 60_000);
});

describe('capture() -w - when the reader goes away', () => {
  it('nettrace stops by itself with status 141 once tcpdump -c has had its packets', async () => {
    const errFile = join(dir, 'pipe-stderr.txt');
    writeFileSync(errFile, '');
    const script = `node "$0" --no-cache -w - -e "$1" 2>"$2" | tcpdump -c 2 -nn -r - 2>/dev/null; echo "nettrace status \${PIPESTATUS[0]}"`;
    const child = spawn('bash', ['-c', script, NETTRACE_BIN, `${FRAME_HOOK_OF(link.rootIf)} { if (udp.dport == ${PORT}) { capture() } }`, errFile], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.on('exit', r));
    for (let t = 0; !readFileSync(errFile, 'utf8').includes('Attaching') && t < 400; t++) await sleep(50);
    send();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    expect(out.split('\n').filter((l) => l.includes(`.${PORT}: UDP`))).toHaveLength(2);
    expect(out).toContain('nettrace status 141');
  }, 60_000);
});

describe('capture() --snaplen, and packets the ring refuses', () => {
  it('--snaplen 100 keeps 100 bytes of each frame and the length on the wire', async () => {
    const file = join(dir, 'snap.pcapng');
    const cli = startCli(['--no-cache', '--snaplen', '100', '-w', file, '-e', `tc:${link.rootIf}:ingress { if (udp.dport == ${PORT}) { capture() } }`]);
    await cli.waitFor('Attaching 1 probe');
    send();
    await sleep(500);
    cli.child.kill('SIGINT');
    await cli.exited;
    expect(tshark(file, ['frame.len', 'frame.cap_len'])).toEqual(PAYLOADS.map((p) => [String(p + 42), String(Math.min(100, p + 42))]));
  }, 60_000);

  it('counts them in the statistics block and reports them on stderr (NT0571)', async () => {
    // Stopped, nettrace reads nothing: the 8 MiB capture ring takes 31 records of 262184
    // bytes and refuses the rest of 40 long datagrams.
    const file = join(dir, 'refused.pcapng');
    const sent = 40;
    const cli = startCli(['--no-cache', '-w', file, '-e', `${FRAME_HOOK_OF(link.rootIf)} { if (udp.dport == ${PORT}) { capture() } }`]);
    await cli.waitFor('Attaching 1 probe');
    cli.child.kill('SIGSTOP');
    try {
      sendUdpFromNamespace(link, link.rootAddr, PORT, sent, 2900);
      await sleep(300);
    } finally {
      cli.child.kill('SIGCONT');
    }
    await sleep(500);
    cli.child.kill('SIGINT');
    await cli.exited;
    const written = tshark(file, ['frame.len']).length;
    const refused = sent - written;
    expect(written).toBe(31);
    expect(cli.stderr()).toContain(`warning[NT0571]: ${refused} packets captured at ${FRAME_HOOK_OF(link.rootIf)} were lost: the capture ring buffer was full`);
    expect(cli.stderr()).toContain(`${written} packets captured to ${file}`);
    // isb_ifdrop (option 5) in the statistics block of the probe's interface
    const bytes = readFileSync(file);
    let ifdrop: bigint | undefined;
    for (let at = 0; at < bytes.length; at += bytes.readUInt32LE(at + 4)) {
      if (bytes.readUInt32LE(at) !== 5) continue;
      for (let o = at + 20; bytes.readUInt16LE(o) !== 0; o += 4 + ((bytes.readUInt16LE(o + 2) + 3) & ~3)) {
        if (bytes.readUInt16LE(o) === 5) ifdrop = bytes.readBigUInt64LE(o + 4);
      }
    }
    expect(ifdrop).toBe(BigInt(refused));
  }, 60_000);
});

describe('.capture in the REPL', () => {
  it('writes each program that calls capture() to its own file, and refuses one without .capture', async () => {
    const engine = createKernelEngine(liveEnv);
    try {
      await engine.ready?.();
      const program = `${FRAME_HOOK_OF(link.rootIf)} { if (udp.dport == ${PORT}) { capture() } }`;
      expect(() => engine.attach(program, '<repl>')).toThrow(/NT0443|no \.capture FILE/);
      const file = join(dir, 'repl.pcapng');
      engine.capture!(file);
      const first = engine.attach(program, '<repl>');
      const second = engine.attach(`tc:${link.rootIf}:ingress { if (udp.dport == ${PORT}) { capture() } }`, '<repl>');
      send();
      await sleep(500);
      engine.detach(first.id);
      engine.detach(second.id);
      expect(frames(file)).toHaveLength(PAYLOADS.length);
      expect(frames(join(dir, `repl-${second.id}.pcapng`))).toHaveLength(PAYLOADS.length);
      engine.capture!(undefined);
      expect(() => engine.attach(program, '<repl>')).toThrow(/no \.capture FILE/);
    } finally {
      engine.closeAll();
    }
  }, 60_000);
});

describe('capture() at tc puts the VLAN tag back', () => {
  it('tagged frames replayed over a veth come out of the file as they were sent, tag included', async () => {
    // The kernel moves the 802.1Q tag into the sk_buff's metadata before tc; the copy
    // must put it back. Frames: 802.1Q (priority 3, id 77), IPv4, UDP, 3 sizes.
    const replay = createReplayLink(dir, 'ncp');
    try {
      const sent = [18, 300, 1400].map((payload) => {
        const ip = Buffer.alloc(28 + payload, 0x61);
        ip.fill(0, 0, 28);
        ip[0] = 0x45;
        ip.writeUInt16BE(28 + payload, 2);
        ip[8] = 64;
        ip[9] = 17;
        Buffer.from([198, 18, 0, 1, 198, 18, 0, 2]).copy(ip, 12);
        ip.writeUInt16BE(5000, 20);
        ip.writeUInt16BE(PORT, 22);
        ip.writeUInt16BE(8 + payload, 24);
        return Buffer.concat([Buffer.from('020000000002020000000001810060' + '4d0800', 'hex'), ip]);
      });
      const input = join(dir, 'tagged.pcap');
      writeFileSync(input, writePcap(sent));
      const file = join(dir, 'vlan.pcapng');
      const cli = startCli(['--no-cache', '-w', file, '-e', `tc:${replay.rootIf}:ingress { if (udp.dport == ${PORT}) { capture() } }`]);
      await cli.waitFor('Attaching 1 probe');
      replay.replay(input);
      await sleep(500);
      cli.child.kill('SIGINT');
      await cli.exited;
      expect(frames(file)).toEqual(frames(input));
      expect(tshark(file, ['vlan.id', 'vlan.priority', 'frame.len'])).toEqual(sent.map((f) => ['77', '3', String(f.length)]));
    } finally {
      replay.destroy();
    }
  }, 60_000);
});
