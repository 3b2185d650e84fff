// The end-of-run print of maps read by one batch lookup is made from the kernel's bytes
// (src/format/batch-text.ts). On a real XDP program: 300 UDP ports, port i getting
// 1 + i % 5 datagrams of a size that depends on i; hist(), lhist() and count() keyed by
// the port must print exactly the numbers sent, in print order (by count, then key text),
// in bpftrace's layout, and -f json must give the same numbers (decoded entries).
import { afterEach, describe, expect, it } from 'vitest';
import { histAggregation } from '../../../src/aggregations/hist.js';
import { lhistAggregation } from '../../../src/aggregations/lhist.js';
import { histogramLines } from '../../../src/aggregations/histogram-text.js';
import type { AggValue } from '../../../src/model/checked.js';
import { int } from '../../../src/model/types.js';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';

const PORTS = 300;
const FIRST_PORT = 20_000;
const sent = Array.from({ length: PORTS }, (_, i) => ({ port: FIRST_PORT + i, count: 1 + (i % 5), payload: 16 + ((i * 37) % 300) }));
/** IPv4 header + UDP header + payload, what ip.len reads. */
const ipLen = (payload: number) => 20 + 8 + payload;

let link: TestLink | undefined;
let cli: RunningCli | undefined;
afterEach(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  link = undefined;
  cli = undefined;
});

function sendAll(l: TestLink): void {
  const script = `
    const s = require('node:dgram').createSocket('udp4');
    const plan = ${JSON.stringify(sent)};
    const queue = plan.flatMap((p) => Array.from({ length: p.count }, () => p));
    const next = () => {
      const p = queue.shift();
      if (!p) return s.close();
      s.send(Buffer.alloc(p.payload, 120), p.port, '${l.rootAddr}', (err) => { if (err) { console.error(err); process.exit(1); } next(); });
    };
    next();`;
  l.exec(process.execPath, ['-e', script]);
}

/** The slot one CPU would hold: `count` in bucket `bucket`, the rest empty. */
function slotWith(words: number, bucket: number, count: number): Buffer {
  const slot = Buffer.alloc(words * 8);
  slot.writeBigUInt64LE(BigInt(count), bucket * 8);
  return slot;
}

/** Print order: by count, then by the key's text (`[20010]` < `[2002]`, as strings). */
const inPrintOrder = [...sent].sort((a, b) => a.count - b.count || (`[${a.port}]` < `[${b.port}]` ? -1 : 1));

function expectedHistBlock(name: string, lines: (p: (typeof sent)[number]) => string[]): string {
  return inPrintOrder.map((p) => `${name}[${p.port}]: \n${lines(p).join('\n')}\n`).join('\n') + '\n';
}

describe('a map read in one batch prints from the kernel bytes', () => {
  it('hist, lhist and count of 300 ports print exactly what was sent', async () => {
    link = createTestLink('npm');
    const program = `xdp:${link.rootIf} /udp.dport >= ${FIRST_PORT}/ { @c[udp.dport] = count(); @h[udp.dport] = hist(ip.len); @l[udp.dport] = lhist(ip.len, 0, 400, 50) }`;
    cli = startCli(['-e', program]);
    await cli.waitFor('Attaching 1 probe...');
    sendAll(link);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const out = cli.stdout();

    const hist: AggValue = { kind: 'agg', agg: 'hist', argType: int(16, false) };
    const histLines = (p: (typeof sent)[number]) => {
      const len = ipLen(p.payload);
      const bucket = 2 + Math.floor(Math.log2(len));
      return histogramLines(histAggregation.merge([slotWith(67, bucket, p.count)], hist).buckets!);
    };
    const lhist: AggValue = { kind: 'agg', agg: 'lhist', argType: int(16, false), params: [0n, 400n, 50n] };
    const lhistLines = (p: (typeof sent)[number]) => {
      const len = ipLen(p.payload);
      const bucket = len >= 400 ? 9 : 1 + Math.floor(len / 50);
      return histogramLines(lhistAggregation.merge([slotWith(11, bucket, p.count)], lhist).buckets!);
    };
    const countBlock = inPrintOrder.map((p) => `@c[${p.port}]: ${p.count}\n`).join('');
    expect(out).toBe(`Attaching 1 probe...\n\n\n${countBlock}${expectedHistBlock('@h', histLines)}${expectedHistBlock('@l', lhistLines)}`);
  });

  it('-f json gives the same numbers from the decoded entries', async () => {
    link = createTestLink('npm');
    cli = startCli(['-f', 'json', '-e', `xdp:${link.rootIf} /udp.dport >= ${FIRST_PORT}/ { @c[udp.dport] = count() }`]);
    await cli.waitFor('"attached"');
    sendAll(link);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const map = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((l) => l.type === 'map');
    expect(map.entries).toEqual(inPrintOrder.map((p) => ({ key: [p.port], value: p.count })));
  });
});
