// nettrace's own metrics from the kernel: with kernel.bpf_stats_enabled the kernel counts
// every run of the program, which must equal what a count() in that same program counted.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';
import { startServing, stopServing, type ServingCli } from './serving.js';

const BPF_STATS = '/proc/sys/kernel/bpf_stats_enabled';
let link: TestLink | undefined;
let run: ServingCli | undefined;
let statsBefore: string | undefined;

afterEach(async () => {
  await stopServing(run);
  link?.destroy();
  if (statsBefore !== undefined) writeFileSync(BPF_STATS, statsBefore);
  [link, run, statsBefore] = [undefined, undefined, undefined];
});

/** The value of one sample line, by its exact name and labels. */
function sample(text: string, series: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1);
}

describe('self metrics', () => {
  it('program runs (bpf_stats) equal the runs the program counted itself; nothing lost', async () => {
    statsBefore = readFileSync(BPF_STATS, 'utf8').trim();
    writeFileSync(BPF_STATS, '1');
    link = createTestLink('ntp');
    run = await startServing(['--serve', '127.0.0.1:0', '-e', `xdp:${link.rootIf} { @runs = count() }`]);
    sendUdpFromNamespace(link, link.rootAddr, 9, 25);
    await sleep(300);
    const text = await (await fetch(run.url)).text();
    expect(sample(text, 'nettrace_bpf_stats_enabled')).toBe('1');
    const counted = sample(text, 'nettrace_runs_total');
    expect(Number(counted)).toBeGreaterThanOrEqual(25);
    const program = text.split('\n').find((l) => l.startsWith('nettrace_program_runs_total{'));
    expect(program).toMatch(new RegExp(`^nettrace_program_runs_total\\{program="[^"]+",probe="xdp:${link.rootIf}"\\} ${counted}$`));
    expect(Number(text.split('\n').find((l) => l.startsWith('nettrace_program_run_seconds_total{'))!.split(' ')[1])).toBeGreaterThan(0);
    expect(sample(text, 'nettrace_events_lost_total')).toBe('0');
    expect(sample(text, 'nettrace_map_updates_refused_total{map="@runs"}')).toBe('0');
  });

  it('over --serve-max-series: series dropped whole, counted, and warned about once (NT0543)', async () => {
    link = createTestLink('ntp');
    run = await startServing(['--serve', '127.0.0.1:0', '--serve-max-series', '3', '-e', `xdp:${link.rootIf} /udp.dport == 9/ { @packets = count(); @size = hist(pkt.len) }`]);
    sendUdpFromNamespace(link, link.rootAddr, 9, 4);
    await sleep(300);
    const first = await (await fetch(run.url)).text();
    // @packets is one series; @size (a u32: 33 bounds from le="0" to le="4294967295", +Inf, _sum, _count) is 36, which do not fit in the other two.
    expect(sample(first, 'nettrace_packets_total')).toBe('4');
    expect(first).not.toContain('nettrace_size_bucket');
    expect(sample(first, 'nettrace_series_dropped_total')).toBe('36');
    const second = await (await fetch(run.url)).text();
    expect(sample(second, 'nettrace_series_dropped_total')).toBe('72');
    expect(run.cli.stderr().match(/warning\[NT0543\]/g)).toHaveLength(1);
  });
});
