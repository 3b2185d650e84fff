// Runs one bpftrace program through bpftrace and nettrace at the same time, on the same
// traffic, and hands back both outputs. The traffic runs between the test's own namespace
// and the root end of its veth pair (names carry the `ntf` prefix), pinned to one CPU so
// the two tools, which read per-event output differently (bpftrace a perf buffer per CPU,
// nettrace one ring buffer), see printf events in one order.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NETTRACE_BIN, sleep } from '../helpers/cli.js';
import type { TestLink } from '../helpers/netns.js';

export const PROGRAMS_DIR = fileURLToPath(new URL('./programs/', import.meta.url));

/** A corpus program as its file has it. */
export interface CompatProgram {
  file: string;
  /** The program text, placeholders ({{NSIF}} ...) still in it. */
  text: string;
  /** `// difference:` — why nettrace's run differs, when it does. */
  difference?: string;
  /** `// nettrace-edit: FROM => TO` — the one edit nettrace's copy of the program gets. */
  edit?: { from: string; to: string };
  /** `// nettrace-prints: FROM => TO` — where nettrace prints TO on a line bpftrace prints FROM on. */
  prints?: { from: string; to: string };
}

export function corpus(): CompatProgram[] {
  return readdirSync(PROGRAMS_DIR)
    .filter((f) => f.endsWith('.bt'))
    .sort()
    .map((file) => {
      const text = readFileSync(PROGRAMS_DIR + file, 'utf8');
      const difference = /^\/\/ difference: (.*)$/m.exec(text)?.[1];
      const edit = /^\/\/ nettrace-edit: (.*?) => (.*)$/m.exec(text);
      const prints = /^\/\/ nettrace-prints: (.*?) => (.*)$/m.exec(text);
      return {
        file,
        text,
        difference,
        edit: edit ? { from: edit[1], to: edit[2] } : undefined,
        prints: prints ? { from: prints[1], to: prints[2] } : undefined,
      };
    });
}

/** Ports of the test's traffic: UDP to a closed port, TCP to a server. */
export interface CompatPorts {
  udp: number;
  tcp: number;
}

/** The program as both tools run it: the test's names, addresses and ports filled in. */
export function instantiate(text: string, link: TestLink, ports: CompatPorts): string {
  return text
    .replaceAll('{{NSIF}}', link.nsIf)
    .replaceAll('{{ROOTIF}}', link.rootIf)
    .replaceAll('{{UDPPORT}}', String(ports.udp))
    .replaceAll('{{TCPPORT}}', String(ports.tcp));
}

