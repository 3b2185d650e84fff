// nettrace's command line: read the program, compile it, and either show a stage or run it.
import { existsSync, readFileSync } from 'node:fs';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostics, type SourceFile } from '../diagnostics/render.js';
import { missingCapabilities } from '../runtime/privileges.js';
import { parseArgs, USAGE, UsageError, type Options } from './args.js';
import { runProgram } from './run.js';
import type { EndpointRequest } from '../serve/endpoint.js';
import { obtainProgram } from './program-source.js';
import { applyMapEntries } from '../runtime/run/map-entries.js';
import { VERSION } from '../version.js';
import type { CompiledProgram } from '../model/compiled-program.js';
import type { CompileOptions } from '../compile.js';
import type { CaptureSink } from '../capture/capture-sink.js';

export async function main(argv: string[]): Promise<void> {
  process.stdout.on('error', () => {}); // a closed pipe (| head) is not our error
  if (argv[0] === 'lesson') return lesson(argv.slice(1));
  if (argv[0] === 'journey') return journey(argv.slice(1));
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
  if (options.cacheClear) {
    const { openProgramCache } = await import('../cache/open.js');
    const opened = openProgramCache();
    if ('unavailable' in opened) fail([error(E.CacheUnavailable, `no cache to clear: ${opened.unavailable}`, undefined, 'set NETTRACE_CACHE_DIR to a directory of your own, or fix its owner and mode (0700)')]);
    const { entries, bytes } = opened.cache.clear();
    return void process.stdout.write(`nettrace: removed ${entries} compiled program(s), ${Math.ceil(bytes / 1024)} KiB, from ${opened.cache.dir}\n`);
  }
  if (options.list) {
    const [{ listProbes }, { liveEnv }] = await Promise.all([import('./list.js'), import('../runtime/live-env.js')]);
    const result = listProbes(options.list, liveEnv);
    if ('diagnostics' in result) fail(result.diagnostics, { name: '-l', text: options.list.pattern ?? '' });
    return void process.stdout.write(result.text);
  }
  if (options.program === undefined && options.file === undefined && process.stdin.isTTY) {
    const { startRepl } = await import('../repl/index.js');
    if (options.serve) fail([error(E.BadOption, '--serve needs a program (-e or FILE.nt)', undefined, 'in the REPL, type .serve ADDR:PORT (--web-config, --serve-insecure and --serve-max-series apply to it)')]);
    const serve = { webConfigFile: options.webConfig, insecure: options.serveInsecure, maxSeries: options.serveMaxSeries };
    return startRepl({ unsafe: options.unsafe, mapEntries: options.mapEntries, ringBufferBytes: ringBufferBytes(options), serve });
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
  if (options.pid !== undefined && !existsSync(`/proc/${options.pid}`)) {
    throw new DiagnosticError([error(E.NoSuchProcess, `no process has the pid ${options.pid}`, undefined, 'ps -e lists the processes; -p takes the process id (tgid), as the pid builtin gives it')]);
  }
  // -c's program is looked for now: a command that cannot run costs no compile.
  const childArgv = options.command === undefined ? undefined : (await import('./child-command.js')).childCommandArgv(options.command);
  if (options.dump) return dumpStage(source, options);
  const serve = await serveRequest(options);
  // The compiler (chevrotain, llvm-bindings, LLVM) is imported only when the cache misses.
  const compiled = await obtainProgram(source.text, {
    compile: compileOptionsOf(options),
    noCache: options.noCache,
    log: options.verbose ? (line) => process.stderr.write(`nettrace: ${line}\n`) : undefined,
  });
  applyMapEntries(compiled, options.mapEntries);
  const missing = missingCapabilities();
  if (missing.length > 0) {
    fail([error(E.MissingPrivilege, `nettrace needs ${missing.join(', ')} to load and attach BPF programs`, undefined, 'run it as root (sudo nettrace ...)')], source);
  }
  // What a killed run left attached (clsact filters, which are not links) goes first.
  await removeOrphans();
  if (options.dryRun) {
    const { Session } = await import('../runtime/session.js');
    Session.start(compiled, { allowTrafficChanges: options.unsafe, attach: false }).close();
    process.stdout.write(`${source.name}: ok: ${compiled.programs.length} program(s) verified, nothing attached\n`);
    return;
  }
  // -w: opened before the run, so a path that cannot be written fails before anything loads.
  const capture = await captureSinkFor(compiled, options);
  // -o and -B: opened only for a run, so --dry-run leaves no file behind. With -w - the
  // packets have stdout, and the text goes to stderr.
  const { openRunOutput } = await import('./run-output.js');
  const output = capture?.name === 'stdout' && options.outputFile === undefined ? { out: process.stderr, finish: async () => {} } : openRunOutput(options.outputFile, options.buffering);
  // -c: started now, so its pid is known to BEGIN; it runs once everything is attached.
  const child = childArgv && (await import('./child-command.js')).startChildCommand(childArgv);
  await runProgram(compiled, {
    child,
    verbose: options.verbose,
    quiet: options.quiet,
    unsafe: options.unsafe,
    timeoutSeconds: options.timeoutSeconds,
    format: options.format,
    jsonCompat: options.jsonCompat,
    ringBufferBytes: ringBufferBytes(options),
    serve,
    out: output.out,
    err: process.stderr,
    // With -o the maps go to the file and the blank lines before them to stdout, as bpftrace.
    separator: options.outputFile === undefined || capture?.name === 'stdout' ? output.out : process.stdout,
    capture,
  });
  await output.finish();
}

/** The options that change the compiled code: the program cache keys on exactly these (undefined ones left out). */
function compileOptionsOf(options: Options): CompileOptions {
  return {
    params: options.params,
    filter: options.filter,
    pid: options.pid,
    ...(options.command !== undefined && { childCommand: true }),
    ...(options.reportHelperErrors && { reportHelperErrors: true }),
    ...(options.snaplen !== undefined && { snaplen: options.snaplen }),
  };
}

/** -w: the capture file; NT0443 when the program captures but has nowhere to write. */
async function captureSinkFor(compiled: CompiledProgram, options: Options): Promise<CaptureSink | undefined> {
  const captures = compiled.captures?.length ?? 0;
  if (captures > 0 && options.captureFile === undefined) {
    throw new DiagnosticError([error(E.CaptureWithoutFile, `the program calls capture() (at ${compiled.captures!.map((c) => c.probe).join(', ')}) but no -w FILE says where the packets go`, undefined, 'add -w FILE.pcapng, or -w - to stream them to stdout (nettrace -w - ... | tcpdump -r -)')]);
  }
  if (options.captureFile === undefined) return undefined;
  if (captures === 0) process.stderr.write(`warning: -w ${options.captureFile}: the program has no capture(), so the file holds no packets\n`);
  const { openCaptureSink } = await import('../capture/capture-sink.js');
  return openCaptureSink(options.captureFile);
}

/** --serve and its options, checked before compiling (NT0540, NT0541): a refusal costs nothing. */
async function serveRequest(options: Options): Promise<EndpointRequest | undefined> {
  if (!options.serve) {
    // Allowed without --serve for the REPL's .serve only; a program read from stdin has no use for them.
    if (options.webConfig !== undefined || options.serveInsecure || options.serveMaxSeries !== undefined) {
      throw new DiagnosticError([error(E.BadOption, '--web-config, --serve-max-series and --serve-insecure go with --serve ADDR:PORT', undefined, 'see nettrace --help')]);
    }
    return undefined;
  }
  // Loaded only for --serve: the YAML reader, bcrypt and the HTTP server cost start-up time.
  const { checkEndpoint } = await import('../serve/endpoint.js');
  const request = { address: options.serve, webConfigFile: options.webConfig, maxSeries: options.serveMaxSeries, insecure: options.serveInsecure };
  checkEndpoint(request);
  return request;
}

/** `nettrace journey IFACE [--tx]`: the packet's way through the stack, live (src/journey/). */
async function journey(args: string[]): Promise<void> {
  const { parseJourneyArgs, runJourney } = await import('../journey/command.js');
  const options = parseJourneyArgs(args);
  if ('ok' in options) return void (options.ok || fail(options.diagnostics));
  const missing = missingCapabilities();
  if (missing.length > 0) fail([error(E.MissingPrivilege, `nettrace journey needs ${missing.join(', ')} to load and attach its probes`, undefined, 'run it as root (sudo nettrace journey ...)')]);
  // Like every run: tc filters a killed run left (kernels without tcx) go first.
  await removeOrphans();
  const outcome = await runJourney(options, process.stdout);
  if (!outcome.ok) fail(outcome.diagnostics, outcome.source);
}

/** `nettrace lesson [NAME]`: a subcommand, so its word comes first (src/lesson/). */
async function lesson(args: string[]): Promise<void> {
  const missing = missingCapabilities();
  if (args.length > 0 && missing.length > 0) {
    fail([error(E.MissingPrivilege, `a lesson needs ${missing.join(', ')} to build its sandbox and load its script`, undefined, 'run it as root (sudo nettrace lesson ...)')]);
  }
  const { lessonCommand } = await import('../lesson/command.js');
  const outcome = await lessonCommand(args, process.stdout);
  if (!outcome.ok) fail(outcome.diagnostics);
  process.exitCode = outcome.status;
}

/** -d STAGE (cli/dump/): always compiled afresh (the cache keeps no AST), never cached. */
async function dumpStage(source: SourceFile, options: Options): Promise<void> {
  const [{ compileStages }, { liveEnv }, { dumpText }] = await Promise.all([import('../compile.js'), import('../runtime/live-env.js'), import('./dump/stages.js')]);
  const stages = compileStages(source.text, liveEnv, compileOptionsOf(options));
  applyMapEntries(stages.compiled, options.mapEntries);
  const stage = options.dump!;
  // The verifier's log needs the programs loaded: the one dump that needs privileges.
  const missing = stage === 'verifier' || stage === 'all' ? missingCapabilities() : [];
  if (missing.length > 0) fail([error(E.MissingPrivilege, `nettrace -d ${stage} needs ${missing.join(', ')} to load the programs into the verifier`, undefined, 'run it as root (sudo nettrace ...), or use -d ast, types, ir or asm')], source);
  process.stdout.write(await dumpText(stage, source.text, stages, options.unsafe));
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
