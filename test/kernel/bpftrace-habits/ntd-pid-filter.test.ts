// -p PID (issue 11): a tracepoint probe sees only process PID's packets; an xdp probe,
// which runs in no process's context, sees every packet. Two senders in the test's own
// namespace: the one -p names sends 5 datagrams, another sends 3.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;
let cli: RunningCli | undefined;

afterEach(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  link = undefined;
  cli = undefined;
});

/** A sender in the namespace that waits for a line on stdin, then sends `count` datagrams and exits. */
function waitingSender(l: TestLink, port: number, count: number) {
  const script = `
    const dgram = require('node:dgram');
    process.stdin.once('data', () => {
      const s = dgram.createSocket('udp4');
      let sent = 0;
      const next = () => (sent === ${count} ? s.close() : s.send(Buffer.alloc(16, 120), ${port}, '${l.rootAddr}', () => { sent++; next(); }));
      next();
    });`;
  // ip netns exec execs node in its place: the child's pid is the sender's.
  const child = spawn('ip', ['netns', 'exec', l.ns, process.execPath, '-e', script], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { pid: child.pid!, go: () => child.stdin.end('go\n'), exited };
}

describe('-p PID', () => {
  it('filters the tracepoint probe to the process, not the xdp probe', async () => {
    link = createTestLink('ntd');
    // Neighbour resolution first, so no ARP request is sent in the sender's context.
    sendUdpFromNamespace(link, link.rootAddr, 4243, 1);
    await sleep(300);
    const sender = waitingSender(link, 4243, 5);
    // 58 bytes: Ethernet 14 + IPv4 20 + UDP 8 + 16 of payload.
    const program = `tracepoint:net:net_dev_queue /args.len == 58/ { @sent = count() } xdp:${link.rootIf} /udp.dport == 4243/ { @xdp = count() }`;
    cli = startCli(['-p', String(sender.pid), '-e', program]);
    await cli.waitFor('Attaching 2 probes...');
    sender.go();
    expect(await sender.exited).toBe(0);
    sendUdpFromNamespace(link, link.rootAddr, 4243, 3);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toBe('');
    expect(cli.stdout()).toBe('Attaching 2 probes...\n\n\n@sent: 5\n@xdp: 8\n');
  });
});
