// Every lesson, run as a learner runs it (`nettrace lesson NAME`): it builds its own
// sandbox (two namespaces ntl-PID-a/b and a veth pair), runs its stdlib script, makes
// its traffic, and prints its maps and findings. The test reads the sandbox's addresses
// from the lesson's first lines and asserts the exact map lines the traffic must give,
// from the traffic's own numbers (not from the lesson's findings), then that the sandbox
// is gone. One lesson at a time: they are timing-sensitive and the machine is shared.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli, sleep, startCli } from '../../helpers/cli.js';
import { createTestLink, requireRoot } from '../../helpers/netns.js';
import { LESSONS } from '../../../src/lesson/registry.js';

interface LessonRun {
  stdout: string;
  a: string;
  b: string;
  b2: string;
  ifA: string;
  ifB: string;
  /** The sandbox's /28 base plus n. */
  addr(n: number): string;
}

function namespaces(): string {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
}

async function lesson(name: string): Promise<LessonRun> {
  requireRoot();
  const { code, stdout, stderr } = await runCli(['lesson', name]);
  const m = /^sandbox: (ntl-(\d+)-a) \((ntl\d+a) ([\d.]+)\) <-veth-> ntl-\d+-b \((ntl\d+b) ([\d.]+)\)$/m.exec(stdout);
  expect(m, `no sandbox line:\n${stdout}\n${stderr}`).not.toBeNull();
  const pid = m![2];
  // Removed on the way out, whatever the outcome.
  expect(namespaces()).not.toMatch(new RegExp(`ntl-${pid}-`));
  expect(code, `${stdout}\n${stderr}`).toBe(0);
  const a = m![4];
  const parts = a.split('.').map(Number);
  const addr = (n: number) => `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3] - 1 + n}`;
  return { stdout, a, b: m![6], b2: addr(3), ifA: m![3], ifB: m![5], addr };
}

