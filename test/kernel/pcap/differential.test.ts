// pcap("FILTER") against tcpdump, frame for frame: a generated corpus of varied frames
// (corpus.ts) is written as a pcap file, replayed over the test's own veth pair, and for
// every filter the count at xdp and at tc ingress must equal what `tcpdump -r corpus.pcap
// FILTER` selects from the same file. tc sees the frames after the kernel took the outer
// 802.1Q/802.1ad tag into metadata; pcap() puts it back, so the answers are the same.
//
// One frame family cannot reach tc at all: the kernel frees a frame whose outer tag is
// cut short before tc runs (skb_vlan_untag cannot pull the tag and the EtherType after
// it). tc is therefore compared with tcpdump on the corpus without those frames, and the
// test checks that tc saw exactly that many frames.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { generateCorpus } from './corpus.js';
import { tcpdumpCount, writePcap } from './pcap-file.js';
import { createReplayLink, REPLAY_MTU, type ReplayLink } from './replay-link.js';

export const FILTERS = [
  'ip', 'ip6', 'arp', 'tcp', 'udp', 'icmp', 'icmp6', 'vlan', 'vlan 100', 'vlan and vlan', 'vlan and vlan and vlan',
  'vlan 200 and vlan 300', 'vlan and tcp', 'vlan 100 and ip6', 'tcp port 80', 'udp port 53', 'tcp dst port 80 and not src net 10.0.0.0/8',
  'portrange 1000-2000', 'tcp src portrange 1-1023', 'host 10.1.2.3', 'net 192.168.0.0/16', 'src net 10.0.0.0/8 and dst port 443',
  'ip6 host fd00::1', 'ip6 net 2001:db8::/32', 'ip multicast', 'ether broadcast', 'ether multicast', 'ether proto 0x88cc',
  'ether host 02:00:00:00:00:01', 'ether[12:2] = 0x0806', 'ip[6:2] & 0x1fff != 0', 'ip[6] & 0x20 != 0', 'ip[6] & 0x40 != 0',
  'ip[0] & 0xf > 5', 'ip[8] < 5', 'ip proto 47', 'ip protochain 6', 'ip6 protochain 6', 'ip6 protochain 17', 'ip6 protochain 58',
  'tcp[tcpflags] & tcp-syn != 0', 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn', 'tcp[13] = 0x12', 'icmp[icmptype] = icmp-echo',
  'udp[8:2] = 0x1234', "tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420", 'greater 1000', 'less 64', 'len > 1500',
  'ip and not tcp and not udp', 'not ip and not ip6 and not arp', 'arp host 10.1.2.3', 'mpls', 'ip6[6] = 0', 'ip and ip[2:2] > 1000',
] as const;

/** Frames sent; every one is a separate question for each filter. */
const CORPUS_FRAMES = 2400;
/** Filters per nettrace run: each run replays the corpus once for its share. */
const FILTERS_PER_RUN = 20;

let dir: string;
let link: ReplayLink | undefined;
let cli: RunningCli | undefined;
let corpus: Buffer[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ntc-pcap-'));
  corpus = generateCorpus({ seed: 13, frames: CORPUS_FRAMES, maxFrame: REPLAY_MTU + 14 });
  writeFileSync(join(dir, 'corpus.pcap'), writePcap(corpus));
  writeFileSync(join(dir, 'at-tc.pcap'), writePcap(corpus.filter(reachesTc)));
});

