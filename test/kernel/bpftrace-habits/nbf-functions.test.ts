// issue 11's remaining functions and builtins on the host kernel, each compared with what
// bpftrace 0.17 prints for the same program where bpftrace runs it the same way:
// macaddr, username, ksym/kaddr, buf with %r/%rx, uid/gid, cat/system (--unsafe), kstack
// on traffic between the test's own namespace and the root namespace (both tools on the
// same packet), and time()/strftime()/elapsed against the clock. func is decided by the
// kernel's features (fentry needs BPF trampolines; this host has none, the matrix has).
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestLink, interfaceIndex, type TestLink } from '../../helpers/netns.js';
import { runCli } from '../../helpers/cli.js';
import { randomPort, traceDuring, udpFromNamespace } from '../tracing/traffic.js';
import { hasFeature } from '../../../src/runtime/features.js';

let link: TestLink | undefined;

afterEach(() => {
  link?.destroy();
  link = undefined;
});

function requireBpftrace(): void {
  if (spawnSync('sh', ['-c', 'command -v bpftrace']).status !== 0) throw new Error('bpftrace is not installed: run bench/setup.sh (this test compares nettrace with it)');
}

/** bpftrace's stdout for a program that ends by itself (exit() in BEGIN). */
function bpftraceOutput(args: string[]): string {
  requireBpftrace();
  const r = spawnSync('bpftrace', args, { encoding: 'utf8', timeout: 30_000 });
  return r.stdout;
}

/** bpftrace running `program` until stop() sends SIGINT. */
async function startBpftrace(program: string): Promise<{ stop(): Promise<string> }> {
  requireBpftrace();
  const child = spawn('bpftrace', ['-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (out.includes('Attaching')) {
        clearInterval(poll);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(poll);
        reject(new Error(`bpftrace exited before attaching: ${out}`));
      }
    }, 20);
  });
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
      return out;
    },
  };
}

