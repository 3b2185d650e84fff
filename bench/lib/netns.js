// The bench's own network: one namespace and a veth pair with a random name, addresses
// from 198.18.0.0/15 that exist only on that link, traffic only between its two ends.
// The same scheme as test/helpers/netns.ts, in plain JavaScript for the bench.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export function createBenchLink() {
  const id = randomBytes(3).toString('hex');
  const ns = `ntb-${id}`;
  const rootIf = `ntb${id}r`;
  const nsIf = `ntb${id}n`;
  const third = parseInt(id.slice(0, 2), 16) & 0x7f;
  const rootAddr = `198.19.${third}.1`;
  const nsAddr = `198.19.${third}.2`;
  const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const link = {
    ns, rootIf, nsIf, rootAddr, nsAddr,
    exec(cmd, args, options = {}) {
      return execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
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
 * Sends `count` UDP datagrams from inside the namespace to dest, ports firstPort,
 * firstPort+1, ... cycling through `ports` ports; sendmmsg-free, but without waiting for
 * each send's callback, so it goes at tens of thousands per second.
 */
export function sendUdp(link, dest, options) {
  link.exec(process.execPath, ['-e', senderScript(dest, options)], { maxBuffer: 1 << 20 });
}

/** sendUdp without blocking this process: resolves when the sender has finished. */
export function sendUdpAsync(link, dest, options) {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', link.ns, process.execPath, '-e', senderScript(dest, options)], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`UDP sender exited with ${code}`))));
  });
}

function senderScript(dest, { count, firstPort = 9, ports = 1, payloadBytes = 16 }) {
  return `
    const s = require('node:dgram').createSocket('udp4');
    const payload = Buffer.alloc(${payloadBytes}, 120);
    let sent = 0, done = 0;
    const burst = () => {
      const until = Math.min(${count}, sent + 256);
      for (; sent < until; sent++) s.send(payload, ${firstPort} + (sent % ${ports}), '${dest}', () => { if (++done === ${count}) s.close(); });
      if (sent < ${count}) setImmediate(burst);
    };
    burst();`;
}

/**
 * A steady trickle of datagrams (one every `everyMs`) from the namespace to dest until
 * stop() is called: keeps network tracepoints firing while a tracer starts.
 */
export function trickleUdp(link, dest, { port = 9, everyMs = 1 } = {}) {
  const script = `
    const s = require('node:dgram').createSocket('udp4');
    const payload = Buffer.alloc(16, 120);
    setInterval(() => s.send(payload, ${port}, '${dest}'), ${everyMs});`;
  const child = spawn('ip', ['netns', 'exec', link.ns, process.execPath, '-e', script], { stdio: 'ignore' });
  return {
    stop() {
      child.kill('SIGKILL');
      spawnSync('ip', ['netns', 'pids', link.ns], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .forEach((pid) => {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            // gone already
          }
        });
    },
  };
}
