// Traffic for the tracing tests, always between the test's own namespace and the root
// end of its veth pair, so tracepoint programs (which see the whole machine) can filter
// on the test's addresses and ports. nettrace itself runs in the root namespace: `ip
// netns exec` remounts /sys and would hide tracefs.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { RunningCli } from '../../helpers/cli.js';
import { sleep, startCli } from '../../helpers/cli.js';
import type { TestLink } from '../../helpers/netns.js';

/** A port unlikely to collide with another test's (each test has its own addresses anyway). */
export function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 30000);
}

/** Sends `count` UDP datagrams from the namespace; `broadcast` allows a broadcast destination. */
export function udpFromNamespace(link: TestLink, dest: string, port: number, count: number, opts: { payload?: number; broadcast?: boolean } = {}): void {
  const script = `
    const s = require('node:dgram').createSocket('udp4');
    s.bind(0, () => {
      s.setBroadcast(${opts.broadcast ? 'true' : 'false'});
      const payload = Buffer.alloc(${opts.payload ?? 16}, 120);
      let sent = 0;
      const next = () => {
        if (sent === ${count}) return s.close();
        s.send(payload, ${port}, '${dest}', (err) => { if (err) { console.error(err); process.exit(1); } sent++; next(); });
      };
      next();
    });`;
  link.exec(process.execPath, ['-e', script]);
}

/**
 * Connects from the namespace to dest:port, sends `message`, waits for the server to close,
 * then closes; resolves with the client's local port. Asynchronous on purpose: the server
 * usually lives in this test process, and a synchronous exec would block its event loop.
 */
export async function tcpClientFromNamespace(link: TestLink, dest: string, port: number, message = 'hello'): Promise<number> {
  const script = `
    const c = require('node:net').connect({ host: '${dest}', port: ${port} }, () => {
      process.stdout.write(String(c.localPort));
      c.end(${JSON.stringify(message)});
    });
    c.setTimeout(10000, () => { console.error('timed out'); process.exit(1); });
    c.on('data', () => {});
    c.on('error', (e) => { console.error(e.message); process.exit(1); });`;
  const { stdout } = await inNamespace(link, [process.execPath, '-e', script]);
  return Number(stdout);
}

/**
 * Tries to connect for `giveUpMs`, then gives up (closing the socket); resolves with how it
 * ended: 'connected', an error code, or 'gave up'.
 */
export async function tcpAttemptFromNamespace(link: TestLink, dest: string, port: number, giveUpMs: number): Promise<string> {
  const script = `
    const c = require('node:net').connect({ host: '${dest}', port: ${port} });
    const timer = setTimeout(() => { process.stdout.write('gave up'); c.destroy(); }, ${giveUpMs});
    c.on('connect', () => { clearTimeout(timer); process.stdout.write('connected'); c.destroy(); });
    c.on('error', (e) => { clearTimeout(timer); process.stdout.write(e.code ?? e.message); });`;
  return (await inNamespace(link, [process.execPath, '-e', script])).stdout;
}

function inNamespace(link: TestLink, command: string[]): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', link.ns, ...command], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command.join(' ').slice(0, 80)} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout });
    });
  });
}

/** A TCP server on the root end that reads until the client ends, then closes its side. */
export async function tcpServer(host: string, port: number): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('data', () => {});
    socket.on('end', () => socket.end());
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/**
 * Runs nettrace with `args` until it has attached, runs `traffic`, waits for the kernel
 * to finish with the packets, stops it with SIGINT and returns what it printed.
 */
export async function traceDuring(args: string[], traffic: () => void | Promise<void>, settleMs = 300): Promise<{ stdout: string; stderr: string; code: number | string }> {
  const cli: RunningCli = startCli(args);
  try {
    await cli.waitFor('Attaching');
    await traffic();
    await sleep(settleMs);
    cli.child.kill('SIGINT');
    const code = await cli.exited;
    return { stdout: cli.stdout(), stderr: cli.stderr(), code };
  } finally {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  }
}
