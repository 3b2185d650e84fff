// Where -w sends the pcapng bytes: a file, or stdout for `-w -` (then the run's text goes
// to stderr, so `nettrace -w - ... | tcpdump -r -` reads nothing but pcapng). Written
// synchronously, in record order, so the file is whole up to the last packet whenever the
// run ends; a reader that goes away (EPIPE) stops the writing, not the run.
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';

export interface CaptureSink {
  /** `-` for stdout, or the file's path. */
  name: string;
  write(bytes: Buffer): void;
  close(): void;
  /** Set when the reader went away: nothing more is written. */
  broken?: string;
}

export function openCaptureSink(path: string): CaptureSink {
  const stdout = path === '-';
  let fd: number;
  try {
    fd = stdout ? 1 : openSync(path, 'w');
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : message;
    throw new DiagnosticError([error(E.CaptureFileUnwritable, `cannot write the capture file '${path}': ${reason}`, undefined, 'give -w a path in a directory you can write to, or - for stdout')]);
  }
  const sink: CaptureSink = {
    name: stdout ? 'stdout' : path,
    write(bytes) {
      if (sink.broken) return;
      for (let at = 0; at < bytes.length; ) {
        try {
          at += writeSync(fd, bytes, at, bytes.length - at);
        } catch (e) {
          const { code } = e as NodeJS.ErrnoException;
          if (code === 'EAGAIN') continue; // a non-blocking pipe that is full: try again
          sink.broken = code ?? String(e);
          return;
        }
      }
    },
    close() {
      if (!stdout) closeSync(fd);
    },
  };
  return sink;
}

/** The inode number of nettrace's own network namespace: where its xdp and tc probes attach. */
export function ownNetns(): number | undefined {
  try {
    return statSync('/proc/self/ns/net').ino;
  } catch {
    return undefined;
  }
}

/** Interface names by index in nettrace's namespace, read once when first asked. */
export function interfaceNames(): (ifindex: number) => string | undefined {
  let names: Map<number, string> | undefined;
  return (ifindex) => {
    if (!names) {
      names = new Map();
      try {
        for (const name of readdirSync('/sys/class/net')) {
          const index = Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim());
          if (Number.isInteger(index)) names.set(index, name);
        }
      } catch {
        // no sysfs: the blocks name interfaces by index
      }
    }
    return names.get(ifindex);
  };
}

/** The file the REPL's further programs capture to: FILE with the program's id before its extension. */
export function numberedCaptureFile(file: string, id: number | string): string {
  const dot = file.lastIndexOf('.');
  return dot > 0 && dot > file.lastIndexOf('/') + 1 ? `${file.slice(0, dot)}-${id}${file.slice(dot)}` : `${file}-${id}`;
}
