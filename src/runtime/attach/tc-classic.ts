// tc probes on kernels without tcx links (before 6.6): a direct-action cls_bpf filter on
// a clsact qdisc. Unlike a link, a filter outlives the process that made it, so:
//
// - close() removes the filter, and the clsact qdisc too when nettrace made it and no
//   filter is left on it (another tool's, or another nettrace run's, keeps it there);
// - every filter and every qdisc nettrace makes is written down first, under
//   /run/nettrace/tc (tmpfs: gone at reboot, like the filters), with the owner's pid and
//   start time, so a run killed by SIGKILL can be cleaned up by the next nettrace start
//   or by `nettrace --cleanup` (cleanupOrphans), which removes only what a process that
//   is gone left behind.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as native from '../../native/bpf.js';

export type TcDirection = 'ingress' | 'egress';

/** What holds a classic tc attachment; close() detaches it (idempotent). */
export interface TcClassicAttachment {
  close(): void;
  /** False once the interface it sat on is gone (the kernel dropped the filter with it). */
  onInterface(): boolean;
}

/** A filter nettrace attached, as written down before attaching. */
interface FilterRecord {
  owner: Owner;
  ifindex: number;
  ifname: string;
  direction: TcDirection;
  progId: number;
}

/** A clsact qdisc nettrace created. */
interface QdiscRecord {
  owner: Owner;
  ifindex: number;
  ifname: string;
}

/** A process, told apart from a later one with the same pid by its start time. */
interface Owner {
  pid: number;
  start: string;
}

/** Where the records live; NETTRACE_RUN_DIR moves it (tests). */
function recordDir(): string {
  return join(process.env.NETTRACE_RUN_DIR ?? '/run/nettrace', 'tc');
}

export function attachTcClassic(progFd: number, ifname: string, ifindex: number, direction: TcDirection): TcClassicAttachment {
  const self = ownerOf(process.pid)!;
  const progId = native.progInfo(progFd).id;
  const filterFile = `filter-${self.pid}-${progId}.json`;
  // Written before attaching: a SIGKILL between the two leaves a record of nothing,
  // which cleanup drops, never a filter nobody knows about.
  writeRecord(filterFile, { owner: self, ifindex, ifname, direction, progId } satisfies FilterRecord);
  let filter: native.TcFilter & { qdiscCreated: boolean };
  try {
    filter = native.attachTcClassic(progFd, ifindex, direction);
  } catch (e) {
    removeRecord(filterFile);
    throw e;
  }
  if (filter.qdiscCreated) writeRecord(qdiscFile(ifindex), { owner: self, ifindex, ifname } satisfies QdiscRecord);
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      if (sameInterface(ifindex, ifname)) {
        native.detachTcClassic(ifindex, direction, filter);
        removeQdiscIfUnused(ifindex, ifname, self);
      }
      removeRecord(filterFile);
    },
    onInterface: () => sameInterface(ifindex, ifname),
  };
}

/**
 * Removes the filters and qdiscs that nettrace processes which are gone left behind (a
 * SIGKILL, a power cut of the process). Returns one line per thing removed.
 */
export function cleanupOrphans(): string[] {
  const done: string[] = [];
  for (const file of recordFiles('filter-')) {
    const record = readRecord<FilterRecord>(file);
    if (record && isAlive(record.owner)) continue;
    if (record && sameInterface(record.ifindex, record.ifname)) {
      for (const f of native.listTcFilters(record.ifindex, record.direction)) {
        if (f.progId !== record.progId || !native.detachTcClassic(record.ifindex, record.direction, f)) continue;
        done.push(`removed tc filter ${f.name || `handle ${f.handle}`} from ${record.ifname} ${record.direction}, left by nettrace process ${record.owner.pid}, which is gone`);
      }
    }
    removeRecord(file);
  }
  for (const file of recordFiles('clsact-')) {
    const record = readRecord<QdiscRecord>(file);
    if (record && isAlive(record.owner)) continue;
    if (!record || !sameInterface(record.ifindex, record.ifname)) {
      removeRecord(file);
      continue;
    }
    if (removeQdiscIfUnused(record.ifindex, record.ifname, undefined)) {
      done.push(`removed the clsact qdisc of ${record.ifname}, made by nettrace process ${record.owner.pid}, which is gone`);
    }
  }
  return done;
}

/**
 * Removes the clsact qdisc of the interface when nettrace made it, its maker is gone or
 * is `self`, and no filter (anyone's) is left on it. True when it was removed.
 */
function removeQdiscIfUnused(ifindex: number, ifname: string, self: Owner | undefined): boolean {
  const file = qdiscFile(ifindex);
  const record = readRecord<QdiscRecord>(file);
  if (!record || record.ifname !== ifname) return false;
  const mine = self !== undefined && record.owner.pid === self.pid && record.owner.start === self.start;
  if (!mine && isAlive(record.owner)) return false;
  const inUse = native.listTcFilters(ifindex, 'ingress').length + native.listTcFilters(ifindex, 'egress').length > 0;
  if (inUse) return false;
  native.destroyClsact(ifindex);
  removeRecord(file);
  return true;
}

function qdiscFile(ifindex: number): string {
  return `clsact-${ifindex}.json`;
}

/** Whether `ifindex` still names the interface `ifname` (an index can be reused). */
function sameInterface(ifindex: number, ifname: string): boolean {
  try {
    return Number(readFileSync(`/sys/class/net/${ifname}/ifindex`, 'utf8')) === ifindex;
  } catch {
    return false;
  }
}

/** The pid with its start time (field 22 of /proc/PID/stat), or undefined when gone. */
function ownerOf(pid: number): Owner | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, start: fields[19] };
  } catch {
    return undefined;
  }
}

function isAlive(owner: Owner): boolean {
  return ownerOf(owner.pid)?.start === owner.start;
}

function recordFiles(prefix: string): string[] {
  try {
    return readdirSync(recordDir()).filter((f) => f.startsWith(prefix) && f.endsWith('.json'));
  } catch {
    return []; // no directory: no classic tc attachment was ever made since boot
  }
}

function readRecord<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(recordDir(), file), 'utf8')) as T;
  } catch {
    return undefined; // half-written by a process killed mid-write, or already removed
  }
}

function writeRecord(file: string, record: FilterRecord | QdiscRecord): void {
  const dir = recordDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = join(dir, `.${file}.${process.pid}`);
  writeFileSync(temporary, JSON.stringify(record));
  renameSync(temporary, join(dir, file));
}

function removeRecord(file: string): void {
  rmSync(join(recordDir(), file), { force: true });
}
