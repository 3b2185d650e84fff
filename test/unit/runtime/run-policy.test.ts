// The run policy's watches without a kernel (runtime/run/): the interface watch is given
// a fake "still attached?" answer, the full-map watch fake counts. The policy on the
// kernel is driven through the CLI (test/reliability) and the REPL (test/kernel/repl).
import { afterEach, describe, expect, it } from 'vitest';
import type { MapDescription } from '../../../src/model/compiled-program.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { RefusedUpdates } from '../../../src/runtime/map-full.js';
import { fullMapDiagnostics, watchFullMaps } from '../../../src/runtime/run/full-maps.js';
import { watchLostInterfaces } from '../../../src/runtime/run/interface-loss.js';
import { stopOnSignals } from '../../../src/runtime/run/stop-signals.js';
import type { AttachedProbe } from '../../../src/runtime/session.js';

function probe(text: string, attach: unknown): AttachedProbe {
  return { program: { probe: { text, attach } }, progFd: 0 } as unknown as AttachedProbe;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

describe('lost interfaces (NT0506)', () => {
  it('warn while other probes remain, and say the run ends when none is left', async () => {
    const a = probe('xdp:veth1', { kind: 'xdp', ifname: 'veth1' });
    const b = probe('tc:veth2:ingress', { kind: 'tc', ifname: 'veth2', direction: 'ingress' });
    // BEGIN is never attached: it does not keep the run going.
    const begin = probe('BEGIN', { kind: 'once', when: 'begin' });
    const gone = new Set<AttachedProbe>();
    const reports: { diagnostics: Diagnostic[]; noneLeft: boolean }[] = [];
    stops.push(watchLostInterfaces([begin, a, b], (diagnostics, noneLeft) => reports.push({ diagnostics, noneLeft }), { intervalMs: 5, stillAttached: (p) => !gone.has(p) }));
    await sleep(30);
    expect(reports).toEqual([]);
    gone.add(a);
    await sleep(30);
    expect(reports).toEqual([
      {
        noneLeft: false,
        diagnostics: [{ code: 'NT0506', severity: 'warning', message: "interface 'veth1' disappeared: xdp:veth1 is detached", hints: ['1 other probe(s) keep running'] }],
      },
    ]);
    gone.add(b);
    await sleep(30);
    expect(reports[1]).toEqual({
      noneLeft: true,
      diagnostics: [{ code: 'NT0506', severity: 'error', message: "interface 'veth2' disappeared: tc:veth2:ingress is detached", hints: ['no probe is left attached: stopping and printing the maps'] }],
    });
    // Each loss is reported once.
    await sleep(30);
    expect(reports).toHaveLength(2);
  });

  it('watch only probes that sit on an interface', async () => {
    let asked = 0;
    stops.push(watchLostInterfaces([probe('interval:s:1', { kind: 'timer' })], () => {}, { intervalMs: 5, stillAttached: () => (asked++, false) }));
    await sleep(30);
    expect(asked).toBe(0);
  });
});

describe('full maps (NT0507)', () => {
  const map = (displayName: string) => ({ displayName, maxEntries: 8 }) as MapDescription;

  it('are reported as each map fills, once per map', async () => {
    const ports = map('@ports');
    const len = map('@len');
    let refused: RefusedUpdates[] = [];
    const reports: Diagnostic[][] = [];
    stops.push(watchFullMaps(() => refused, (d) => reports.push(d), 5));
    await sleep(30);
    expect(reports).toEqual([]);
    refused = [{ map: ports, refused: 3n }];
    await sleep(30);
    refused = [{ map: ports, refused: 9n }, { map: len, refused: 1n }];
    await sleep(30);
    expect(reports.map((r) => r.map((d) => d.message))).toEqual([
      ['@ports is full (8 entries): updates that need a new key are dropped'],
      ['@len is full (8 entries): updates that need a new key are dropped'],
    ]);
    expect(reports[0]![0]).toMatchObject({ code: 'NT0507', severity: 'warning', hints: ['raise the limit of every map: --map-entries 1024'] });
  });

  it('say at the end how many updates each map dropped', () => {
    expect(fullMapDiagnostics([{ map: map('@ports'), refused: 12n }, { map: map('@one'), refused: 1n }]).map((d) => d.message)).toEqual([
      '@ports was full (8 entries): 12 updates were dropped',
      '@one was full (8 entries): 1 update was dropped',
    ]);
  });

  it('suggest a --map-entries that holds the entries and every dropped update', () => {
    const big = { displayName: '@flows', maxEntries: 10240 } as MapDescription;
    expect(fullMapDiagnostics([{ map: big, refused: 50000n }])[0]!.hints).toEqual(['raise the limit of every map: --map-entries 65536']);
    expect(fullMapDiagnostics([{ map: big, refused: 3n }])[0]!.hints).toEqual(['raise the limit of every map: --map-entries 65536']);
    expect(fullMapDiagnostics([{ map: big, refused: 200000n }])[0]!.hints).toEqual(['raise the limit of every map: --map-entries 262144']);
  });
});

describe('stopping from outside', () => {
  it('stops once, at the timeout, and stops listening for signals', async () => {
    const before = process.listenerCount('SIGINT');
    let stopped = 0;
    stopOnSignals(() => stopped++, 0.02);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    await sleep(60);
    expect(stopped).toBe(1);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
