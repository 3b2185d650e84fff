// A lesson's sandbox: two network namespaces joined by a veth pair, with addresses from
// the benchmarking range 198.18.0.0/15, so a lesson's traffic never leaves the machine
// and never meets anyone else's. Names carry the lesson's pid (ntl-PID-a, ntl-PID-b), so
// a sandbox left by a killed lesson (SIGKILL cannot be caught) is recognised and removed
// by the next lesson that starts.
import { execFileSync, spawnSync } from 'node:child_process';

export interface Sandbox {
  /** The receiving side: nettrace runs here, its probes attach to `ifA`. */
  nsA: string;
  ifA: string;
  addrA: string;
  /** The sending side. */
  nsB: string;
  ifB: string;
  addrB: string;
  /** A second address on B's end, for lessons that need two senders. */
  addrB2: string;
  /** The /28 the lesson owns: the /29 on the link (.0-.7) and eight more for routes (.8-.15). */
  base: string;
  /** `base` plus n, as a dotted address. */
  addr(n: number): string;
  /** Runs a command in a namespace and returns its stdout; throws with its stderr. */
  exec(ns: string, cmd: string, args: string[]): string;
  /** Runs a command in a namespace; true when it succeeded (for feature probes). */
  tryExec(ns: string, cmd: string, args: string[]): boolean;
  destroy(): void;
}

export interface SandboxOptions {
  /** Permanent neighbour entries on both ends, so no ARP adds packets to the counts. */
  staticNeighbours: boolean;
}

const PREFIX = 'ntl-';

export function sandboxNames(pid: number): { nsA: string; nsB: string; ifA: string; ifB: string } {
  return { nsA: `${PREFIX}${pid}-a`, nsB: `${PREFIX}${pid}-b`, ifA: `ntl${pid}a`, ifB: `ntl${pid}b` };
}

/** A /28 chosen from the pid, so lessons running side by side do not share addresses. */
export function sandboxSubnet(pid: number): number[] {
  const s = pid % 8192;
  return [198, 18 + (s >> 12), (s >> 4) & 0xff, (s & 15) * 16];
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes sandboxes whose lesson process is gone; returns their names. */
export function removeStaleSandboxes(): string[] {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const removed: string[] = [];
  for (const line of listed.split('\n')) {
    const m = /^ntl-(\d+)-[ab]\b/.exec(line);
    if (!m || alive(Number(m[1]))) continue;
    const name = line.split(' ')[0];
    spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    removed.push(name);
  }
  return removed;
}

export function createSandbox(options: SandboxOptions, pid = process.pid): Sandbox {
  const names = sandboxNames(pid);
  const [a, b, c, d] = sandboxSubnet(pid);
  const addr = (n: number) => `${a}.${b}.${c}.${d + n}`;
  const sandbox: Sandbox = {
    ...names,
    addrA: addr(1),
    addrB: addr(2),
    addrB2: addr(3),
    base: addr(0),
    addr,
    exec: (ns, cmd, args) => run('ip', ['netns', 'exec', ns, cmd, ...args]),
    tryExec: (ns, cmd, args) => spawnSync('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: 'ignore' }).status === 0,
    destroy() {
      // Deleting a namespace deletes the veth end inside it, and with it the peer.
      spawnSync('ip', ['netns', 'del', names.nsA], { stdio: 'ignore' });
      spawnSync('ip', ['netns', 'del', names.nsB], { stdio: 'ignore' });
    },
  };
  try {
    run('ip', ['netns', 'add', names.nsA]);
    run('ip', ['netns', 'add', names.nsB]);
    run('ip', ['link', 'add', names.ifA, 'netns', names.nsA, 'type', 'veth', 'peer', 'name', names.ifB, 'netns', names.nsB]);
    for (const [ns, ifname, addrs] of [[names.nsA, names.ifA, [sandbox.addrA]], [names.nsB, names.ifB, [sandbox.addrB, sandbox.addrB2]]] as const) {
      // No IPv6: router solicitations and duplicate address detection would add packets.
      sandbox.exec(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
      for (const address of addrs) sandbox.exec(ns, 'ip', ['addr', 'add', `${address}/29`, 'dev', ifname]);
      sandbox.exec(ns, 'ip', ['link', 'set', 'lo', 'up']);
      sandbox.exec(ns, 'ip', ['link', 'set', ifname, 'up']);
    }
    if (options.staticNeighbours) {
      const mac = (ns: string, ifname: string) => /link\/ether ([0-9a-f:]{17})/.exec(sandbox.exec(ns, 'ip', ['link', 'show', 'dev', ifname]))![1];
      const macA = mac(names.nsA, names.ifA);
      const macB = mac(names.nsB, names.ifB);
      for (const address of [sandbox.addrB, sandbox.addrB2]) {
        sandbox.exec(names.nsA, 'ip', ['neigh', 'replace', address, 'lladdr', macB, 'dev', names.ifA, 'nud', 'permanent']);
      }
      sandbox.exec(names.nsB, 'ip', ['neigh', 'replace', sandbox.addrA, 'lladdr', macA, 'dev', names.ifB, 'nud', 'permanent']);
    }
  } catch (e) {
    sandbox.destroy();
    throw e;
  }
  return sandbox;
}
