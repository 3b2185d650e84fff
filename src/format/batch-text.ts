// A map read by one batch lookup, as the texts of its entries in print order, made
// straight from the kernel's bytes: the end-of-run print of a 63,000-key hist() map
// would otherwise decode every key into an entry holding 66 bucket objects, all alive
// until the last one prints (the garbage collector then spends more time moving them
// than the printing takes). Here hist() and lhist() buckets are summed over the CPUs
// into one reused Float64Array and written as bytes into one buffer; other maps make one
// small text per key; the sort runs over an array of indexes. The texts are exactly
// those the decoded entries give (test/unit/format/batch-text.test.ts compares them on
// random maps).
import { PerCpuWords } from '../aggregations/batch-words.js';
import { SparseBuckets } from '../aggregations/sparse-buckets.js';
import { HistogramLineWriter, histogramLines } from '../aggregations/histogram-text.js';
import { aggregation } from '../aggregations/registry.js';
import { decodeValue } from '../model/decode-value.js';
import type { MapBatch, MapEntry, MapReading } from '../model/map-reading.js';
import type { MapDescription } from '../model/compiled-program.js';
import type { IntType, Type } from '../model/types.js';
import { decimalTextOrder } from './decimal-key-order.js';
import { keyText, sortedKeyed } from './maps-text.js';
import { formatValue } from './values.js';

/**
 * One entry in print order: its key as text (`[k1, k2]`, '' for a keyless map) and its
 * value as text: hist() and lhist() their bucket lines joined by newlines ('' when every
 * bucket is empty), other aggregations what their `text` gives (`: 5`), plain maps the
 * value (`5`).
 */
export interface EntryText {
  key: string;
  value: string;
}

/**
 * The entries in print order (by value, smallest first, ties by key text; with `top`
 * only the last `top`): from the batch when the reading has one, else from its entries.
 */
export function entryTexts(reading: MapReading, top?: number): EntryText[] {
  return (reading.batch && batchEntryTexts(reading.map, reading.batch, top)) ?? decodedEntryTexts(reading, top);
}

function decodedEntryTexts(reading: MapReading, top?: number): EntryText[] {
  const { map } = reading;
  const value = map.value;
  if (value.kind !== 'agg') {
    const type = map.valueLayout!.fields[0].type;
    return sortedKeyed(reading, top).map(({ entry, key }) => ({ key, value: entry.scalar === undefined ? entry.value.toString() : formatValue(type, entry.scalar) }));
  }
  const agg = aggregation(value.agg);
  if (agg.bucketLabels) return sortedKeyed(reading, top).map(({ entry, key }) => ({ key, value: histogramLines(entry.buckets!).join('\n') }));
  return sortedKeyed(reading, top).map(({ entry, key }) => ({ key, value: agg.text(aggregateOf(entry), value) }));
}

/**
 * A hist() or lhist() map's whole print-out as mapPrintText lays it out (each key
 * `@h[k]: `, its bucket lines, a blank line between keys, a newline at the end), written
 * as bytes into one buffer straight from the batch: no string or object per key or
 * bucket for the garbage collector to move. Undefined without a batch, for other maps,
 * and when a bucket count is 2^53 or more (then the entries are decoded, as bigints).
 */
export function histogramMapBytes(reading: MapReading, top?: number): Buffer | undefined {
  const { map, batch } = reading;
  const value = map.value;
  const labels = batch && value.kind === 'agg' ? aggregation(value.agg).bucketLabels?.(value) : undefined;
  if (!batch || !labels) return undefined;
  const slotSize = Math.ceil(map.valueSize / 8) * 8;
  const cpus = map.perCpu ? batch.cpus : 1;
  const words = new PerCpuWords(batch.values, cpus, slotSize, map.perCpu ? slotSize * cpus : map.valueSize);
  // One pass in the kernel's order: each key's total (the print order) and its non-empty buckets.
  const totals = new Float64Array(batch.count);
  const counts = new Float64Array(labels.length);
  const buckets = new SparseBuckets(batch.count);
  for (let i = 0; i < batch.count; i++) {
    const total = words.sumInto(i, labels.length, counts);
    if (total < 0) return undefined;
    totals[i] = total;
    buckets.add(i, counts, labels.length);
  }
  counts.fill(0);
  const keys = batchKeys(map, batch);
  const order = inPrintOrder(keys, totals, true, top);
  const lines = new HistogramLineWriter(labels);
  const name = Buffer.from(map.displayName);
  let out = Buffer.allocUnsafe(order.length * 160 + 4096);
  let at = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const key = keys.texts[i];
    const most = name.length + 3 * key.length + 5 + labels.length * lines.maxLineBytes;
    if (at + most > out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, at + most));
      out.copy(bigger, 0, 0, at);
      out = bigger;
    }
    if (k > 0) out[at++] = 0x0a; // the blank line between keys
    out.set(name, at);
    at += name.length;
    at = writeText(out, at, key);
    out[at++] = 0x3a; // ': \n'
    out[at++] = 0x20;
    out[at++] = 0x0a;
    buckets.fill(i, counts);
    at = lines.write(counts, out, at);
    buckets.clear(i, counts);
  }
  if (at + 1 > out.length) out = Buffer.concat([out.subarray(0, at), Buffer.alloc(1)]);
  out[at++] = 0x0a;
  return out.subarray(0, at);
}

/**
 * `text` into `out` at `at` as UTF-8; returns the offset after it. A key's text is short
 * and nearly always ASCII: byte by byte, that costs a tenth of a Buffer.write call.
 */