/** A test fails with this when bpftrace is missing: it never passes without comparing. */
export function requireBpftrace(): void {
  const found = spawnSync('bpftrace', ['--version'], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error('the compat corpus compares nettrace with bpftrace, which is not installed: run bench/setup.sh (it installs bpftrace 0.17)');
}

interface Tracer {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | string>;
}

function startTracer(cmd: string, args: string[]): Tracer {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function attached(t: Tracer, name: string, mark: string): Promise<void> {
  const started = Date.now();
  while (!t.stdout().includes(mark)) {
    if (t.child.exitCode !== null || t.child.signalCode !== null || Date.now() - started > 30_000) {
      throw new Error(`${name} did not attach.\nstdout:\n${t.stdout()}\nstderr:\n${t.stderr()}`);
    }
    await sleep(20);
  }
}

/**
 * SIGINT until it exits when `repeat`: bpftrace 0.17 can miss one that arrives while it
 * attaches. nettrace gets one (a second would interrupt its printing of the maps). Both
 * are stopped at once, so neither sees events the other no longer does.
 */
async function stop(t: Tracer, repeat: boolean): Promise<number | string> {
  let done = false;
  void t.exited.then(() => (done = true));
  if (!repeat) {
    t.child.kill('SIGINT');
    await Promise.race([t.exited, sleep(20_000)]);
  }
  for (let i = 0; i < 10 && !done; i++) {
    t.child.kill('SIGINT');
    await Promise.race([t.exited, sleep(1000)]);
  }
  if (!done) t.child.kill('SIGKILL');
  return t.exited;
}

/**
 * The traffic every corpus program sees, all from the namespace on CPU 0:
 * UDP to a closed port (3 datagrams of 10 bytes, 5 of 100, 7 of 300: counts that never
 * tie, since bpftrace orders equal counts as its hash table happens to) and three TCP
 * connections to a server in the root namespace that send 100, 2000 and 30000 bytes.
 */
async function traffic(link: TestLink, ports: CompatPorts): Promise<void> {
  const server = spawn('taskset', ['-c', '0', process.execPath, '-e', `
    const srv = require('node:net').createServer((c) => { c.on('data', () => {}); c.on('end', () => c.end()); });
    srv.listen(${ports.tcp}, '${link.rootAddr}', () => process.stdout.write('listening'));
    process.on('SIGTERM', () => srv.close(() => process.exit(0)));`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve());
      server.once('exit', () => reject(new Error('the TCP server of the compat traffic exited')));
    });
    const client = `
      const dgram = require('node:dgram'), net = require('node:net');
      const udp = async () => {
        const s = dgram.createSocket('udp4');
        for (const [count, size] of [[3, 10], [5, 100], [7, 300]]) {
          for (let i = 0; i < count; i++) await new Promise((r, j) => s.send(Buffer.alloc(size, 120), ${ports.udp}, '${link.rootAddr}', (e) => (e ? j(e) : r())));
        }
        s.close();
      };
      const tcp = (size) => new Promise((resolve, reject) => {
        const c = net.connect({ host: '${link.rootAddr}', port: ${ports.tcp} }, () => c.end(Buffer.alloc(size, 121)));
        c.on('data', () => {});
        c.on('close', resolve);
        c.on('error', reject);
      });
      (async () => {
        await udp();
        for (const size of [100, 2000, 30000]) await tcp(size);
      })().catch((e) => { console.error(e); process.exit(1); });`;
    await new Promise<void>((resolve, reject) => {
      const c = spawn('ip', ['netns', 'exec', link.ns, 'taskset', '-c', '0', process.execPath, '-e', client], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      c.stderr!.on('data', (d) => (err += d));
      c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`compat traffic failed: ${err}`))));
    });
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

export interface SideBySide {
  bpftrace: { code: number | string; stdout: string; stderr: string };
  nettrace: { code: number | string; stdout: string; stderr: string };
}

/** Options for each tool, e.g. `-f json` for bpftrace and `--json-compat bpftrace` for nettrace. */
export interface SideBySideOptions {
  bpftrace: string[];
  nettrace: string[];
  /** What each prints once attached: `Attaching ` in text, `attached_probes` in JSON. */
  attachedMark: string;
}

/** Runs `bpftraceText` in bpftrace and `nettraceText` in nettrace, both during one round of traffic. */
export async function runSideBySide(
  bpftraceText: string,
  nettraceText: string,
  link: TestLink,
  ports: CompatPorts,
  options: SideBySideOptions = { bpftrace: [], nettrace: [], attachedMark: 'Attaching ' },
): Promise<SideBySide> {
  const bt = startTracer('bpftrace', [...options.bpftrace, '-e', bpftraceText]);
  const nt = startTracer(process.execPath, [NETTRACE_BIN, ...options.nettrace, '-e', nettraceText]);
  try {
    await Promise.all([attached(bt, 'bpftrace', options.attachedMark), attached(nt, 'nettrace', options.attachedMark)]);
    // bpftrace 0.17 prints "Attaching" before its probes are attached.
    await sleep(1000);
    await traffic(link, ports);
    // TIME_WAIT and the last ACKs settle; no timer of this traffic fires later than this.
    await sleep(1000);
  } finally {
    await Promise.all([stop(bt, true), stop(nt, false)]);
  }
  return {
    bpftrace: { code: await bt.exited, stdout: bt.stdout(), stderr: bt.stderr() },
    nettrace: { code: await nt.exited, stdout: nt.stdout(), stderr: nt.stderr() },
  };
}

/**
 * The lines that carry something (not blank), to check that a run traced anything. The
 * outputs themselves are compared byte for byte, blank lines and trailing spaces included:
 * nettrace prints maps in bpftrace 0.17's layout (docs/output.md, "Layout").
 */
export function linesOf(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.trim().length > 0);
}

