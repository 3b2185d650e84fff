// The compiled-program cache end to end, with the real command line on a veth of the
// test's own namespace: the second run of a program comes from the cache and counts the
// same packets even though its interface was deleted and made again (a new ifindex); a
// tampered entry is compiled again; a cached program whose interface is gone gets the
// checker's diagnostic; --cache-clear empties the cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, sleep, startCli } from '../../helpers/cli.js';
import { requireRoot, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** A namespace and a veth pair named with this test's prefix (ntk), whose veth can be made again. */
function ntkLink(): TestLink & { remakeVeth(): void; deleteVeth(): void } {
  requireRoot();
  const id = randomBytes(3).toString('hex');
  const ns = `ntk-${id}`;
  const rootIf = `ntk${id}r`;
  const nsIf = `ntk${id}n`;
  const third = randomBytes(1)[0] & 0x7f;
  const fourth = (randomBytes(1)[0] & 0x3f) * 4;
  const rootAddr = `198.19.${third}.${fourth + 1}`;
  const nsAddr = `198.19.${third}.${fourth + 2}`;
  const exec = (cmd: string, args: string[]) => execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const makeVeth = () => {
    ip('link', 'add', rootIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', ns);
    execFileSync('sysctl', ['-qw', `net.ipv6.conf.${rootIf}.disable_ipv6=1`]);
    exec('sysctl', ['-qw', `net.ipv6.conf.${nsIf}.disable_ipv6=1`]);
    ip('addr', 'add', `${rootAddr}/30`, 'dev', rootIf);
    ip('link', 'set', rootIf, 'up');
    exec('ip', ['addr', 'add', `${nsAddr}/30`, 'dev', nsIf]);
    exec('ip', ['link', 'set', nsIf, 'up']);
  };
  const deleteVeth = () => void spawnSync('ip', ['link', 'del', rootIf], { stdio: 'ignore' });
  const link = {
    ns, rootIf, nsIf, rootAddr, nsAddr, exec,
    remakeVeth() {
      deleteVeth();
      makeVeth();
    },
    deleteVeth,
    destroy() {
      deleteVeth();
      spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    },
  };
  try {
    ip('netns', 'add', ns);
    makeVeth();
  } catch (e) {
    link.destroy();
    throw e;
  }
  return link;
}

const ifindex = (name: string) => Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8'));

let link: ReturnType<typeof ntkLink>;
let cacheDir: string;
const env = () => ({ NETTRACE_CACHE_DIR: cacheDir });
const entries = () => readdirSync(cacheDir).filter((n) => n.endsWith('.ntc'));

beforeAll(() => {
  link = ntkLink();
  cacheDir = mkdtempSync(join(tmpdir(), 'ntk-cache-'));
});
afterAll(() => {
  link?.destroy();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Runs the one-liner on the link, sends `packets` UDP datagrams, stops it; returns what it printed. */
async function countPackets(packets: number, extra: string[] = []): Promise<{ stdout: string; stderr: string }> {
  const cli = startCli(['-v', ...extra, '-e', `xdp:${link.rootIf} /udp.dport == 9/ { @[ip.src] = count() }`], env());
  try {
    await cli.waitFor('Attaching 1 probe...');
    sendUdpFromNamespace(link, link.rootAddr, 9, packets);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited, cli.stderr()).toBe(0);
    return { stdout: cli.stdout(), stderr: cli.stderr() };
  } finally {
    if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  }
}

describe('compiled-program cache, end to end', () => {
  it('the first run compiles and saves; the second comes from the cache and counts the same', async () => {
    const first = await countPackets(7);
    expect(first.stderr).toContain('nettrace: cache: miss (absent)');
    expect(first.stderr).toContain(`nettrace: cache: saved in ${cacheDir}`);
    expect(first.stdout).toContain(`@[${link.nsAddr}]: 7\n`);
    expect(entries()).toHaveLength(1);

    const second = await countPackets(9);
    expect(second.stderr).toContain(`nettrace: cache: hit in ${cacheDir}`);
    expect(second.stderr).not.toContain('cache: miss');
    expect(second.stdout).toContain(`@[${link.nsAddr}]: 9\n`);
  });

  it('a hit attaches by name: the interface made again (new ifindex) still counts exactly', async () => {
    const before = ifindex(link.rootIf);
    link.remakeVeth();
    expect(ifindex(link.rootIf)).not.toBe(before);
    const run = await countPackets(11);
    expect(run.stderr).toContain('nettrace: cache: hit');
    expect(run.stdout).toContain(`@[${link.nsAddr}]: 11\n`);
  });

  it('a tampered entry is refused, removed, and the program compiled and saved again', async () => {
    const [name] = entries();
    const bytes = readFileSync(join(cacheDir, name));
    bytes[bytes.length - 40] ^= 0x5a;
    writeFileSync(join(cacheDir, name), bytes);
    const run = await countPackets(5);
    expect(run.stderr).toContain('nettrace: cache: miss (checksum mismatch)');
    expect(run.stderr).toContain('nettrace: cache: saved');
    expect(run.stdout).toContain(`@[${link.nsAddr}]: 5\n`);
  });

  it('a truncated entry is refused and compiled again', async () => {
    const [name] = entries();
    const bytes = readFileSync(join(cacheDir, name));
    writeFileSync(join(cacheDir, name), bytes.subarray(0, bytes.length >> 1));
    const run = await countPackets(3);
    expect(run.stderr).toContain('nettrace: cache: miss (checksum mismatch)');
    expect(run.stdout).toContain(`@[${link.nsAddr}]: 3\n`);
  });

  it('--no-cache neither reads nor writes the cache', async () => {
    const before = readFileSync(join(cacheDir, entries()[0]));
    const run = await countPackets(4, ['--no-cache']);
    expect(run.stderr).not.toContain('cache:');
    expect(run.stdout).toContain(`@[${link.nsAddr}]: 4\n`);
    expect(readFileSync(join(cacheDir, entries()[0])).equals(before)).toBe(true);
  });

  it('a cached program whose interface is gone gets the checker’s NT0202, not an attach failure', async () => {
    link.deleteVeth();
    const { code, stderr } = await runCli(['-v', '-e', `xdp:${link.rootIf} /udp.dport == 9/ { @[ip.src] = count() }`], env());
    expect(code).toBe(1);
    expect(stderr).toContain(`nettrace: cache: not used: no interface ${link.rootIf}`);
    expect(stderr).toContain('NT0202');
    link.remakeVeth();
  });

  it('the bundled CLI (scripts/bundle.js) on a hit opens only the libbpf addon', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const folder = `ntk-bundle-${process.pid}`;
    execFileSync(process.execPath, ['scripts/bundle.js', folder], { cwd: root, stdio: 'ignore' });
    try {
      // Records what the process opens with dlopen, then runs the bundle's main().
      const script = `
        const opened = [];
        const dlopen = process.dlopen;
        process.dlopen = function (m, f, ...rest) { opened.push(f); return dlopen.call(this, m, f, ...rest); };
        const { main } = await import(${JSON.stringify(`${root}dist/${folder}/main.js`)});
        await main(process.argv.slice(1));
        process.stderr.write('opened ' + JSON.stringify(opened) + '\\n');`;
      const runBundled = () =>
        spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', '-v', '--dry-run', '-e', 'tracepoint:net:net_dev_queue { @ntk[args.len] = count() }'], { cwd: root, env: { ...process.env, ...env() }, encoding: 'utf8' });
      const opened = (stderr: string) => JSON.parse(/opened (.*)/.exec(stderr)![1]) as string[];
      const first = runBundled();
      expect(first.stderr).toContain('cache: saved');
      expect(opened(first.stderr).some((f) => f.includes('nettrace_emit.node'))).toBe(true);
      const second = runBundled();
      expect(second.stdout).toContain('1 program(s) verified');
      expect(second.stderr).toContain('cache: hit');
      expect(opened(second.stderr).map((f) => f.split('/').pop())).toEqual(['nettrace_bpf.node']);
    } finally {
      rmSync(join(fileURLToPath(new URL('../../../dist/', import.meta.url)), folder), { recursive: true, force: true });
    }
  });

  it('--cache-clear empties the cache', async () => {
    const before = entries().length;
    expect(before).toBeGreaterThan(0);
    const { code, stdout } = await runCli(['--cache-clear'], env());
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^nettrace: removed ${before} compiled program\\(s\\), \\d+ KiB, from ${cacheDir}\\n$`));
    expect(entries()).toEqual([]);
  });
});
