// The packet lessons in stdlib/, run as a user runs them (`nettrace stdlib/NAME.nt IFACE`)
// on the test's own link, under traffic whose every packet the test knows: each script
// must print exactly what that traffic means.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, interfaceIndex, pingFromNamespace, sendUdp, udpSink, type TestLink } from '../../helpers/netns.js';

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

const script = (name: string) => new URL(`../../../stdlib/${name}`, import.meta.url).pathname;

/** Runs stdlib/NAME on the link's root end under `traffic`; returns what it printed. */
async function runScript(name: string, probes: number, traffic: (l: TestLink) => void | Promise<void>): Promise<string> {
  link = createTestLink();
  const l = link;
  // Nothing may answer from the root side but what the test expects: a socket takes the UDP.
  const sink = await udpSink(l.rootAddr, 7000);
  cleanups.push(() => sink.close());
  cli = startCli([script(name), l.rootIf]);
  await cli.waitFor(`Attaching ${probes} probe${probes === 1 ? '' : 's'}...`);
  await traffic(l);
  await sleep(300);
  cli.child.kill('SIGINT');
  expect(await cli.exited, cli.stderr()).toBe(0);
  return cli.stdout();
}

describe('stdlib packet lessons', () => {
  it('each opens with a comment on where its hook sits and how to read the output', () => {
    for (const name of ['top-talkers.nt', 'protocols.nt', 'rx-sizes.nt']) {
      const text = readFileSync(script(name), 'utf8');
      expect(text.startsWith('//'), name).toBe(true);
      expect(text, name).toMatch(/Where the hooks? sits?:/);
      expect(text, name).toContain('How to read it:');
    }
  });

  it('top-talkers.nt: bytes and packets per source address at XDP', async () => {
    const out = await runScript('top-talkers.nt', 1, (l) => sendUdp(l, { dest: l.rootAddr, port: 7000, count: 10, payloadBytes: 100 }));
    // 10 frames of 14 + 20 + 8 + 100 bytes; the ARP request before them is not IP. The
    // empty @bytes6 and @packets6 print an empty line each, as bpftrace prints empty maps.
    expect(out).toBe(`Attaching 1 probe...\n\n\n@bytes[${link!.nsAddr}]: 1420\n\n@packets[${link!.nsAddr}]: 10\n\n`);
  });

  it('protocols.nt: packets per protocol and direction at tc ingress and egress', async () => {
    const out = await runScript('protocols.nt', 2, (l) => {
      sendUdp(l, { dest: l.rootAddr, port: 7000, count: 5 });
      expect(pingFromNamespace(l, l.rootAddr, 3)).toBe(3);
    });
    // In: an ARP request (42 bytes), 5 UDP datagrams (58), 3 echo requests (98).
    // Out: the ARP reply and 3 echo replies.
    expect(out).toBe(
      [
        'Attaching 2 probes...',
        '',
        '',
        '@bytes[egress]: 336',
        '@bytes[ingress]: 626',
        '@other[egress, arp]: 1',
        '@other[ingress, arp]: 1',
        '@packets[egress, icmp]: 3',
        '@packets[ingress, icmp]: 3',
        '@packets[ingress, udp]: 5',
        '',
      ].join('\n'),
    );
  });

  it('rx-sizes.nt: a histogram of received sizes per interface', async () => {
    const out = await runScript('rx-sizes.nt', 1, (l) => {
      sendUdp(l, { dest: l.rootAddr, port: 7000, count: 10, payloadBytes: 100 }); // 142 bytes
      sendUdp(l, { dest: l.rootAddr, port: 7000, count: 4, payloadBytes: 1000 }); // 1042 bytes
    });
    // Plus the ARP request (42 bytes) that comes first.
    expect(out).toBe(
      [
        'Attaching 1 probe...',
        '',
        '',
        `@rx_size[${interfaceIndex(link!.rootIf)}]: `,
        '[32, 64)               1 |@@@@@                                               |',
        '[64, 128)              0 |                                                    |',
        '[128, 256)            10 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|',
        '[256, 512)             0 |                                                    |',
        '[512, 1K)              0 |                                                    |',
        '[1K, 2K)               4 |@@@@@@@@@@@@@@@@@@@@                                |',
        '',
        '',
      ].join('\n'),
    );
  });
});