function writeText(out: Buffer, at: number, text: string): number {
  for (let c = 0; c < text.length; c++) {
    const code = text.charCodeAt(c);
    if (code >= 0x80) return at - c + out.write(text, at - c);
    out[at++] = code;
  }
  return at;
}

/** Undefined when a bucket count is 2^53 or more: then the entries are decoded (bigints). */
function batchEntryTexts(map: MapDescription, batch: MapBatch, top?: number): EntryText[] | undefined {
  const n = batch.count;
  const keys = batchKeys(map, batch);
  const value = map.value;
  const slotSize = Math.ceil(map.valueSize / 8) * 8;
  const cpus = map.perCpu ? batch.cpus : 1;
  const stride = map.perCpu ? slotSize * cpus : map.valueSize;
  const labels = value.kind === 'agg' ? aggregation(value.agg).bucketLabels?.(value) : undefined;
  // Histograms: histogramMapText.
  if (labels) return undefined;

  // One small value per key: merged (or decoded) and made text at once, young garbage.
  const values = new Array<bigint>(n);
  const texts = new Array<string>(n);
  if (value.kind === 'agg') {
    const agg = aggregation(value.agg);
    const slots = new Array<Buffer>(cpus);
    for (let i = 0; i < n; i++) {
      for (let cpu = 0; cpu < cpus; cpu++) slots[cpu] = batch.values.subarray(i * stride + cpu * slotSize, i * stride + cpu * slotSize + map.valueSize);
      const result = agg.merge(slots, value);
      values[i] = result.value;
      texts[i] = agg.text(result, value);
    }
    return inPrintOrder(keys, values, true, top).map((i) => ({ key: keys.texts[i], value: texts[i] }));
  }
  const field = map.valueLayout!.fields[0];
  for (let i = 0; i < n; i++) {
    const scalar = decodeValue(field.type, batch.values, i * stride + field.offset);
    values[i] = typeof scalar === 'bigint' ? scalar : typeof scalar === 'boolean' ? BigInt(scalar) : 0n;
    texts[i] = formatValue(field.type, scalar);
  }
  return inPrintOrder(keys, values, field.type.kind === 'int', top).map((i) => ({ key: keys.texts[i], value: texts[i] }));
}

/** Each key's text, and how two keys compare by their texts. */
interface BatchKeys {
  texts: string[];
  compare: (a: number, b: number) => number;
}

function batchKeys(map: MapDescription, batch: MapBatch): BatchKeys {
  const { fields, size } = map.key;
  const texts = new Array<string>(batch.count);
  const { keys } = batch;
  const byText = (a: number, b: number) => (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : 0);
  if (fields.length === 1 && isPlainInt(fields[0].type)) {
    // The common big map (`@h[nsecs]`, `@[pid]`): one integer printed in decimal; sorted
    // by the numbers when they are all below 2^53 and not negative.
    const { type, offset } = fields[0];
    const numbers = new Float64Array(batch.count);
    let allExact = true;
    for (let i = 0; i < batch.count; i++) {
      const n = plainIntValue(type, keys, i * size + offset);
      texts[i] = `[${n}]`;
      if (typeof n === 'number' && n >= 0) numbers[i] = n;
      else allExact = false;
    }
    return { texts, compare: allExact ? decimalTextOrder(numbers) : byText };
  }
  for (let i = 0; i < batch.count; i++) {
    texts[i] = keyText({ map }, fields.map((f) => decodeValue(f.type, keys, i * size + f.offset)));
  }
  return { texts, compare: byText };
}

/** An integer that prints as its decimal value (no `show`: not an address, protocol, flags...). */
function isPlainInt(t: Type): t is IntType {
  return t.kind === 'int' && t.show === undefined;
}

/**
 * A plain integer as decodeValue reads it, as a number where that is exact: its decimal
 * text is then the same as the bigint's, which formatValue prints.
 */
function plainIntValue(t: IntType, buf: Buffer, offset: number): number | bigint {
  switch (t.bits) {
    case 8:
      return t.signed ? buf.readInt8(offset) : buf[offset];
    case 16:
      return t.signed ? buf.readInt16LE(offset) : buf.readUInt16LE(offset);
    case 32:
      return t.signed ? buf.readInt32LE(offset) : buf.readUInt32LE(offset);
  }
  const high = buf.readUInt32LE(offset + 4);
  // Below 2^53 (and so not negative) a double holds it exactly.
  if (high < 0x200000) return high * 0x100000000 + buf.readUInt32LE(offset);
  return t.signed ? buf.readBigInt64LE(offset) : buf.readBigUInt64LE(offset);
}

/**
 * Indexes in print order, as sortedKeyed orders entries: by value when `numeric`, then by
 * key text; the sort is stable, so equal keys keep the kernel's order there too.
 */
function inPrintOrder(keys: BatchKeys, values: ArrayLike<number | bigint>, numeric: boolean, top?: number): number[] {
  const order = Array.from({ length: keys.texts.length }, (_, i) => i);
  const byKey = keys.compare;
  order.sort((a, b) => {
    if (numeric) {
      const va = values[a];
      const vb = values[b];
      if (va !== vb) return va < vb ? -1 : 1;
    }
    return byKey(a, b);
  });
  return top !== undefined && top > 0 ? order.slice(Math.max(0, order.length - top)) : order;
}

function aggregateOf(e: MapEntry) {
  return { value: e.value, stats: e.stats, buckets: e.buckets };
}
