// nettrace's command line: read the program, compile it, and either show a stage or run it.
import { readFileSync } from 'node:fs';
import { compileStages } from '../compile.js';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostics, type SourceFile } from '../diagnostics/render.js';
import { liveEnv } from '../runtime/live-env.js';
import { missingCapabilities } from '../runtime/privileges.js';
import { disassemble } from '../native/emitter.js';
import { parseArgs, USAGE, UsageError, type Options } from './args.js';
import { runProgram } from './run.js';
import { applyMapEntries } from '../runtime/run/map-entries.js';
import { VERSION } from '../version.js';

export async function main(argv: string[]): Promise<void> {
  process.stdout.on('error', () => {}); // a closed pipe (| head) is not our error
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    fail([error(E.BadOption, e.message, undefined, 'see nettrace --help')]);
  }
  if (options.help) return void process.stdout.write(USAGE);
  if (options.version) return void process.stdout.write(`nettrace ${VERSION}\n`);
  if (options.info) {
    const { infoJson, infoText, kernelFeatures } = await import('../runtime/features.js');
    return void process.stdout.write((options.format === 'json' ? infoJson : infoText)(VERSION, kernelFeatures()));
  }
  if (options.cleanup) {
    const missing = missingCapabilities();
    if (missing.length > 0) fail([error(E.MissingPrivilege, `nettrace --cleanup needs ${missing.join(', ')} to remove tc filters`, undefined, 'run it as root (sudo nettrace --cleanup)')]);
    const removed = await removeOrphans();
    return void process.stdout.write(removed === 0 ? 'nettrace: nothing left behind by earlier runs\n' : '');
  }
  if (options.list) {
    const { listProbes } = await import('./list.js');
    const result = listProbes(options.list, liveEnv);
    if ('diagnostics' in result) fail(result.diagnostics, { name: '-l', text: options.list.pattern ?? '' });
    return void process.stdout.write(result.text);
  }
  if (options.program === undefined && options.file === undefined && process.stdin.isTTY) {
    const { startRepl } = await import('../repl/index.js');
    return startRepl({ unsafe: options.unsafe, mapEntries: options.mapEntries, ringBufferBytes: ringBufferBytes(options) });
  }
  const source = readSource(options);
  try {
    await compileAndRun(source, options);
  } catch (e) {
    if (e instanceof DiagnosticError) fail(e.diagnostics, source);
    throw e;
  }
}

async function compileAndRun(source: SourceFile, options: Options): Promise<void> {
  const stages = compileStages(source.text, liveEnv, { params: options.params });
  applyMapEntries(stages.compiled, options.mapEntries);
  switch (options.dump) {
    case 'ast':
      return void process.stdout.write(JSON.stringify(stages.ast, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
    case 'ir':
      return void process.stdout.write(stages.code.ir);
    case 'asm':
      return void process.stdout.write(disassemble(stages.compiled.object));
  }
  const missing = missingCapabilities();
  if (missing.length > 0) {
    fail([error(E.MissingPrivilege, `nettrace needs ${missing.join(', ')} to load and attach BPF programs`, undefined, 'run it as root (sudo nettrace ...)')], source);
  }
  // What a killed run left attached (clsact filters, which are not links) goes first.
  await removeOrphans();
  if (options.dryRun) {
    const { Session } = await import('../runtime/session.js');
    Session.start(stages.compiled, { allowTrafficChanges: options.unsafe, attach: false }).close();
    process.stdout.write(`${source.name}: ok: ${stages.compiled.programs.length} program(s) verified, nothing attached\n`);
    return;
  }
  await runProgram(stages.compiled, {
    verbose: options.verbose,
    unsafe: options.unsafe,
    timeoutSeconds: options.timeoutSeconds,
    format: options.format,
    ringBufferBytes: ringBufferBytes(options),
    out: process.stdout,
    err: process.stderr,
  });
}

/** Removes what killed nettrace runs left in the kernel, saying so on stderr; returns how many things. */
async function removeOrphans(): Promise<number> {
  const { cleanupOrphans } = await import('../runtime/attach/tc-classic.js');
  const removed = cleanupOrphans();
  for (const line of removed) process.stderr.write(`nettrace: ${line}\n`);
  return removed.length;
}

/** The ring buffer's size must be a multiple of the page size, which is 4 KiB on x86-64. */
const PAGE_SIZE = 4096;

/** --ring-pages, in bytes. */
function ringBufferBytes(options: Options): number | undefined {
  return options.ringPages === undefined ? undefined : options.ringPages * PAGE_SIZE;
}

function readSource(options: Options): SourceFile {
  if (options.program !== undefined) return { name: '-e', text: options.program };
  // Not a terminal and no program given: the program comes on standard input.
  if (options.file === undefined) return { name: '<stdin>', text: readFileSync(0, 'utf8') };
  try {
    return { name: options.file, text: readFileSync(options.file, 'utf8') };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    fail([error(E.FileNotFound, `cannot read '${options.file}': ${reason}`)]);
  }
}

function fail(diagnostics: Diagnostic[], source?: SourceFile): never {
  process.stderr.write(renderDiagnostics(diagnostics, source) + '\n');
  process.exit(1);
}
