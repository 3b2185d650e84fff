// Test networks: a namespace and a veth pair per test, with random names so test files
// can run in parallel, addresses from the benchmarking range 198.18.0.0/15 that exist only
// on that link, and teardown that runs even when the test fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface TestLink {
  ns: string;
  /** The veth end in the root namespace: probes attach here. */
  rootIf: string;
  /** Its peer inside the namespace. */
  nsIf: string;
  rootAddr: string;
  nsAddr: string;
  /** Runs a command inside the namespace. */
  exec(cmd: string, args: string[]): string;
  destroy(): void;
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('kernel tests need root (CAP_BPF, CAP_NET_ADMIN): run them with sudo or as root');
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createTestLink(): TestLink {
  requireRoot();
  const id = randomBytes(3).toString('hex');
  const ns = `nt-${id}`;
  const rootIf = `nt${id}r`;
  const nsIf = `nt${id}n`;
  // A /30 chosen from the id so parallel tests do not share addresses.
  const subnet = parseInt(id.slice(0, 4), 16) % 16384;
  const third = (subnet >> 6) & 0xff;
  const fourth = (subnet & 0x3f) * 4;
  const prefix = `198.${18 + (third >> 7)}.${third & 0x7f}`;
  const rootAddr = `${prefix}.${fourth + 1}`;
  const nsAddr = `${prefix}.${fourth + 2}`;
  const link: TestLink = {
    ns, rootIf, nsIf, rootAddr, nsAddr,
    exec(cmd, args) {
      return execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    },
    destroy() {
      spawnSync('ip', ['link', 'del', rootIf], { stdio: 'ignore' });
      spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    },
  };
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', rootIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', ns);
    // No IPv6 on the test link: router solicitations and DAD would add packets to counts.
    execFileSync('sysctl', ['-qw', `net.ipv6.conf.${rootIf}.disable_ipv6=1`]);
    link.exec('sysctl', ['-qw', `net.ipv6.conf.${nsIf}.disable_ipv6=1`]);
    ip('addr', 'add', `${rootAddr}/30`, 'dev', rootIf);
    ip('link', 'set', rootIf, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddr}/30`, 'dev', nsIf);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  } catch (e) {
    link.destroy();
    throw e;
  }
  return link;
}

/**
 * Sends `count` UDP datagrams of `payloadBytes` from inside the namespace to `dest:port`,
 * with Node itself as the sender (always present, unlike nc or python).
 */
export function sendUdpFromNamespace(link: TestLink, dest: string, port: number, count: number, payloadBytes = 16): void {
  const script = `
    const dgram = require('node:dgram');
    const s = dgram.createSocket('udp4');
    const payload = Buffer.alloc(${payloadBytes}, 120);
    let sent = 0;
    const next = () => {
      if (sent === ${count}) return s.close();
      s.send(payload, ${port}, '${dest}', (err) => { if (err) { console.error(err); process.exit(1); } sent++; next(); });
    };
    next();`;
  link.exec(process.execPath, ['-e', script]);
}

/** XDP programs attached to an interface, as `ip -d link` reports them. */
export function xdpAttached(ifname: string): boolean {
  const out = execFileSync('ip', ['-d', 'link', 'show', 'dev', ifname], { encoding: 'utf8' });
  return /prog\/xdp|xdpgeneric|xdpdrv|xdp /.test(out);
}
