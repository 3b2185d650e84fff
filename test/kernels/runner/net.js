// Test networks for the matrix cases, as the host tests build them (test/helpers/netns.ts,
// which the guest cannot import: it runs plain JavaScript): a namespace and a veth pair
// with random names, one end in the root namespace (nettrace runs there: `ip netns exec`
// remounts /sys and hides tracefs) and one in the namespace, addresses from
// 198.18.0.0/15 that exist only on that link, and traffic only between the two ends.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * @returns {{ ns: string, rootIf: string, nsIf: string, rootAddr: string, nsAddr: string,
 *             ifindex: number, destroy(): void }}
 */
export function createLink() {
  const id = randomBytes(3).toString('hex');
  const ns = `ntk-${id}`;
  const rootIf = `ntk${id}r`;
  const nsIf = `ntk${id}n`;
  // A /30 picked from the id; .1 is the root end, .2 the namespace end.
  const n = parseInt(id.slice(0, 4), 16) % 32768;
  const prefix = `198.${18 + (n >> 14)}.${(n >> 6) & 0xff}`;
  const base = (n & 0x3f) * 4;
  const link = {
    ns, rootIf, nsIf, rootAddr: `${prefix}.${base + 1}`, nsAddr: `${prefix}.${base + 2}`, ifindex: 0,
    destroy() {
      spawnSync('ip', ['link', 'del', rootIf], { stdio: 'ignore' });
      spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    },
  };
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', rootIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', ns);
    // No IPv6 on the link: router solicitations and DAD would add packets to the counts.
    execFileSync('sysctl', ['-qw', `net.ipv6.conf.${rootIf}.disable_ipv6=1`]);
    ip('netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${nsIf}.disable_ipv6=1`);
    ip('addr', 'add', `${link.rootAddr}/30`, 'dev', rootIf);
    ip('link', 'set', rootIf, 'up');
    ip('-n', ns, 'addr', 'add', `${link.nsAddr}/30`, 'dev', nsIf);
    ip('-n', ns, 'link', 'set', nsIf, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    link.ifindex = Number(readFileSync(`/sys/class/net/${rootIf}/ifindex`, 'utf8'));
  } catch (e) {
    link.destroy();
    throw e;
  }
  return link;
}

/**
 * Runs a command in the link's namespace, without blocking the event loop (nettrace's
 * output is read meanwhile); resolves with its stdout. `check: false` resolves with it
 * whatever the exit status.
 */
export function inNamespace(link, command, { timeoutMs = 60_000, check = true } = {}) {
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', link.ns, ...command], { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && check) reject(new Error(`${command.join(' ').slice(0, 100)} in ${link.ns} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** `ping -c COUNT` from the namespace to the root end, `size` bytes of payload; resolves with the replies. */
export async function ping(link, count, size = 56) {
  // ping exits with 1 when replies are missing: the count says how many.
  const out = await inNamespace(link, ['ping', '-n', '-q', '-c', String(count), '-i', '0.2', '-W', '5', '-s', String(size), link.rootAddr], { check: false });
  const m = /(\d+) received/.exec(out);
  if (!m) throw new Error(`ping did not run: ${out}`);
  return Number(m[1]);
}

/**
 * Sends `count` UDP datagrams of `payload` bytes from the namespace to dest:port, one
 * after another. bash's /dev/udp does it with one write per datagram, and a shell starts
 * in a fraction of the time a node process takes under TCG.
 */
export function sendUdp(link, { dest, port, count, payload = 16 }) {
  const script = `data=$(printf '%0${payload}d' 0); for i in $(seq ${count}); do printf %s "$data" >/dev/udp/${dest}/${port}; done`;
  return inNamespace(link, ['bash', '-c', script]);
}

/** A UDP socket on the root end that takes datagrams to `port`, so nothing answers them with ICMP. */
export async function udpSink(address, port) {
  const dgram = await import('node:dgram');
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, resolve);
  });
  return () => socket.close();
}

/** A TCP server on the root end that reads until the client ends, then closes its side. */
export async function tcpServer(host, port) {
  const server = createServer((socket) => {
    socket.on('data', () => {});
    socket.on('end', () => socket.end());
    socket.on('error', () => {});
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return () => server.close();
}

/** Connects from the namespace, sends a line, waits for the server's close; resolves with the client's port. */
export async function tcpClient(link, dest, port) {
  const script = `
    const c = require('node:net').connect({ host: '${dest}', port: ${port} }, () => { process.stdout.write(String(c.localPort)); c.end('hello'); });
    c.setTimeout(30000, () => { console.error('timed out'); process.exit(1); });
    c.on('data', () => {});
    c.on('error', (e) => { console.error(e.message); process.exit(1); });`;
  return Number(await inNamespace(link, [process.execPath, '-e', script]));
}

/** Tries to connect from the namespace; resolves with 'connected' or the error code. */
export function tcpAttempt(link, dest, port) {
  const script = `
    const c = require('node:net').connect({ host: '${dest}', port: ${port} });
    c.on('connect', () => { process.stdout.write('connected'); c.destroy(); });
    c.on('error', (e) => process.stdout.write(e.code ?? e.message));`;
  return inNamespace(link, [process.execPath, '-e', script]);
}

/** A TCP counter of the namespace's (RetransSegs ...), from its /proc/net/snmp. */
export async function tcpCounter(link, name) {
  const [names, values] = (await inNamespace(link, ['cat', '/proc/net/snmp'])).split('\n').filter((l) => l.startsWith('Tcp:')).map((l) => l.split(/\s+/));
  return Number(values[names.indexOf(name)]);
}

export const randomPort = () => 20000 + Math.floor(Math.random() * 30000);
