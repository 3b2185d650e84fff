// What happens when an entry is submitted: a command runs, a program attaches. Every
// outcome, failures included, becomes transcript entries; nothing here throws. A program
// that ends (.detach here, or exit() and lost interfaces in its run) is reported by the
// engine's `ended` event (use-program-notices.ts), with its maps.
import type { Position } from '../model/ast.js';
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { CommandError, parseCommand, type Command } from './commands.js';
import type { Engine, ProgramInfo } from './engine.js';
import { helpText } from './help.js';
import { describeProbes, mapsText } from './program-text.js';
import { savedPrograms, savedText, type SavedProgram } from './saved-programs.js';
import { formatInterval } from './text-fit.js';
import type { Entry } from './TranscriptEntry.js';
import type { ListenAddress } from '../serve/listen-address.js';
import { journeyOrigin, journeySource } from '../journey/repl-program.js';
import { numberedCaptureFile } from '../capture/capture-sink.js';

export interface ExecuteContext {
  engine: Engine;
  print(...entries: Entry[]): void;
  setIntervalMs(ms: number): void;
  /** The maps changed shape (attach, detach, clear): redraw now. */
  refresh(): void;
  quit(): void;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
}

export function execute(text: string, ctx: ExecuteContext): void {
  const trimmed = text.trim();
  if (trimmed === '') return;
  if (trimmed.startsWith('.')) {
    let command: Command;
    try {
      command = parseCommand(trimmed);
    } catch (e) {
      if (e instanceof CommandError) return ctx.print({ kind: 'error', text: e.message });
      throw e;
    }
    return runCommand(command, ctx);
  }
  attach(text, '<repl>', ctx);
}

/**
 * Attaches the programs of an entry or a file, each as its own program: all of them, or
 * none (those already attached are undone when a later one fails).
 */
function attach(text: string, origin: string, ctx: ExecuteContext): void {
  const programs = savedPrograms(text);
  const attached: ProgramInfo[] = [];
  let current = programs[0]!;
  try {
    for (const program of programs) {
      current = program;
      attached.push(ctx.engine.attach(program.source, origin));
    }
    for (const info of attached) ctx.print({ kind: 'info', text: `[${info.id}] attached ${describeProbes(info)}` });
  } catch (e) {
    for (const info of attached) ctx.engine.discard(info.id);
    if (e instanceof DiagnosticError) {
      ctx.print({ kind: 'diagnostics', diagnostics: e.diagnostics.map((d) => inFile(d, current)), source: { name: origin, text } });
    } else {
      ctx.print({ kind: 'error', text: `internal error: ${e instanceof Error ? e.message : String(e)} (please report this as a nettrace bug)` });
    }
    if (programs.length > 1) {
      ctx.print({ kind: 'error', text: `${origin}: program ${programs.indexOf(current) + 1} of ${programs.length} did not attach, so none of them is attached` });
    }
  } finally {
    ctx.refresh();
  }
}

/** A diagnostic of one program of a file, placed in the whole file. */
function inFile(d: Diagnostic, program: SavedProgram): Diagnostic {
  if (!d.span || program.offset === 0) return d;
  const at = (p: Position): Position => ({ ...p, line: p.line + program.lineOffset, offset: p.offset + program.offset });
  return { ...d, span: { start: at(d.span.start), end: at(d.span.end) } };
}

