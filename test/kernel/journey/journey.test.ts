// `nettrace journey IFACE` with its output not a terminal: it runs until --timeout and
// prints its last picture as text. The test sends known packets through its own veth
// pair (static neighbour entries, no IPv6: nothing else crosses it) and asserts every
// stage's count, the drops branched off by reason, and that latency was measured.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli } from '../../helpers/cli.js';
import { createTestLink, macAddress, sendUdp, udpSink, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;
afterEach(() => {
  link?.destroy();
  link = undefined;
});

function quietLink(): TestLink {
  const l = createTestLink();
  execFileSync('ip', ['neigh', 'replace', l.nsAddr, 'lladdr', macAddress(l.nsIf, l.ns), 'dev', l.rootIf, 'nud', 'permanent']);
  l.exec('ip', ['neigh', 'replace', l.rootAddr, 'lladdr', macAddress(l.rootIf), 'dev', l.nsIf, 'nud', 'permanent']);
  return l;
}

/** The count on a stage's line of the picture. */
function stage(text: string, label: string): number {
  const m = new RegExp(`^  ${label.replace(/[()]/g, '\\$&')}\\s+(\\d+)`, 'm').exec(text);
  if (!m) throw new Error(`no stage '${label}' in:\n${text}`);
  return Number(m[1]);
}

describe('nettrace journey', () => {
  it('receive: 25 datagrams reach tc and IP, 20 a socket, 5 branch off as NO_SOCKET', async () => {
    link = quietLink();
    const sink = await udpSink(link.rootAddr, 7100);
    const cli = startCli(['journey', link.rootIf, '--timeout', '4']);
    try {
      await cli.waitFor('Attaching '); // the picture counts from here
      sendUdp(link, { dest: link.rootAddr, port: 7100, count: 20 });
      sendUdp(link, { dest: link.rootAddr, port: 7101, count: 5 });
      expect(await cli.exited, cli.stderr()).toBe(0);
    } finally {
      sink.close();
    }
    const text = cli.stdout();
    expect(sink.received()).toBe(20);
    expect(text).toContain(`receive path on ${link.rootIf}`);
    expect(stage(text, 'NIC / XDP')).toBe(25);
    expect(stage(text, 'netif_receive_skb')).toBe(25);
    expect(stage(text, 'tc ingress')).toBe(25);
    expect(stage(text, 'IP (IPv4)')).toBe(25);
    expect(text).toMatch(/IP \(IPv4\)\s+25\s+█+\s+udp 25\n/);
    expect(stage(text, 'socket')).toBe(20);
    expect(text).toMatch(/socket\s+20\s+█+\s+udp 20\n\s+╰─▶ dropped NO_SOCKET\s+5\n/);
    // Every stage after the first says how long packets took to reach it.
    expect(text.match(/│ {2}[\d.]+ (ns|µs|ms) per packet/g)).toHaveLength(2);
  });

  it('transmit: 15 datagrams pass sendmsg, tc egress, the qdisc and the driver', async () => {
    link = quietLink();
    // Nothing listens in the namespace: its ICMP answers are receive traffic, not counted here.
    const cli = startCli(['journey', link.rootIf, '--tx', '--timeout', '4']);
    await cli.waitFor('Attaching ');
    const dgram = await import('node:dgram');
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, link!.rootAddr, () => resolve()));
    for (let i = 0; i < 15; i++) await new Promise<void>((resolve, reject) => s.send('x', 7200, link!.nsAddr, (e) => (e ? reject(e) : resolve())));
    s.close();
    expect(await cli.exited, cli.stderr()).toBe(0);
    const text = cli.stdout();
    expect(text).toContain(`transmit path on ${link.rootIf}`);
    for (const label of ['socket (sendmsg)', 'tc egress', 'net_dev_queue (qdisc)', 'driver: start_xmit', 'driver: done (net_dev_xmit)']) {
      expect(stage(text, label), label).toBe(15);
    }
    expect(text).toMatch(/tc egress\s+15\s+█+\s+udp 15\n/);
    expect(text.match(/│ {2}[\d.]+ (ns|µs|ms) per packet/g)).toHaveLength(2);
  });

  it('an interface that does not exist is NT0202; a missing interface argument NT0505', async () => {
    const missing = startCli(['journey', 'ntl-nope0']);
    expect(await missing.exited).toBe(1);
    expect(missing.stderr()).toContain("error[NT0202]: no interface named 'ntl-nope0'");
    const none = startCli(['journey']);
    expect(await none.exited).toBe(1);
    expect(none.stderr()).toContain('error[NT0505]');
  });
});
