// A lesson's traffic, made by Node itself inside the sandbox's namespaces
// (`ip netns exec NS node -e ...`): Node is always there, unlike nc or hping3. Every
// child is remembered, so a lesson that is interrupted ends them before it removes the
// sandbox. Each generator resolves with what it did, so the lesson can tie the figures
// nettrace printed to the traffic it made.
import { spawn, type ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();

/** Ends every traffic process still running (on an interrupted lesson). */
export function killTraffic(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

export interface Background {
  /** Resolves with the first line the process printed (it says it is ready). */
  ready: Promise<string>;
  /** Resolves with everything it printed, once it exits by itself. */
  done: Promise<string>;
  stop(): void;
}

/** Starts a process in a namespace; its first line of output means "ready". */
export function startIn(ns: string, cmd: string, args: string[]): Background {
  const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  let readyResolve: (line: string) => void = () => {};
  const ready = new Promise<string>((resolve) => (readyResolve = resolve));
  child.stdout!.on('data', (d) => {
    out += d;
    const nl = out.indexOf('\n');
    if (nl >= 0) readyResolve(out.slice(0, nl));
  });
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<string>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0 || signal === 'SIGTERM') resolve(out);
      else reject(new Error(`${cmd} in ${ns} ended with ${code ?? signal}: ${err.trim()}`));
    });
  });
  // A child that dies before it is ready must not leave the lesson waiting.
  const readyOrDead = Promise.race([ready, done.then(() => { throw new Error(`${cmd} in ${ns} ended before it was ready: ${err.trim()}`); })]);
  readyOrDead.catch(() => {});
  done.catch(() => {});
  return { ready: readyOrDead, done, stop: () => child.kill('SIGTERM') };
}

/** Runs a Node script in a namespace to its end and returns what it printed. */
export function nodeIn(ns: string, script: string): Promise<string> {
  return startIn(ns, process.execPath, ['-e', script]).done;
}

/** Starts a Node script in a namespace that prints a line when it is ready. */
export function nodeInBackground(ns: string, script: string): Background {
  return startIn(ns, process.execPath, ['-e', script]);
}

export interface Datagrams {
  from?: string;
  to: string;
  port: number;
  count: number;
  payloadBytes?: number;
  /** All at once, in one tight loop of sendto() calls, rather than one after another's completion. */
  burst?: boolean;
  /** Run the sender on this CPU as a real-time (SCHED_FIFO) task: nothing else of normal priority runs there until it is done. */
  realtimeOnCpu?: number;
}

/** Datagrams in a tight loop: Node hands each to sendto() at once, without waiting for the last. */
async function sendBurst(ns: string, o: Datagrams): Promise<{ sent: number; errors: Record<string, number> }> {
  const run = (script: string) =>
    o.realtimeOnCpu === undefined ? nodeIn(ns, script) : startIn(ns, 'taskset', ['-c', String(o.realtimeOnCpu), 'chrt', '-f', '10', process.execPath, '-e', script]).done;
  const out = await run(`
    const s = require('node:dgram').createSocket('udp4');
    const payload = Buffer.alloc(${o.payloadBytes ?? 16}, 120);
    let done = 0, sent = 0; const errors = {};
    s.bind({ address: ${JSON.stringify(o.from ?? '0.0.0.0')}, port: 0 }, () => {
      for (let i = 0; i < ${o.count}; i++) s.send(payload, ${o.port}, '${o.to}', (err) => {
        if (err) errors[err.code] = (errors[err.code] || 0) + 1; else sent++;
        if (++done === ${o.count}) { console.log(JSON.stringify({ sent, errors })); s.close(); }
      });
    });`);
  return JSON.parse(out.trim().split('\n').pop()!);
}

/**
 * Sends UDP datagrams one after the other from a socket bound to `from`; resolves with how
 * many the kernel accepted and the errors the rest got (an unreachable route answers
 * sendto() with an error, and that is part of some lessons).
 */
