// Where a run's output goes: stdout, or the -o file, each behind the -B buffering.
// Warnings and diagnostics stay on stderr, as bpftrace -o leaves them.
import { createWriteStream, openSync } from 'node:fs';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import { BufferedOutput, type BufferMode } from './buffered-output.js';

export interface RunOutput {
  out: NodeJS.WritableStream;
  /** Writes what is held and waits until the file has it. */
  finish(): Promise<void>;
}

export function openRunOutput(file: string | undefined, mode: BufferMode | undefined): RunOutput {
  if (file === undefined && mode === undefined) return { out: process.stdout, finish: async () => {} };
  const target = file === undefined ? process.stdout : openFile(file);
  // Without -B, a file gets whole lines at once and stdout is left as node writes it.
  const buffered = new BufferedOutput(target, mode ?? 'line');
  return {
    out: buffered,
    finish: () =>
      new Promise<void>((resolve) => {
        buffered.flush();
        if (target === process.stdout) return resolve();
        target.end(() => resolve());
      }),
  };
}

function openFile(file: string): NodeJS.WritableStream {
  let fd: number;
  try {
    // Opened now, so a path that cannot be written fails before anything loads.
    fd = openSync(file, 'w');
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : message;
    throw new DiagnosticError([error(E.OutputFileUnwritable, `cannot write the output file '${file}': ${reason}`, undefined, 'give -o a path in a directory you can write to')]);
  }
  return createWriteStream('', { fd });
}