afterAll(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** A frame the kernel keeps until tc: no outer 802.1Q/802.1ad tag, or one whole with an EtherType after it. */
function reachesTc(frame: Buffer): boolean {
  const outer = frame.readUInt16BE(12);
  return !(outer === 0x8100 || outer === 0x88a8) || frame.length >= 14 + 4 + 2;
}

/** How many frames of `file` tcpdump's filter selects: it writes them out, we count them. */
/** Runs one nettrace with a probe on xdp and on tc ingress testing `filters`; returns the counts. */
async function countWithNettrace(l: ReplayLink, filters: readonly string[]): Promise<{ xdp: number[]; tc: number[]; xdpAll: number; tcAll: number }> {
  const tests = (map: string) => filters.map((f, i) => `if (pcap("${f}")) { @${map}[${i}] = count() }`).join('\n');
  const program = `xdp:${l.rootIf} { @xdp_all = count(); ${tests('xdp')} }
    tc:${l.rootIf}:ingress { @tc_all = count(); ${tests('tc')} }`;
  cli = startCli(['--no-cache', '-e', program]);
  await cli.waitFor('Attaching 2 probes...', 120_000);
  l.replay(join(dir, 'corpus.pcap'));
  await sleep(500); // the last frames through the veth's NAPI poll
  cli.child.kill('SIGINT');
  expect(await cli.exited, cli.stderr()).toBe(0);
  const out = cli.stdout();
  const count = (name: string) => Number(/^@(\w+): (\d+)$/m.exec(out.split('\n').filter((x) => x.startsWith(`@${name}:`)).join('\n'))?.[2] ?? 0);
  const perFilter = (map: string) =>
    filters.map((_, i) => Number(new RegExp(`^@${map}\\[${i}\\]: (\\d+)$`, 'm').exec(out)?.[1] ?? 0));
  return { xdp: perFilter('xdp'), tc: perFilter('tc'), xdpAll: count('xdp_all'), tcAll: count('tc_all') };
}

describe('pcap("FILTER") counts what tcpdump -r counts on the same frames', () => {
  it(`${FILTERS.length} filters on ${CORPUS_FRAMES} generated frames, at xdp and at tc ingress`, { timeout: 600_000 }, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(2000);
    expect(FILTERS.length).toBeGreaterThanOrEqual(40);
    const expected = FILTERS.map((f) => ({ filter: f, xdp: tcpdumpCount(join(dir, 'corpus.pcap'), f), tc: tcpdumpCount(join(dir, 'at-tc.pcap'), f) }));
    // A filter matching nothing or everything would prove little: the corpus must split each.
    for (const e of expected) expect(e.xdp > 0 && e.xdp < corpus.length, `${e.filter}: ${e.xdp} of ${corpus.length}`).toBe(true);

    link = createReplayLink(dir);
    const measured: { filter: string; xdp: number; tc: number }[] = [];
    for (let start = 0; start < FILTERS.length; start += FILTERS_PER_RUN) {
      const batch = FILTERS.slice(start, start + FILTERS_PER_RUN);
      const counts = await countWithNettrace(link, batch);
      // Every frame arrived, once; tc saw all but the frames the kernel frees before it.
      expect(counts.xdpAll).toBe(corpus.length);
      expect(counts.tcAll).toBe(corpus.filter(reachesTc).length);
      batch.forEach((filter, i) => measured.push({ filter, xdp: counts.xdp[i], tc: counts.tc[i] }));
    }
    expect(measured).toEqual(expected);
  });

  it('-F applies one filter to every packet probe of the run: the same counts as tcpdump', { timeout: 300_000 }, async () => {
    const filter = 'vlan and (tcp or udp port 53)';
    link ??= createReplayLink(dir);
    const l = link;
    cli = startCli(['--no-cache', '-F', filter, '-e', `xdp:${l.rootIf} { @xdp = count() } tc:${l.rootIf}:ingress { @tc = count() }`]);
    await cli.waitFor('Attaching 2 probes...', 120_000);
    l.replay(join(dir, 'corpus.pcap'));
    await sleep(500);
    cli.child.kill('SIGINT');
    expect(await cli.exited, cli.stderr()).toBe(0);
    const value = (name: string) => Number(new RegExp(`^@${name}: (\\d+)$`, 'm').exec(cli!.stdout())?.[1] ?? 0);
    const expected = { xdp: tcpdumpCount(join(dir, 'corpus.pcap'), filter), tc: tcpdumpCount(join(dir, 'at-tc.pcap'), filter) };
    expect(expected.xdp).toBeGreaterThan(0);
    expect({ xdp: value('xdp'), tc: value('tc') }).toEqual(expected);
  });
});
