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

/** `prefix`: the names' first letters, `nt` unless a test family has its own (at most 4 letters). */
export function createTestLink(namePrefix = 'nt'): TestLink {
  requireRoot();
  const id = randomBytes(3).toString('hex');
  const ns = `${namePrefix}-${id}`;
  const rootIf = `${namePrefix}${id}r`;
  const nsIf = `${namePrefix}${id}n`;
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

/** Addresses a test adds to its link beyond the IPv4 /30 (VLAN sub-interfaces, IPv6). */
export interface ExtraAddresses {
  rootAddr: string;
  nsAddr: string;
}

function randomTag(): number {
  return randomBytes(2).readUInt16BE(0);
}

/**
 * IPv6 on the test link, for one test: fd00::/8 ULA addresses that exist only there, no
 * duplicate address detection (so they are usable at once) and no router solicitations.
 * Neighbour discovery and MLD still send a few ICMPv6 packets: filter by address.
 */
export function enableIpv6(link: TestLink): ExtraAddresses {
  const prefix = `fd00:${randomTag().toString(16)}:${randomTag().toString(16)}::`;
  const rootAddr = `${prefix}1`;
  const nsAddr = `${prefix}2`;
  execFileSync('sysctl', ['-qw', `net.ipv6.conf.${link.rootIf}.disable_ipv6=0`, `net.ipv6.conf.${link.rootIf}.router_solicitations=0`]);
  link.exec('sysctl', ['-qw', `net.ipv6.conf.${link.nsIf}.disable_ipv6=0`, `net.ipv6.conf.${link.nsIf}.router_solicitations=0`]);
  ip('addr', 'add', `${rootAddr}/64`, 'dev', link.rootIf, 'nodad');
  ip('netns', 'exec', link.ns, 'ip', 'addr', 'add', `${nsAddr}/64`, 'dev', link.nsIf, 'nodad');
  return { rootAddr, nsAddr };
}

/**
 * An 802.1Q sub-interface with `id` on each end of the link (ROOTIF.ID, NSIF.ID) and a
 * /30 of its own from 198.18.128.0/17, a range createTestLink never uses. Deleted with
 * the link.
 */
export function addVlan(link: TestLink, id: number): ExtraAddresses & { rootVlanIf: string; nsVlanIf: string } {
  const rootVlanIf = `${link.rootIf}.${id}`;
  const nsVlanIf = `${link.nsIf}.${id}`;
  const tag = randomTag();
  const base = `198.${18 + ((tag >> 13) & 1)}.${128 + ((tag >> 6) & 0x7f)}`;
  const fourth = (tag & 0x3f) * 4;
  const rootAddr = `${base}.${fourth + 1}`;
  const nsAddr = `${base}.${fourth + 2}`;
  ip('link', 'add', 'link', link.rootIf, 'name', rootVlanIf, 'type', 'vlan', 'id', String(id));
  execFileSync('sysctl', ['-qw', `net.ipv6.conf.${rootVlanIf}.disable_ipv6=1`]);
  ip('addr', 'add', `${rootAddr}/30`, 'dev', rootVlanIf);
  ip('link', 'set', rootVlanIf, 'up');
  ip('netns', 'exec', link.ns, 'ip', 'link', 'add', 'link', link.nsIf, 'name', nsVlanIf, 'type', 'vlan', 'id', String(id));
  link.exec('sysctl', ['-qw', `net.ipv6.conf.${nsVlanIf}.disable_ipv6=1`]);
  ip('netns', 'exec', link.ns, 'ip', 'addr', 'add', `${nsAddr}/30`, 'dev', nsVlanIf);
  ip('netns', 'exec', link.ns, 'ip', 'link', 'set', nsVlanIf, 'up');
  return { rootAddr, nsAddr, rootVlanIf, nsVlanIf };
}

export interface UdpSend {
  dest: string;
  port: number;
  count: number;
  payloadBytes?: number;
  /** A fixed source port, so a test can assert it; otherwise the kernel picks one. */
  sourcePort?: number;
}

/** Sends UDP datagrams (IPv4 or IPv6, by the destination) from inside the namespace. */
export function sendUdp(link: TestLink, o: UdpSend): void {
  const family = o.dest.includes(':') ? 'udp6' : 'udp4';
  const script = `
    const s = require('node:dgram').createSocket('${family}');
    const payload = Buffer.alloc(${o.payloadBytes ?? 16}, 120);
    let sent = 0;
    const next = () => {
      if (sent === ${o.count}) return s.close();
      s.send(payload, ${o.port}, '${o.dest}', (err) => { if (err) { console.error(err); process.exit(1); } sent++; next(); });
    };
    ${o.sourcePort !== undefined ? `s.bind(${o.sourcePort}, next);` : 'next();'}`;
  link.exec(process.execPath, ['-e', script]);
}

/**
 * Sends `count` 802.1Q-tagged UDP frames with VLAN `id` out of the namespace's end of the
 * link through an AF_PACKET socket. (This kernel has no 8021q module, so there are no
 * VLAN sub-interfaces; a raw socket puts the tag in the frame itself.) Python's socket
 * module does it; Node has no raw sockets.
 */
export function sendVlanTaggedUdp(link: TestLink, o: { id: number; pcp?: number; src: string; dst: string; port: number; count: number }): void {
  const script = `
import socket, struct
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((${JSON.stringify(link.nsIf)}, 0))
mac = s.getsockname()[4]
payload = b'x' * 16
udp = struct.pack('!HHHH', 4000, ${o.port}, 8 + len(payload), 0) + payload
ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, socket.inet_aton(${JSON.stringify(o.src)}), socket.inet_aton(${JSON.stringify(o.dst)}))
tag = struct.pack('!HH', 0x8100, (${o.pcp ?? 0} << 13) | ${o.id})
frame = b'\\xff' * 6 + mac + tag + struct.pack('!H', 0x0800) + ip + udp
for _ in range(${o.count}):
    s.send(frame)
`;
  link.exec('python3', ['-c', script]);
}

/** The MAC address of an interface, in the namespace when `ns` is given. */
export function macAddress(ifname: string, ns?: string): string {
  const args = ns ? ['-n', ns, 'link', 'show', 'dev', ifname] : ['link', 'show', 'dev', ifname];
  const m = /link\/ether ([0-9a-f:]{17})/.exec(execFileSync('ip', args, { encoding: 'utf8' }));
  if (!m) throw new Error(`no MAC address on ${ifname}`);
  return m[1];
}

/** The interface's index (what `ifindex` reads). */
export function interfaceIndex(ifname: string): number {
  return Number(execFileSync('cat', [`/sys/class/net/${ifname}/ifindex`], { encoding: 'utf8' }).trim());
}

/**
 * `ping -c COUNT` from inside the namespace; returns how many replies came back. Never
 * throws on loss (ping exits 1 then): a test may expect every packet to be dropped.
 */
export function pingFromNamespace(link: TestLink, dest: string, count: number, options: { size?: number } = {}): number {
  const args = ['netns', 'exec', link.ns, 'ping', '-n', '-q', '-c', String(count), '-i', '0.05', '-W', '1'];
  if (options.size !== undefined) args.push('-s', String(options.size));
  const r = spawnSync('ip', [...args, dest], { encoding: 'utf8' });
  const m = /(\d+) received/.exec(r.stdout);
  if (!m) throw new Error(`ping did not run: ${r.stderr || r.stdout}`);
  return Number(m[1]);
}

/**
 * A TCP exchange between the namespace and the root side: a server inside the namespace
 * reads `requestBytes`, answers `responseBytes`, and both sides close. Returns the
 * client's local port (the root side's ephemeral port).
 */
export async function tcpExchangeWithNamespace(link: TestLink, port: number, requestBytes: number, responseBytes: number): Promise<number> {
  const { spawn } = await import('node:child_process');
  const net = await import('node:net');
  const server = spawn('ip', ['netns', 'exec', link.ns, process.execPath, '-e', `
    const srv = require('node:net').createServer((c) => {
      let got = 0;
      c.on('data', (d) => { got += d.length; if (got === ${requestBytes}) c.end(Buffer.alloc(${responseBytes}, 121)); });
      c.on('close', () => srv.close());
    });
    srv.listen(${port}, '${link.nsAddr}', () => console.log('listening'));`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (d) => String(d).includes('listening') && resolve());
      server.on('exit', (code) => reject(new Error(`TCP server in ${link.ns} exited with ${code}`)));
    });
    return await new Promise<number>((resolve, reject) => {
      let localPort = 0;
      let got = 0;
      const client = net.connect({ host: link.nsAddr, port }, () => {
        localPort = client.localPort!;
        client.write(Buffer.alloc(requestBytes, 120));
      });
      client.on('data', (d) => (got += d.length));
      client.on('end', () => client.end());
      client.on('close', () => (got === responseBytes ? resolve(localPort) : reject(new Error(`got ${got} of ${responseBytes} response bytes`))));
      client.on('error', reject);
    });
  } finally {
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.on('exit', () => resolve());
      setTimeout(() => server.kill('SIGKILL'), 5000);
    });
  }
}

/** A UDP socket bound on the root side that counts what reaches it (the far side of a drop). */
export async function udpSink(address: string, port: number): Promise<{ received(): number; close(): void }> {
  const dgram = await import('node:dgram');
  const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  let received = 0;
  socket.on('message', () => received++);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => resolve());
  });
  return { received: () => received, close: () => socket.close() };
}