describe('bpftrace functions and builtins (issue 11)', () => {
  it('macaddr, username, ksym(kaddr()), buf %r/%rx, uid/gid print as bpftrace prints them', async () => {
    const program =
      'BEGIN { printf("%s|%s|%s|%s|%s\\n", macaddr(0), username, ksym(kaddr("tcp_v4_rcv")), ksym(0), ksym(1)); $x = "ab\\tcdef"; printf("%r|%rx|\\n", buf($x, 5), buf($x, 3)); ' +
      'printf("%d %d\\n", uid, gid); @[username] = count(); @s[ksym(kaddr("tcp_v4_rcv"))] = count(); exit() }';
    const expected = bpftraceOutput(['-e', program]);
    expect(expected).toBe('Attaching 1 probe...\n00:00:00:00:00:00|root|tcp_v4_rcv|0|0x1\nab\\x09cd|\\x61\\x62\\x09|\n0 0\n\n\n@[root]: 1\n@s[tcp_v4_rcv]: 1\n');
    const { stdout, code } = await runCli(['-e', program]);
    expect(code).toBe(0);
    expect(stdout).toBe(expected);
  });

  it('cat() and system() run with --unsafe as in bpftrace, and are refused at their place without it', async () => {
    const program = 'BEGIN { cat("/proc/sys/kernel/ostype"); system("echo nbf %d", 42); printf("|\\n"); exit() }';
    const expected = bpftraceOutput(['--unsafe', '-e', program]);
    expect(expected).toBe('Attaching 1 probe...\nLinux\nnbf 42\n|\n\n\n');
    const ran = await runCli(['--unsafe', '-e', program]);
    expect(ran.stdout).toBe(expected);
    const refused = await runCli(['-e', program]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      [
        '-e:1:9: error[NT0351]: cat() reads a file as root: nettrace runs it only with --unsafe',
        program,
        '        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
        'hint: run again with --unsafe if that is what you mean (bpftrace asks for the same)',
        '',
        '-e:1:41: error[NT0351]: system() runs a shell command as root: nettrace runs it only with --unsafe',
        program,
        '                                        ~~~~~~~~~~~~~~~~~~~~~~~~~',
        'hint: run again with --unsafe if that is what you mean (bpftrace asks for the same)',
        '',
      ].join('\n'),
    );
  });

  it('kstack and kstack(N) print the same frames as bpftrace for the same packet (print, printf, map key and map value)', async () => {
    link = createTestLink('nbf');
    const port = randomPort();
    // One UDP datagram of 1000 bytes: 1042 bytes on the wire, sent from the root namespace.
    const filter = `/args->len == 1042 && str(args->name) == "${link.rootIf}"/`;
    const body = '{ print(kstack); printf("%s\\n", kstack(3)); @[kstack(4)] = count(); @s = kstack(5); }';
    const bpftrace = await startBpftrace(`tracepoint:net:net_dev_queue ${filter} ${body}`);
    let expected = '';
    let result: { stdout: string; code: number | string } | undefined;
    try {
      result = await traceDuring(['-e', `tracepoint:net:net_dev_queue ${filter.replaceAll('->', '.')} ${body}`], async () => {
        // From the namespace's side the packet would not leave rootIf; send from here to the peer.
        spawnSync(process.execPath, ['-e', `const s = require('node:dgram').createSocket('udp4'); s.send(Buffer.alloc(1000, 120), ${port}, '${link!.nsAddr}', () => s.close())`]);
      }, 500);
    } finally {
      expected = await bpftrace.stop();
    }
    expect(result!.code).toBe(0);
    const frames = expected.split('\n').filter((l) => l.startsWith('        '));
    // The stack goes from the transmit path down to the system call that sent it.
    expect(frames.some((l) => l.trim().startsWith('udp_sendmsg+'))).toBe(true);
    expect(expected).toMatch(/\n@\[\n( {4}\S+\n){4}\]: 1\n/);
    // A stack as a map's value prints after the run has closed the map (read at the end).
    expect(expected).toMatch(/\n@s: \n( {8}\S+\n){5}\n$/);
    expect(result!.stdout).toBe(expected);
  });

  it('time() prints the wall-clock time now, strftime() turns nsecs into it, elapsed counts from the start', async () => {
    const before = Date.now();
    const { stdout, code } = await runCli(['-e', 'BEGIN { time(); time("%Y-%m-%d %H:%M:%S|"); printf("%s\\n", strftime("%s.%f %Y", nsecs)); @b = elapsed; exit() } END { @e = elapsed }']);
    const after = Date.now();
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Attaching 2 probes...');
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d$/);
    const [, stamp, seconds, micros, year] = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\|(\d+)\.(\d{6}) (\d{4})$/.exec(lines[2])!;
    const printedSeconds = Number(seconds) + Number(micros) / 1e6;
    expect(printedSeconds * 1000).toBeGreaterThanOrEqual(before - 1);
    expect(printedSeconds * 1000).toBeLessThanOrEqual(after + 1);
    expect(Number(year)).toBe(new Date(printedSeconds * 1000).getFullYear());
    expect(Date.parse(`${stamp.replace(' ', 'T')}`) / 1000).toBeCloseTo(Math.floor(printedSeconds), -0.5);
    const begin = Number(/@b: (\d+)/.exec(stdout)![1]);
    const end = Number(/@e: (\d+)/.exec(stdout)![1]);
    expect(begin).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(begin);
    expect(end).toBeLessThan((after - before) * 1e6);
  });

  it('constants in a set: args.reason in {NO_SOCKET, TCP_CSUM} counts UDP to a closed port exactly', async () => {
    link = createTestLink('nbf');
    const onLink = `((struct sk_buff *)args.skbaddr)->dev->ifindex == ${interfaceIndex(link.rootIf)}`;
    const program = `tracepoint:skb:kfree_skb /args.reason in {NO_SOCKET, TCP_CSUM} && ${onLink}/ { @in = count() } tracepoint:skb:kfree_skb /!(args.reason in {NO_SOCKET}) && ${onLink}/ { @out = count() }`;
    const { stdout, code } = await traceDuring(['-e', program], () => udpFromNamespace(link!, link!.rootAddr, randomPort(), 4), 500);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((l) => l.startsWith('@'))).toEqual(['@in: 4', '@out: 0']);
  });

  it('func is the fentry probe\'s function where the kernel has BPF trampolines, and the kernel\'s refusal where not', async () => {
    const { stdout, stderr } = await runCli(['--dry-run', '-e', 'fentry:ip_rcv { printf("%s\\n", func) }']);
    if (hasFeature('trampolines')) {
      expect(stderr).toBe('');
      expect(stdout).toBe('-e: ok: 1 program(s) verified, nothing attached\n');
    } else {
      expect(stderr.split('\n')[0]).toBe('-e:1:1: error[NT0206]: this kernel refuses fentry programs: cannot load program \'nt_prog0\' (section fentry/ip_rcv/prog0, prog type 26): Operation not permitted with no verifier log, although we hold the BPF capabilities: this kernel refuses this kind of program');
    }
    const kprobe = await runCli(['--dry-run', '-e', 'kprobe:ip_rcv { printf("%s %d\\n", func, arg0); @[kstack] = count() }']);
    if (hasFeature('kprobes')) {
      expect(kprobe.stderr).toBe('');
      expect(kprobe.stdout).toBe('-e: ok: 1 program(s) verified, nothing attached\n');
    } else {
      expect(kprobe.stderr.split('\n')[0]).toBe('-e:1:1: error[NT0206]: this kernel has no kprobes, so it cannot attach kprobe:ip_rcv (no kprobe PMU in /sys/bus/event_source/devices)');
    }
    const tracepoint = await runCli(['--dry-run', '-e', 'tracepoint:net:net_dev_queue { printf("%s\\n", func) }']);
    expect(tracepoint.stderr.split('\n')[0]).toBe("-e:1:47: error[NT0306]: 'func' cannot be read in tracepoint:net:net_dev_queue");
  });
});
