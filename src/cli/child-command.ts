// -c CMD, as bpftrace's -c: the command is started before the probes attach but held
// until they are (so its pid, `cpid`, is known to BEGIN and to every probe, and none of
// its events is missed), released once "Attaching N probes..." is printed, and the run
// ends when it exits. The hold is a shell that waits for one line on fd 3 and then execs
// the command in its own place, so the pid the shell has is the command's pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';

/** Waits on fd 3: a line starts the command; the pipe closing first (nettrace died) does not. */
const HOLD_SCRIPT = 'read _ <&3 || exit 127; exec 3<&-; exec "$@"';

export interface ChildCommand {
  /** The command's pid (`cpid`), known before it runs. */
  readonly pid: number;
  /** Lets the command run; `onExit` is called once it has exited. */
  release(onExit: () => void): void;
  /** SIGTERM to the command if it is still running (the run ended first), as bpftrace's exit() does. */
  stop(): void;
}

/**
 * The words of -c's command: split at spaces, as bpftrace splits it (no quoting, no
 * shell: write `-c 'sh -c ...'` only for commands without spaces inside an argument).
 */
export function commandWords(command: string): string[] {
  return command.split(' ').filter((w) => w.length > 0);
}

/** The program file the first word names: a path with a `/` as it is, a bare name found on PATH. */
export function resolveCommand(word: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = word.includes('/') ? [word] : path.split(delimiter).filter((d) => d.length > 0).map((d) => join(d, word));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** -c's command as the argv to run, its program resolved; a command that cannot be run is NT0590. */
export function childCommandArgv(command: string): string[] {
  const words = commandWords(command);
  if (words.length === 0) throw new DiagnosticError([error(E.NoChildCommand, '-c needs a command to run', undefined, "for example: nettrace -c 'ping -c 3 10.0.0.1' -e '...'")]);
  const file = resolveCommand(words[0]);
  if (file === undefined) {
    const where = words[0].includes('/') ? 'no such executable file' : 'not found on PATH';
    throw new DiagnosticError([error(E.NoChildCommand, `cannot run -c's command '${words[0]}': ${where}`, undefined, 'give -c a program that exists and is executable, e.g. -c /usr/bin/curl or -c curl with curl on PATH')]);
  }
  return [file, ...words.slice(1)];
}

/** Starts the command (childCommandArgv's), held until release(). */
export function startChildCommand(argv: string[]): ChildCommand {
  const child = spawn('/bin/sh', ['-c', HOLD_SCRIPT, 'sh', ...argv], { stdio: ['inherit', 'inherit', 'inherit', 'pipe'] });
  if (child.pid === undefined) throw new DiagnosticError([error(E.NoChildCommand, `cannot start -c's command '${argv.join(' ')}'`, undefined, 'check that /bin/sh exists')]);
  return heldChild(child, child.pid);
}

function heldChild(child: ChildProcess, pid: number): ChildCommand {
  let exited = child.exitCode !== null || child.signalCode !== null;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void gone.then(() => (exited = true));
  const hold = child.stdio[3] as NodeJS.WritableStream;
  // A command that exits at once may close its end before the line arrives.
  (hold as NodeJS.WritableStream & { on(e: 'error', f: () => void): void }).on('error', () => {});
  let stopped = false;
  return {
    pid,
    release(onExit) {
      // Once the run has stopped the command, its exit has nothing left to end.
      void gone.then(() => stopped || onExit());
      hold.end('go\n');
    },
    stop() {
      stopped = true;
      if (!exited) child.kill('SIGTERM');
      // Not yet released (the run ended in BEGIN): closing the hold makes the shell exit unrun.
      hold.end();
    },
  };
}
