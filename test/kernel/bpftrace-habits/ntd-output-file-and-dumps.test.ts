// -o FILE, -B none and -d verifier / -d all (issue 11), run as a user runs them.
// -o is compared with bpftrace -o on the same program (bench/setup.sh installs bpftrace;
// without it that test fails and says so). Traffic stays on the test's own veth pair.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NETTRACE_BIN, runCli, sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, requireRoot, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;
let cli: RunningCli | undefined;
const dir = mkdtempSync(join(tmpdir(), 'ntd-'));

afterEach(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  link = undefined;
  cli = undefined;
});

function bpftraceToFile(program: string, file: string): string {
  if (spawnSync('sh', ['-c', 'command -v bpftrace']).status !== 0) throw new Error('bpftrace is not installed: run bench/setup.sh (this test compares nettrace with it)');
  execFileSync('bpftrace', ['-o', file, '-e', program], { stdio: 'ignore', timeout: 30_000 });
  return readFileSync(file, 'utf8');
}

/** Polls a file until it holds `text`, for output written while a run goes on. */
async function fileHolds(file: string, text: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    let held = '';
    try {
      held = readFileSync(file, 'utf8');
    } catch {
      // not created yet
    }
    if (held === text) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${file} holds ${JSON.stringify(held)}, not ${JSON.stringify(text)}`);
    await sleep(50);
  }
}

describe('-o FILE and -B', () => {
  it('-o writes what bpftrace -o writes, and the blank lines before the maps to stdout as bpftrace', async () => {
    requireRoot();
    const program = 'BEGIN { printf("hi\\n"); @x = 7; exit() }';
    const expected = bpftraceToFile(program, join(dir, 'bpftrace.txt'));
    expect(expected).toBe('Attaching 1 probe...\nhi\n@x: 7\n');
    const file = join(dir, 'nettrace.txt');
    const { code, stdout, stderr } = await runCli(['-o', file, '-e', program]);
    // bpftrace writes the two newlines before the maps to stdout, not to the file.
    expect([code, stdout, stderr]).toEqual([0, '\n\n', '']);
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('-o -B none: each printf line is in the file while the run goes on, the maps at the end', async () => {
    link = createTestLink('ntd');
    const file = join(dir, 'live.txt');
    cli = startCli(['-o', file, '-B', 'none', '-e', `xdp:${link.rootIf} /udp.dport == 4242/ { printf("port %d\\n", udp.dport); @n = count() }`]);
    await fileHolds(file, 'Attaching 1 probe...\n');
    sendUdpFromNamespace(link, link.rootAddr, 4242, 3);
    await fileHolds(file, 'Attaching 1 probe...\nport 4242\nport 4242\nport 4242\n');
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toBe('\n\n');
    expect(readFileSync(file, 'utf8')).toBe('Attaching 1 probe...\nport 4242\nport 4242\nport 4242\n@n: 3\n');
  });

  it('-o into a directory that does not exist is NT0508, before anything loads', async () => {
    requireRoot();
    const { code, stdout, stderr } = await runCli(['-o', join(dir, 'missing', 'out.txt'), '-e', 'BEGIN { exit() }']);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toBe(`-e: error[NT0508]: cannot write the output file '${join(dir, 'missing', 'out.txt')}': no such directory\nhint: give -o a path in a directory you can write to\n`);
  });
});

describe('-d verifier and -d all', () => {
  it('-d verifier prints each program under its probe, ending with the verifier statistics', async () => {
    requireRoot();
    const { code, stdout, stderr } = await runCli(['-d', 'verifier', '-e', 'BEGIN { @a = 1 } END { @b = 2 }']);
    expect([code, stderr]).toEqual([0, '']);
    const programs = stdout.split(/\n(?=(?:BEGIN|END) \()/);
    expect(programs.map((p) => p.split('\n')[0])).toEqual(['BEGIN (xdp/prog0):', 'END (xdp/prog1):']);
    for (const p of programs) {
      // Log level 2: every instruction, then the kernel's closing statistics line.
      expect(p.split('\n')[1]).toBe('func#0 @0');
      expect(p.trimEnd().split('\n').at(-1)).toMatch(/^processed \d+ insns \(limit \d+\) max_states_per_insn \d+ total_states \d+ peak_states \d+ mark_read \d+$/);
    }
  });

  it('-d verifier without privileges is NT0501, naming the dumps that need none', () => {
    requireRoot();
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, NETTRACE_BIN, '-d', 'verifier', '-e', 'BEGIN { exit() }'], { encoding: 'utf8', cwd: '/', timeout: 60_000 });
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe('-e: error[NT0501]: nettrace -d verifier needs CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN to load the programs into the verifier\nhint: run it as root (sudo nettrace ...), or use -d ast, types, ir or asm\n');
  });

  it('-d all prints every stage under its heading, in the order a program goes through nettrace', async () => {
    requireRoot();
    const { code, stdout, stderr } = await runCli(['-d', 'all', '-e', 'BEGIN { exit() }']);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.split('\n').filter((l) => l.startsWith('=== '))).toEqual(['=== source ===', '=== tokens ===', '=== ast ===', '=== types ===', '=== ir ===', '=== asm ===', '=== verifier ===']);
    const section = (name: string) => stdout.split(`=== ${name} ===\n`)[1].split('\n=== ')[0];
    expect(section('source')).toBe('BEGIN { exit() }\n');
    expect(section('tokens')).toBe('1:1 Probe "BEGIN"\n1:7 LBrace "{"\n1:9 Ident "exit"\n1:13 LParen "("\n1:14 RParen ")"\n1:16 RBrace "}"\n');
    expect(section('ast')).toBe('Program\n BEGIN\n  call: exit\n');
    expect(section('types')).toBe('BEGIN\n exit() : -\n');
    expect(section('verifier').split('\n')[0]).toBe('BEGIN (xdp/prog0):');
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
