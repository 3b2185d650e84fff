// Issue 14's fleet: a real Prometheus scrapes two nettrace instances, each on its own
// veth, and answers through its query API with exactly the packets sent to both, and a
// histogram_quantile at the bound of the bucket the packets' size falls in.
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';
import { pollUntil, startPrometheus, type PrometheusServer } from './prometheus-server.js';
import { startServing, stopServing, type ServingCli } from './serving.js';

const links: TestLink[] = [];
const runs: ServingCli[] = [];
let prometheus: PrometheusServer | undefined;

afterEach(async () => {
  await prometheus?.stop();
  prometheus = undefined;
  for (const run of runs.splice(0)) await stopServing(run);
  for (const link of links.splice(0)) link.destroy();
});

/** Ethernet, IPv4 and UDP headers around the payload: the frame length XDP sees as pkt.len. */
const HEADERS = 14 + 20 + 8;

/** The `le` of the hist() bucket holding `n`: [2^k, 2^(k+1)) holds integers up to 2^(k+1) - 1. */
function histBucketLe(n: number): number {
  return 2 ** Math.floor(Math.log2(n) + 1) - 1;
}

describe('Prometheus scrapes nettrace --serve', () => {
  it('sum(nettrace_packets_total) is N+M over two instances; histogram_quantile gives the bucket bound', async () => {
    const [N, M, payload] = [37, 23, 150];
    for (let i = 0; i < 2; i++) links.push(createTestLink('ntp'));
    for (const link of links) {
      const program = `xdp:${link.rootIf} /udp.dport == 9/ { @packets[ip.src] = count(); @size = hist(pkt.len) }`;
      runs.push(await startServing(['--serve', '127.0.0.1:0', '-e', program]));
    }
    const targets = runs.map((r) => `'${r.target}'`).join(', ');
    prometheus = await startPrometheus(`  - job_name: nettrace\n    static_configs:\n      - targets: [${targets}]\n`);
    // Both targets are scraped before any packet is sent: what follows measures the traffic alone.
    const up = await pollUntil(() => prometheus!.query('sum(up{job="nettrace"})'), (r) => r[0]?.value[1] === '2');
    expect(up[0]?.value[1], prometheus.log()).toBe('2');

    sendUdpFromNamespace(links[0], links[0].rootAddr, 9, N, payload);
    sendUdpFromNamespace(links[1], links[1].rootAddr, 9, M, payload);
    await sleep(300);

    const total = await pollUntil(() => prometheus!.query('sum(nettrace_packets_total)'), (r) => r[0]?.value[1] === String(N + M));
    expect(total.map((r) => r.value[1])).toEqual([String(N + M)]);
    // Each instance's series carries the sender's address as nettrace prints it.
    const perSource = await prometheus.query('nettrace_packets_total');
    expect(perSource.map((r) => [r.metric.ip_src, r.value[1]]).sort()).toEqual(
      [
        [links[0].nsAddr, String(N)],
        [links[1].nsAddr, String(M)],
      ].sort(),
    );

    // Every packet is HEADERS + payload bytes: the 1.0 quantile is that bucket's upper bound.
    const le = histBucketLe(HEADERS + payload);
    const quantile = await pollUntil(() => prometheus!.query('histogram_quantile(1, sum by (le) (nettrace_size_bucket))'), (r) => r[0]?.value[1] === String(le));
    expect(quantile.map((r) => r.value[1])).toEqual([String(le)]);
    const count = await prometheus.query('sum(nettrace_size_count)');
    expect(count.map((r) => r.value[1])).toEqual([String(N + M)]);
    const sum = await prometheus.query('sum(nettrace_size_sum)');
    expect(sum.map((r) => r.value[1])).toEqual([String((N + M) * (HEADERS + payload))]);

    // The runs end as a user ends them, and still print their maps.
    for (const run of runs) expect(await stopServing(run)).toBe(0);
    expect(runs[0].cli.stdout()).toContain(`@packets[${links[0].nsAddr}]: ${N}\n`);
  });
});
