// Issue 6.6: printing a map of 100,000 keys, as nettrace does at exit: read it out of the
// kernel (batched lookups, per-CPU values merged), sort and format it, write the text
// (to /dev/null). The map belongs to the XDP one-liner, attached on the bench's veth; its
// keys are written from user space, one value per possible CPU.
import { openSync, writeSync, closeSync } from 'node:fs';
import { xdpOneLiner } from '../lib/one-liners.js';
import { fmt, median } from '../lib/stats.js';

export const title = 'Printing a 100,000-key map';

export async function run({ dist, native, rounds, log, link }) {
  const keys = 100_000;
  const compiled = dist.compile.compile(xdpOneLiner(link.rootIf), dist.liveEnv.liveEnv);
  const map = compiled.maps[0];
  map.maxEntries = 131_072; // the default 10,240 would not hold them
  const session = dist.session.Session.start(compiled);
  const devnull = openSync('/dev/null', 'w');
  try {
    // Session's map fds are private to TypeScript callers; the bench, plain JavaScript,
    // reaches in to write the keys directly.
    const fd = session.mapFds.get(map);
    if (fd === undefined) throw new Error('Session no longer keeps map fds in mapFds');
    const cpus = native.numPossibleCpus();
    const key = Buffer.alloc(map.key.size);
    const value = Buffer.alloc(cpus * 8);
    const fillStart = performance.now();
    for (let i = 0; i < keys; i++) {
      key.writeUInt32LE((10 << 24) + i, map.key.fields[0].offset);
      for (let c = 0; c < cpus; c++) value.writeBigUInt64LE(BigInt(((i * 7919) % 100_000) + c), c * 8);
      native.mapUpdate(fd, key, value);
    }
    log(`  filled ${keys} keys in ${fmt(performance.now() - fillStart, 'ms')}`);
    const batch = [];
    const read = [];
    const format = [];
    const write = [];
    let lines = 0;
    for (let r = 0; r < rounds; r++) {
      // The kernel's part of the read alone: one batched lookup of every key.
      const tb = performance.now();
      native.mapLookupBatch(fd, map.key.size, map.valueSize, { perCpu: map.perCpu, maxEntries: map.maxEntries });
      batch.push(performance.now() - tb);
      const t0 = performance.now();
      const readings = session.readMaps();
      const t1 = performance.now();
      const text = readings.map((m) => dist.mapsText.formatMapText(m)).join('\n\n');
      const t2 = performance.now();
      writeSync(devnull, text);
      const t3 = performance.now();
      read.push(t1 - t0);
      format.push(t2 - t1);
      write.push(t3 - t2);
      lines = text.split('\n').length;
      if (readings[0].entries.length !== keys) throw new Error(`read ${readings[0].entries.length} keys, not ${keys}`);
    }
    const figures = { keys, lines, batchLookupMs: median(batch), readMs: median(read), formatMs: median(format), writeMs: median(write) };
    figures.totalMs = figures.readMs + figures.formatMs + figures.writeMs;
    log(`  read ${fmt(figures.readMs, 'ms')} (of which the kernel's batched lookup ${fmt(figures.batchLookupMs, 'ms')}), sort+format ${fmt(figures.formatMs, 'ms')}, write ${fmt(figures.writeMs, 'ms')} (${lines} lines)`);
    return {
      figures,
      rows: [
        {
          item: 'print a 100,000-key map: read / format / write',
          nettrace: `${fmt(figures.totalMs, 'ms')} (${fmt(figures.readMs, '')} / ${fmt(figures.formatMs, '')} / ${fmt(figures.writeMs, '')})`,
          peer: `kernel batch lookup alone ${fmt(figures.batchLookupMs, 'ms')}`,
          ratio: '',
          target: '',
        },
      ],
    };
  } finally {
    closeSync(devnull);
    session.close();
  }
}
