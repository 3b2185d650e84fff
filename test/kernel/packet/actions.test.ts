// Actions on real traffic: without --unsafe a program that drops is refused before
// anything attaches; with it, dropped packets never reach the far side, and traffic
// flows again the moment nettrace exits.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, pingFromNamespace, sendUdp, udpSink, xdpAttached, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;
let cli: RunningCli | undefined;
const cleanups: (() => void)[] = [];

afterEach(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  for (const c of cleanups.splice(0)) c();
  link?.destroy();
  link = undefined;
  cli = undefined;
});

async function stop(c: RunningCli): Promise<string> {
  await sleep(300);
  c.child.kill('SIGINT');
  expect(await c.exited, c.stderr()).toBe(0);
  return c.stdout();
}

describe('--unsafe', () => {
  it('a program that drops is refused without it: NT0310 on the action, nothing attached', async () => {
    link = createTestLink();
    const program = `xdp:${link.rootIf} /udp.dport == 9/ { @n = count(); drop }`;
    const { code, stdout, stderr } = await runCli(['-e', program]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const column = program.indexOf('drop') + 1;
    expect(stderr).toMatch(new RegExp(`^-e:1:${column}: error\\[NT0310\\]: 'drop' changes traffic on ${link.rootIf}`));
    expect(stderr).toContain(`\n${' '.repeat(column - 1)}~~~~\n`); // the underline sits on `drop`
    expect(stderr).toContain('--unsafe');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(xdpAttached(link.rootIf)).toBe(false);
  });

  it('pass changes nothing and needs no --unsafe', async () => {
    link = createTestLink();
    const l = link;
    cli = startCli(['-e', `xdp:${l.rootIf} /udp/ { @n = count(); pass }`]);
    await cli.waitFor('Attaching 1 probe...');
    sendUdp(l, { dest: l.rootAddr, port: 9, count: 4 });
    expect(await stop(cli)).toContain('@n: 4\n');
  });
});

describe('drop really drops', () => {
  it('xdp drop: the datagrams never reach the socket on the far side; after exit they do', async () => {
    link = createTestLink();
    const l = link;
    const sink = await udpSink(l.rootAddr, 9100);
    cleanups.push(() => sink.close());
    cli = startCli(['--unsafe', '-e', `xdp:${l.rootIf} /udp.dport == 9100/ { @dropped = count(); drop }`]);
    await cli.waitFor('Attaching 1 probe...');
    sendUdp(l, { dest: l.rootAddr, port: 9100, count: 10 });
    expect(await stop(cli)).toContain('@dropped: 10\n');
    expect(sink.received()).toBe(0);
    // Detached with the process: the same traffic gets through again.
    sendUdp(l, { dest: l.rootAddr, port: 9100, count: 5 });
    await sleep(200);
    expect(sink.received()).toBe(5);
  });

  it('xdp drop of ICMP: every ping is lost', async () => {
    link = createTestLink();
    const l = link;
    cli = startCli(['--unsafe', '-e', `xdp:${l.rootIf} /icmp.type == 8/ { drop }`]);
    await cli.waitFor('Attaching 1 probe...');
    expect(pingFromNamespace(l, l.rootAddr, 3)).toBe(0);
    await stop(cli);
    expect(pingFromNamespace(l, l.rootAddr, 3)).toBe(3);
  });

  it('tc ingress drop: the socket gets nothing; tc egress drop: the echo replies never leave', async () => {
    link = createTestLink();
    const l = link;
    const sink = await udpSink(l.rootAddr, 9200);
    cleanups.push(() => sink.close());
    cli = startCli(['--unsafe', '-e', `tc:${l.rootIf}:ingress /udp.dport == 9200/ { drop } tc:${l.rootIf}:egress /icmp.type == 0/ { @replies = count(); drop }`]);
    await cli.waitFor('Attaching 2 probes...');
    sendUdp(l, { dest: l.rootAddr, port: 9200, count: 6 });
    expect(pingFromNamespace(l, l.rootAddr, 3)).toBe(0);
    expect(await stop(cli)).toContain('@replies: 3\n');
    expect(sink.received()).toBe(0);
  });
});
