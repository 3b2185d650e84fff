// An Engine without a kernel: programs "attach" when their text contains no `ERROR`,
// and their maps hold whatever the test puts in them.
import type { Span } from '../../../src/model/ast.js';
import type { MapValue } from '../../../src/model/checked.js';
import type { Type } from '../../../src/model/types.js';
import type { MapDescription } from '../../../src/model/compiled-program.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { keyText } from '../../../src/format/maps-text.js';
import type { Engine, EngineEvent, ProgramInfo, ProgramReading } from '../../../src/repl/engine.js';
import type { MapReading } from '../../../src/repl/labelled-reading.js';
import type { RunEnd, RunStatus } from '../../../src/runtime/run/records.js';

export const ipv4: Type = { kind: 'int', bits: 32, signed: false, show: 'ipv4' };
export const u64: Type = { kind: 'int', bits: 64, signed: false };

export function mapDescription(displayName: string, keyTypes: Type[], value: MapValue = { kind: 'agg', agg: 'count' }): MapDescription {
  return {
    index: 0,
    displayName,
    bpfType: 5,
    perCpu: true,
    key: { fields: keyTypes.map((type, i) => ({ type, offset: i * 8 })), size: Math.max(8, keyTypes.length * 8) },
    valueSize: 8,
    maxEntries: 10240,
    value,
  };
}

/** A reading of `@[ip.src]`-like map from [address, count] pairs. */
export function ipCountReading(pairs: [string, number][], displayName = '@', value?: MapValue): MapReading {
  const map = mapDescription(displayName, [ipv4], value);
  return {
    map,
    entries: pairs.map(([addr, n]) => {
      const keyValues = [BigInt(addr.split('.').reduce((a, o) => a * 256 + Number(o), 0))];
      return { keyValues, keyText: keyText({ map }, keyValues), value: BigInt(n) };
    }),
  };
}

export function span(line: number, column: number, length: number, offset = column - 1): Span {
  return { start: { line, column, offset }, end: { line, column: column + length, offset: offset + length } };
}

export class FakeEngine implements Engine {
  running: ProgramInfo[] = [];
  maps = new Map<number, MapReading[]>();
  /** Lost events and full maps per program, as read() reports them. */
  status = new Map<number, RunStatus>();
  closed = 0;
  cleared: number[] = [];
  discarded: number[] = [];
  private nextId = 1;
  private listeners = new Set<(e: EngineEvent) => void>();
  /** What attach() throws for sources containing ERROR. */
  failure: Diagnostic[] = [{ code: 'NT0302', severity: 'error', message: "ip has no field 'scr'", span: span(1, 13, 6), hints: ["did you mean 'src'?"] }];
  /** Maps a new program gets. */
  nextMaps: MapReading[] = [];

  attach(source: string, origin: string): ProgramInfo {
    if (source.includes('ERROR')) throw new DiagnosticError(this.failure);
    if (source.includes('CRASH')) throw new Error('boom');
    const probe = /^\s*([A-Za-z_]+:[^\s{<,/]*)/.exec(source)?.[1] ?? 'BEGIN';
    const info: ProgramInfo = { id: this.nextId++, source, origin, probes: [{ text: probe, detail: 'native mode' }], mapLabels: new Map([['@', '@[ip.src]']]) };
    this.running.push(info);
    this.maps.set(info.id, this.nextMaps);
    return info;
  }

  detach(id: number): ProgramInfo | undefined {
    const info = this.running.find((p) => p.id === id);
    if (info) this.end(info, { reason: 'stopped', maps: this.maps.get(id) ?? [], lostEvents: this.status.get(id)?.lostEvents ?? 0n, fullMaps: [] });
    return info;
  }

  /** The program's run ends (as .detach, exit() or lost interfaces end it): it leaves the list and says so. */
  end(program: ProgramInfo, end: RunEnd): void {
    this.running = this.running.filter((p) => p.id !== program.id);
    this.maps.delete(program.id);
    this.emit({ kind: 'ended', program, end });
  }

  discard(id: number): void {
    this.discarded.push(id);
    this.running = this.running.filter((p) => p.id !== id);
  }

  programs(): ProgramInfo[] {
    return [...this.running];
  }

  read(): ProgramReading[] {
    return this.running.map((program) => ({ program, maps: this.maps.get(program.id) ?? [], status: this.status.get(program.id) }));
  }

  clear(id?: number): ProgramInfo[] {
    const targets = this.running.filter((p) => id === undefined || p.id === id);
    for (const p of targets) {
      this.cleared.push(p.id);
      this.maps.set(p.id, (this.maps.get(p.id) ?? []).map((m) => ({ ...m, entries: [] })));
    }
    return targets;
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }

  closeAll(): void {
    this.closed++;
    this.running = [];
    this.maps.clear();
  }
}