export async function sendDatagrams(ns: string, o: Datagrams): Promise<{ sent: number; errors: Record<string, number> }> {
  if (o.burst) return sendBurst(ns, o);
  const out = await nodeIn(ns, `
    const s = require('node:dgram').createSocket('udp4');
    const payload = Buffer.alloc(${o.payloadBytes ?? 16}, 120);
    let sent = 0, done = 0; const errors = {};
    const next = () => {
      if (done === ${o.count}) { console.log(JSON.stringify({ sent, errors })); return s.close(); }
      s.send(payload, ${o.port}, '${o.to}', (err) => {
        done++;
        if (err) errors[err.code] = (errors[err.code] || 0) + 1; else sent++;
        next();
      });
    };
    s.on('error', () => {});
    s.bind({ address: ${JSON.stringify(o.from ?? '0.0.0.0')}, port: 0 }, next);`);
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** A UDP socket in a namespace that reads datagrams until stopped; prints how many it read. */
export function udpReceiver(ns: string, address: string, port: number, options: { rcvbuf?: number } = {}): Background & { count(): Promise<number> } {
  const bg = nodeInBackground(ns, `
    const s = require('node:dgram').createSocket({ type: 'udp4'${options.rcvbuf ? `, recvBufferSize: ${options.rcvbuf}` : ''} });
    let got = 0;
    s.on('message', () => got++);
    process.on('SIGTERM', () => { console.log('read ' + got); process.exit(0); });
    s.bind(${port}, '${address}', () => {
      console.log('ready');
    });`);
  return {
    ...bg,
    async count() {
      bg.stop();
      const out = await bg.done;
      return Number(/read (\d+)/.exec(out)?.[1] ?? NaN);
    },
  };
}

/** Waits `ms` milliseconds. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A TCP server in a namespace: it reads what a client sends and closes after the client does. Prints "ready". */
export function tcpServer(ns: string, address: string, port: number): Background {
  return nodeInBackground(ns, `
    const srv = require('node:net').createServer((c) => { c.on('data', () => {}); c.on('end', () => c.end()); c.on('error', () => {}); });
    process.on('SIGTERM', () => process.exit(0));
    srv.listen({ port: ${port}, host: '${address}' }, () => console.log('ready'));`);
}

/**
 * A listener that never calls accept(), so its accept queue fills. Node's net server
 * always accepts (libuv does it as soon as a connection is ready), so this one is
 * Python's socket module, as the SYN flood's sender is.
 */
export function idleListener(ns: string, address: string, port: number, backlog: number): Background {
  return startIn(ns, 'python3', ['-c', `
import socket, signal, sys, time
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
s = socket.socket()
s.bind(('${address}', ${port}))
s.listen(${backlog})
print('ready', flush=True)
while True: time.sleep(1)
`]);
}

type TcpClientOptions = { from?: string; to: string; port: number; bytes?: number; timeoutMs?: number };

export interface TcpClientResult {
  port: number;
  connectMs: number;
  connected: boolean;
}

/**
 * connect() from a namespace, optionally bound to `from`; sends `bytes`, closes, and waits
 * for the server's close. Resolves with the client's port and how long the connect took.
 */
export function tcpClient(ns: string, o: TcpClientOptions): Promise<TcpClientResult> {
  return startTcpClient(ns, o).result;
}

/**
 * tcpClient, with `connecting`: resolves once connect() has been called, so the first SYN
 * is on its way. A lesson that times something from the SYN starts its clock there, not
 * at the spawn (starting Node in the namespace takes 0.1 s, more on a loaded machine).
 */
export function startTcpClient(ns: string, o: TcpClientOptions): { connecting: Promise<void>; result: Promise<TcpClientResult> } {
  const client = startIn(ns, process.execPath, ['-e', `
    const started = Date.now();
    const c = require('node:net').connect({ host: '${o.to}', port: ${o.port}${o.from ? `, localAddress: '${o.from}'` : ''} });
    console.log('connecting');
    let connectMs = 0, port = 0;
    // Gave up: say whether the handshake had completed (a listener that never accepts still completes it).
    const timer = setTimeout(() => { console.log(JSON.stringify({ port, connectMs, connected: connectMs > 0 })); process.exit(0); }, ${o.timeoutMs ?? 10000});
    c.on('connect', () => { connectMs = Date.now() - started; port = c.localPort; c.end(Buffer.alloc(${o.bytes ?? 100}, 120)); });
    c.on('close', () => { clearTimeout(timer); console.log(JSON.stringify({ port, connectMs, connected: true })); });
    c.on('error', (e) => { console.error(e.message); process.exit(1); });`]);
  return {
    connecting: client.ready.then(() => undefined),
    result: client.done.then((out) => JSON.parse(out.trim().split('\n').pop()!)),
  };
}