function runCommand(command: Command, ctx: ExecuteContext): void {
  const { engine, print } = ctx;
  switch (command.name) {
    case '.help':
      return print({ kind: 'output', text: helpText() });
    case '.list': {
      const programs = engine.programs();
      if (programs.length === 0) return print({ kind: 'output', text: 'nothing is attached' });
      return print({ kind: 'output', text: programs.map((p) => `[${p.id}] ${describeProbes(p)}\n    ${oneLine(p.source)}`).join('\n') });
    }
    case '.detach': {
      const ids = command.target === 'all' ? engine.programs().map((p) => p.id) : [command.target];
      if (ids.length === 0) return print({ kind: 'output', text: 'nothing is attached' });
      for (const id of ids) {
        try {
          if (!engine.detach(id)) print(noSuchProgram(id));
        } catch (e) {
          reportFailure(e, ctx);
        }
      }
      return ctx.refresh();
    }
    case '.clear': {
      if (command.target !== 'all' && !engine.programs().some((p) => p.id === command.target)) return print(noSuchProgram(command.target));
      try {
        const cleared = engine.clear(command.target === 'all' ? undefined : command.target);
        print({ kind: 'info', text: cleared.length === 0 ? 'nothing is attached' : cleared.map((p) => `[${p.id}] maps reset`).join('\n') });
      } catch (e) {
        reportFailure(e, ctx);
      }
      return ctx.refresh();
    }
    case '.print':
      return printMaps(command.target, ctx);
    case '.load': {
      let source: string;
      try {
        source = ctx.readFile(command.file);
      } catch (e) {
        return print({ kind: 'error', text: `cannot read '${command.file}': ${fileError(e)}` });
      }
      return attach(source, command.file, ctx);
    }
    case '.save': {
      const programs = engine.programs();
      if (programs.length === 0) return print({ kind: 'error', text: 'nothing is attached: there is no program to save' });
      try {
        ctx.writeFile(command.file, savedText(programs.map((p) => p.source)));
      } catch (e) {
        return print({ kind: 'error', text: `cannot write '${command.file}': ${fileError(e)}` });
      }
      return print({ kind: 'info', text: `saved ${programs.length} program${programs.length === 1 ? '' : 's'} to ${command.file}` });
    }
    case '.interval':
      ctx.setIntervalMs(command.ms);
      return print({ kind: 'info', text: `live panels redraw every ${formatInterval(command.ms)}` });
    case '.serve':
      return serve(command.address, ctx);
    case '.capture': {
      if (!engine.capture) return print({ kind: 'error', text: 'this REPL has no kernel to capture packets from' });
      const file = command.file === 'off' ? undefined : command.file;
      engine.capture(file);
      return print({ kind: 'info', text: file ? `programs attached from now on write the packets capture() copies to ${file} (the first; each further one ${numberedCaptureFile(file, 'N')}, N its id)` : 'capture() files are off: a program that calls capture() is refused' });
    }
    case '.journey':
      return attach(journeySource(command), journeyOrigin(command), ctx);
    case '.quit':
      return ctx.quit();
  }
}

/** `.serve`: listening takes a moment, so the outcome is printed when it comes. */
function serve(address: ListenAddress | 'off', ctx: ExecuteContext): void {
  const { engine, print } = ctx;
  if (!engine.serve || !engine.stopServing) return print({ kind: 'error', text: 'this REPL has no kernel to serve metrics from' });
  const source = { name: '.serve', text: '' };
  const done =
    address === 'off'
      ? engine.stopServing().then((was) => print({ kind: 'info', text: was ? 'stopped serving metrics' : 'metrics were not being served' }))
      : engine.serve(address, (d) => print({ kind: 'diagnostics', diagnostics: [d], source })).then((url) => print({ kind: 'info', text: `serving metrics on ${url}` }));
  done.catch((e: unknown) => {
    if (e instanceof DiagnosticError) print({ kind: 'diagnostics', diagnostics: e.diagnostics, source });
    else print({ kind: 'error', text: `internal error: ${e instanceof Error ? e.message : String(e)} (please report this as a nettrace bug)` });
  });
}

function printMaps(target: number | 'all', ctx: ExecuteContext): void {
  const readings = ctx.engine.read().filter((r) => target === 'all' || r.program.id === target);
  if (readings.length === 0) return ctx.print(target === 'all' ? { kind: 'output', text: 'nothing is attached' } : noSuchProgram(target));
  const blocks = readings.map((r) => {
    if (r.error !== undefined) return `[${r.program.id}] cannot read maps: ${r.error}`;
    const maps = mapsText(r.maps);
    return [`[${r.program.id}] ${describeProbes(r.program)}`, ...(maps.length ? maps : ['(no maps)'])].join('\n');
  });
  ctx.print({ kind: 'output', text: blocks.join('\n\n') });
}

function oneLine(source: string): string {
  return source.replace(/\s*\n\s*/g, ' ').trim();
}

function noSuchProgram(id: number): Entry {
  return { kind: 'error', text: `there is no program [${id}]; .list shows the attached ones` };
}

function fileError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return e instanceof Error ? e.message : String(e);
}

function reportFailure(e: unknown, ctx: ExecuteContext): void {
  if (e instanceof DiagnosticError) ctx.print({ kind: 'error', text: e.diagnostics.map((d) => `error[${d.code}]: ${d.message}`).join('\n') });
  else ctx.print({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
}