describe('nettrace lesson', () => {
  it('lists the twelve lessons and latency', async () => {
    const { code, stdout } = await runCli(['lesson']);
    expect(code).toBe(0);
    const names = stdout.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    expect(names).toEqual(['receive', 'transmit', 'drops', 'tcp-states', 'retransmits', 'top-talkers', 'syn-flood', 'qdisc', 'napi', 'arp', 'routing', 'socket-queues', 'latency']);
  });

  it('every lesson\'s script also loads on an interface outside any sandbox (nettrace stdlib/NAME.nt IFACE)', async () => {
    const link = createTestLink();
    try {
      for (const l of LESSONS) {
        const script = new URL(`../../../stdlib/${l.script}`, import.meta.url).pathname;
        const { code, stdout, stderr } = await runCli(['--dry-run', ...(l.unsafe ? ['--unsafe'] : []), script, link.rootIf]);
        expect(code, `${l.script}: ${stderr}`).toBe(0);
        expect(stdout).toMatch(/ok: \d+ program\(s\) verified/);
      }
    } finally {
      link.destroy();
    }
  });

  it('an unknown lesson is NT0560 with the closest name', async () => {
    const { code, stderr } = await runCli(['lesson', 'dorps']);
    expect(code).toBe(1);
    expect(stderr).toContain('error[NT0560]');
    expect(stderr).toContain("did you mean 'drops'");
  });

  it('receive: 20 datagrams pass XDP, tc, netif_receive_skb, the socket queue and the read', async () => {
    const r = await lesson('receive');
    for (const line of [`@xdp[${r.b}]: 20`, `@tc_ingress[${r.b}]: 20`, `@netif_receive[${r.ifA}]: 20`, `@queued[${r.a}, 7000]: 20`, `@read[${r.a}, 7000]: 20`]) {
      expect(r.stdout).toContain(`\n${line}\n`);
    }
    expect(r.stdout).not.toContain(`\n@dropped[${r.b},`);
  });

  it('transmit: 15 datagrams pass sendmsg, tc egress, dev_queue_xmit and the driver', async () => {
    const r = await lesson('transmit');
    for (const line of [`@sendmsg[${r.a}]: 15`, `@tc_egress[${r.b}]: 15`, `@dev_queue[${r.ifA}]: 15`, `@start_xmit[${r.ifA}]: 15`, `@xmit[${r.ifA}, 0]: 15`]) {
      expect(r.stdout).toContain(`\n${line}\n`);
    }
  });

  it('drops: 25 datagrams to a closed port are 25 NO_SOCKET drops from the sender', async () => {
    const r = await lesson('drops');
    expect(r.stdout).toContain(`\n@sources[${r.b}, NO_SOCKET]: 25\n`);
    expect(r.stdout).toContain('25 datagrams went to a closed port; @sources');
  });

  it('tcp-states: both ends of one connection, every transition once', async () => {
    const r = await lesson('tcp-states');
    const clientPort = /from [\d.]+:(\d+) to a server/.exec(r.stdout)![1];
    for (const [from, to] of [['CLOSE', 'SYN_SENT'], ['SYN_SENT', 'ESTABLISHED'], ['ESTABLISHED', 'FIN_WAIT1'], ['FIN_WAIT1', 'FIN_WAIT2'], ['FIN_WAIT2', 'CLOSE']]) {
      expect(r.stdout).toContain(`\n@ipv4[${r.b}, ${r.a}, 8080, TCP_${from}, TCP_${to}]: 1\n`);
    }
    for (const [from, to] of [['SYN_RECV', 'ESTABLISHED'], ['ESTABLISHED', 'CLOSE_WAIT'], ['CLOSE_WAIT', 'LAST_ACK'], ['LAST_ACK', 'CLOSE']]) {
      expect(r.stdout).toContain(`\n@ipv4[${r.a}, ${r.b}, ${clientPort}, TCP_${from}, TCP_${to}]: 1\n`);
    }
  });

  it('retransmits: a SYN into a link dead for 2.5 s is retransmitted 3 times (linear SYN timeouts)', async () => {
    // net.ipv4.tcp_syn_linear_timeouts (6.5+) makes the retransmits 1 s, 2 s, 3 s apart:
    // three by the time the link is back; without it they double (1 s, 3 s): two.
    const linear = spawnSync('sysctl', ['-n', 'net.ipv4.tcp_syn_linear_timeouts']).status === 0;
    // Whether this kernel has sch_netem decides how the lesson loses packets: ask it here too.
    const probe = createTestLink();
    let netem: boolean;
    try {
      netem = spawnSync('ip', ['netns', 'exec', probe.ns, 'tc', 'qdisc', 'add', 'dev', probe.nsIf, 'root', 'netem', 'loss', '0%']).status === 0;
    } finally {
      probe.destroy();
    }
    const r = await lesson('retransmits');
    expect(r.stdout).toMatch(netem ? /while netem loses every packet for 2.5 s; connected after \d+ ms/ : /while ntl\d+a is down \(no netem in this kernel\) for 2.5 s; connected after \d+ ms/);
    const ms = Number(/connected after (\d+) ms/.exec(r.stdout)![1]);
    expect(ms).toBeGreaterThanOrEqual(3000);
    expect(ms).toBeLessThan(3500);
    expect(r.stdout).toContain(`\n@retransmits[${r.a}, 8080, TCP_SYN_SENT]: ${linear ? 3 : 2}\n`);
  });

  it('top-talkers: frames and bytes per source at XDP', async () => {
    const r = await lesson('top-talkers');
    for (const line of [`@packets[${r.b}]: 30`, `@bytes[${r.b}]: ${30 * 1042}`, `@packets[${r.b2}]: 10`, `@bytes[${r.b2}]: ${10 * 142}`]) {
      expect(r.stdout).toContain(`\n${line}\n`);
    }
  });

  it('syn-flood: 100 SYNs, 90 dropped at XDP, 10 SYN-ACKs', async () => {
    const r = await lesson('syn-flood');
    for (const line of [`@syns[${r.b}]: 100`, `@dropped[${r.b}]: 90`, `@synack[${r.b}]: 10`]) expect(r.stdout).toContain(`\n${line}\n`);
    expect(r.stdout).toContain('running: nettrace --unsafe stdlib/syn-flood.nt');
  });

  it('qdisc: 20 packets through a tbf, all enqueued and dequeued, the last waiting over 100 ms', async () => {
    const r = await lesson('qdisc');
    expect(r.stdout).toContain(`\n@enqueued[${r.ifA}]: 20\n`);
    expect(r.stdout).toContain(`\n@dequeued[${r.ifA}]: 20\n`);
    // 20 frames of 1042 bytes at 1 Mbit/s after a 2048-byte burst: the last waits ~150 ms.
    const buckets = [...r.stdout.matchAll(/^ {2}\[(\d+), (\d+)\)\s+(\d+)$/gm)].filter((m) => Number(m[3]) > 0);
    expect(Number(buckets.at(-1)![2])).toBeGreaterThan(100_000);
  });

  it('napi: 200 waiting frames are taken in 4 polls, 3 of them using the whole budget of 64', async () => {
    const r = await lesson('napi');
    for (const line of [`@frames[${r.b}]: 200`, `@work[${r.ifA}]: 200`, `@polls[${r.ifA}]: 4`, `@budget_used_up[${r.ifA}]: 3`]) {
      expect(r.stdout).toContain(`\n${line}\n`);
    }
  });

  it('arp: one ping between strangers is one ARP request, one reply and an entry on each side', async () => {
    const r = await lesson('arp');
    for (const line of [
      `@arp[ingress]: 1`,
      `@arp[egress]: 1`,
      `@created[${r.ifB}, ${r.a}]: 1`,
      `@created[${r.ifA}, ${r.b}]: 1`,
      `@updates[${r.ifB}, ${r.a}, incomplete, reachable]: 1`,
      `@updates[${r.ifA}, ${r.b}, 0, stale]: 1`,
    ]) {
      expect(r.stdout).toContain(`${line}\n`);
    }
  });

  it('routing: one FIB lookup per send, answered by the route type', async () => {
    const r = await lesson('routing');
    for (const line of [
      `@lookups[${r.addr(9)}, ${r.b}, ${r.ifA}, 0]: 4`,
      `@lookups[${r.addr(10)}, 0.0.0.0, -, -22]: 3`,
      `@lookups[${r.addr(11)}, 0.0.0.0, -, -113]: 2`,
      `@lookups[${r.addr(12)}, 0.0.0.0, -, -13]: 1`,
      `@lookups[${r.addr(9)}, 0.0.0.0, -, -11]: 4`,
    ]) {
      expect(r.stdout).toContain(`${line}\n`);
    }
  });

  it('socket-queues: what the receive buffer kept plus what it dropped is what was sent; the accept queue holds 2', async () => {
    const r = await lesson('socket-queues');
    const read = Number(/it read (\d+) later/.exec(r.stdout)![1]);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(50);
    for (const line of [
      `@queued[${r.a}, 7000]: ${read}`,
      `@read[${r.a}, 7000]: ${read}`,
      `@dropped[${r.b}, SOCKET_RCVBUFF]: ${50 - read}`,
      `@connects[${r.a}, 8000]: 4`,
      `@handshakes[${r.a}, 8000]: 2`,
    ]) {
      expect(r.stdout).toContain(`${line}\n`);
    }
    expect(r.stdout).toContain('(2 connected)');
  });

  it('latency: every packet that reached a second stage is paired with its first, 30 each way', async () => {
    const r = await lesson('latency');
    for (const line of [
      `@reached_netif[${r.ifA}]: 30`,
      `@paired[xdp -> netif_receive_skb]: 30`,
      `@reached[tc ingress]: 30`,
      `@paired[netif_receive_skb -> tc ingress]: 30`,
      `@reached_tx[net_dev_start_xmit, ${r.ifA}]: 30`,
      `@paired_tx[net_dev_queue -> start_xmit, ${r.ifA}]: 30`,
      `@reached_tx[net_dev_xmit, ${r.ifA}]: 30`,
      `@paired_tx[start_xmit -> net_dev_xmit, ${r.ifA}]: 30`,
    ]) {
      expect(r.stdout).toContain(`\n${line}\n`);
    }
    expect(r.stdout).not.toContain('\n@unpaired[');
    expect(r.stdout).not.toContain('\n@lost[');
    // Each pair's histogram holds exactly the paired packets.
    for (const pair of ['xdp -> netif_receive_skb', 'netif_receive_skb -> tc ingress']) {
      const block = new RegExp(`\\n@latency_ns\\[${pair}\\]:\\n((?:  \\[.*\\n)+)`).exec(r.stdout)![1];
      const total = [...block.matchAll(/(\d+)\n/g)].reduce((n, m) => n + Number(m[1]), 0);
      expect(total, pair).toBe(30);
    }
  });

  it('Ctrl-C in the middle of a lesson removes its sandbox; a killed lesson\'s sandbox is removed by the next', async () => {
    requireRoot();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const cli = startCli(['lesson', 'retransmits']);
      await cli.waitFor('running: ');
      const pid = /ntl-(\d+)-a/.exec(cli.stdout())![1];
      expect(namespaces()).toContain(`ntl-${pid}-a`);
      cli.child.kill(signal);
      await cli.exited;
      expect(namespaces()).not.toContain(`ntl-${pid}-`);
    }
    const killed = startCli(['lesson', 'retransmits']);
    await killed.waitFor('running: ');
    const pid = /ntl-(\d+)-a/.exec(killed.stdout())![1];
    killed.child.kill('SIGKILL');
    await killed.exited;
    await sleep(200);
    expect(namespaces()).toContain(`ntl-${pid}-a`);
    const next = await runCli(['lesson', 'drops']);
    expect(next.stdout).toContain(`(removed ntl-${pid}-a, left by a lesson that was killed)`);
    expect(namespaces()).not.toContain(`ntl-${pid}-`);
  });
});
