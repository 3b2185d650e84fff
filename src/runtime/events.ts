// The events of a running program: records from the ring buffer (printf lines, exit,
// and the map actions print/clear/zero, in the order the programs sent them), and the
// status words (records lost because the ring buffer was full, exit requested) read
// every STATUS_POLL_MS, so neither a full buffer nor a lost exit record goes unnoticed.
import type { CompiledProgram, MapDescription, PrintfDescription, HelperErrorSite } from '../model/compiled-program.js';
import { parseFormat, type FormatPiece } from '../events/format-string.js';
import { formatPrintf, type PrintfArgument } from '../format/printf-text.js';
import { RECORD_HEADER_SIZE, RecordKind, StatusWord, STATUS_VALUE_SIZE, readHeader } from '../model/event-records.js';
import { decodeValue } from '../model/decode-value.js';
import * as native from '../native/bpf.js';
import type { MapReading } from '../model/map-reading.js';
import type { CapturedPacket } from '../model/capture.js';
import { runText } from './run-text.js';

/** Ring-buffer turns (4096 records each, native/src/ringbuf.cc) read to reach an exit record. */
const EXIT_CATCH_UP_TURNS = 16;

export type SessionEvent =
  /** `value`: the record of a print(value), which prints as printf("%s\n", value). */
  | { kind: 'printf'; text: string; probe: string; args: PrintfArgument[]; value?: boolean }
  /** print(@m[, top]) ran in a program: the map as it is now. */
  | { kind: 'print'; reading: MapReading; top?: number }
  /** exit() ran in a program. Sent once. */
  | { kind: 'exit' }
  /** -k: a helper failed at `site` (a map update the kernel refused: `map`; a kernel read); `retcode` is its -errno. */
  | { kind: 'helper-error'; site: HelperErrorSite; map?: MapDescription; retcode: number }
  /** Records the ring buffer refused since the last report, and in all. */
  | { kind: 'lost'; count: bigint; total: bigint }
  /** A packet capture() sent (src/runtime/capture-stream.ts). */
  | { kind: 'packet'; packet: CapturedPacket };

/** What the stream needs from the session to act on map records. */
export interface MapActions {
  read(map: MapDescription): MapReading;
  clear(map: MapDescription): void;
  zero(map: MapDescription): void;
}

const STATUS_POLL_MS = 100;

export class EventStream {
  private ring?: native.RingBufferHandle;
  private timer?: NodeJS.Timeout;
  private readonly formats = new Map<number, FormatPiece[]>();
  private lostReported = 0n;
  private exitSent = false;

  constructor(
    private readonly compiled: CompiledProgram,
    private readonly eventsFd: number | undefined,
    private readonly statusFd: number | undefined,
    private readonly actions: MapActions,
    private readonly emit: (event: SessionEvent) => void,
  ) {}

  /** Starts consuming records from the event loop and watching the status words. */
  start(): void {
    if (this.eventsFd !== undefined) this.ring = native.openRingBuffer(this.eventsFd, (record) => this.onRecord(record));
    if (this.statusFd !== undefined) {
      this.timer = setInterval(() => this.checkStatus(), STATUS_POLL_MS);
      // The stream alone does not keep the process alive; the CLI or REPL decide that.
      this.timer.unref();
    }
  }

  /** Delivers every record waiting in the ring buffer now, then reports the status. */
  drain(): void {
    if (this.ring) while (this.ring.poll(0) > 0);
    this.checkStatus();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.ring?.close();
    this.ring = undefined;
  }

  /** Records lost so far (the status words of every CPU). */
  lostTotal(): bigint {
    return this.readStatus()?.lost ?? 0n;
  }

  /** Whether a program called exit() (read from the status words now, not from the ring). */
  exitRequested(): boolean {
    return this.readStatus()?.exit ?? false;
  }

  private checkStatus(): void {
    const status = this.readStatus();
    if (!status) return;
    if (status.lost > this.lostReported) {
      this.emit({ kind: 'lost', count: status.lost - this.lostReported, total: status.lost });
      this.lostReported = status.lost;
    }
    if (status.exit && !this.exitSent) {
      // The status word can be read before the ring's records that precede the exit: deliver
      // those first, so every line printed before exit() comes out before the run ends.
      // Bounded: the probes go on firing until the detach that the exit starts.
      for (let turn = 0; turn < EXIT_CATCH_UP_TURNS && !this.exitSent && this.ring && this.ring.poll(0) > 0; turn++);
      this.sendExit();
    }
  }

  private readStatus(): { lost: bigint; exit: boolean } | undefined {
    if (this.statusFd === undefined) return undefined;
    const cpus = native.numPossibleCpus();
    const raw = native.mapLookup(this.statusFd, Buffer.alloc(4), cpus * STATUS_VALUE_SIZE);
    if (!raw) return undefined;
    let lost = 0n;
    let exit = false;
    for (let cpu = 0; cpu < cpus; cpu++) {
      lost += raw.readBigUInt64LE(cpu * STATUS_VALUE_SIZE + StatusWord.lost * 8);
      exit ||= raw.readBigUInt64LE(cpu * STATUS_VALUE_SIZE + StatusWord.exit * 8) !== 0n;
    }
    return { lost, exit };
  }

  private sendExit(): void {
    if (this.exitSent) return;
    this.exitSent = true;
    this.emit({ kind: 'exit' });
  }

  private onRecord(record: Buffer): void {
    const { kind, index } = readHeader(record);
    switch (kind) {
      case RecordKind.printf:
        return this.onPrintf(this.compiled.printfs[index], record);
      case RecordKind.exit:
        return this.sendExit();
      case RecordKind.print: {
        const map = this.mapAt(index);
        const top = Number(record.readBigUInt64LE(RECORD_HEADER_SIZE));
        if (map) this.emit({ kind: 'print', reading: this.actions.read(map), ...(top > 0 && { top }) });
        return;
      }
      case RecordKind.clear: {
        const map = this.mapAt(index);
        if (map) this.actions.clear(map);
        return;
      }
      case RecordKind.zero: {
        const map = this.mapAt(index);
        if (map) this.actions.zero(map);
        return;
      }
      case RecordKind.helperError: {
        const site = this.compiled.helperErrorSites?.[index];
        if (!site) return;
        const map = site.map === undefined ? undefined : this.mapAt(site.map);
        this.emit({ kind: 'helper-error', site, ...(map && { map }), retcode: Number(record.readBigInt64LE(RECORD_HEADER_SIZE)) });
        return;
      }
    }
  }

  private onPrintf(site: PrintfDescription | undefined, record: Buffer): void {
    if (!site) return;
    let pieces = this.formats.get(site.id);
    if (!pieces) {
      const parsed = parseFormat(site.format);
      // The checker accepted this format, so it parses.
      pieces = Array.isArray(parsed) ? parsed : [{ kind: 'text', text: site.format }];
      this.formats.set(site.id, pieces);
    }
    const args = site.args.fields.map((field) => ({ type: field.type, value: decodeValue(field.type, record, RECORD_HEADER_SIZE + field.offset) }));
    const text = formatPrintf(pieces, args);
    this.emit({ kind: 'printf', text: site.run ? runText(site.run.kind, text) : text, probe: site.probe, args, ...(site.value && { value: true }) });
  }

  private mapAt(index: number): MapDescription | undefined {
    return this.compiled.maps.find((m) => m.index === index);
  }
}
