// Command-line options, parsed by hand: the surface is small and the errors must be ours.
export type DumpStage = 'ast' | 'ir' | 'asm';
export type OutputFormat = 'text' | 'json';

export interface Options {
  program?: string;
  file?: string;
  /** Arguments after the program or file: `$1`, `$2` ... in probes. */
  params: string[];
  dump?: DumpStage;
  dryRun: boolean;
  verbose: boolean;
  /** Attach programs whose actions (drop, tx) change traffic. */
  unsafe: boolean;
  timeoutSeconds?: number;
  /** -f: how maps and events print. */
  format: OutputFormat;
  /** --ring-pages: events ring buffer size in pages. */
  ringPages?: number;
  /** --map-entries: the maximum number of keys of every map. */
  mapEntries?: number;
  help: boolean;
  version: boolean;
  /** --info: the kernel and the features nettrace found in it. */
  info: boolean;
  /** --cleanup: remove tc filters and qdiscs that killed nettrace runs left behind. */
  cleanup: boolean;
  /** -l [PATTERN], -lv PROBE: list probes, or show a probe's arguments (cli/list.ts). */
  list?: { pattern?: string; verbose: boolean };
}

export class UsageError extends Error {}

export const USAGE = `usage: nettrace [options] -e 'PROGRAM'
       nettrace [options] FILE.nt [ARG...]
       nettrace [options]          (on a terminal: the interactive REPL;
                                    otherwise the program is read from stdin)

Compiles network probes to eBPF and runs them in the kernel until Ctrl-C,
then prints the maps.

options:
  -e PROGRAM        run PROGRAM, e.g. -e 'xdp:eth0 < @[ip.src] = count() >'
  -d ast|ir|asm     print a compiler stage and exit (no privileges needed)
  --dry-run         compile and load into the verifier, but do not attach
  -v                verbose: verifier log, attach modes
  --unsafe          allow actions that change traffic (drop, tx)
  --timeout SECS    stop after SECS seconds, as if Ctrl-C was pressed
  -f text|json      output format: text (as bpftrace) or one JSON object per line
  --ring-pages N    events ring buffer size in pages, a power of two (default 64)
  --map-entries N   how many keys each map can hold (default 10240)
  -l [PATTERN]      list probes: interfaces, tracepoints, raw tracepoints, kernel functions
  -lv PROBE         show a probe's arguments and their types, e.g. -lv tracepoint:skb:kfree_skb
  --info            print the kernel, the BPF features nettrace found in it, and the version
                    (with -f json: one JSON object)
  --cleanup         remove tc filters and clsact qdiscs left by nettrace runs that were
                    killed (kernels without tcx; every run also does this when it starts)
  -h, --help        this text
  -V, --version     print the version

examples:
  nettrace -e 'xdp:eth0 < @[ip.src] = count() >'
  nettrace -e 'xdp:eth0 /udp.dport == 53/ { @[ip.src, ip.dst] = count() }'
  nettrace stdlib/top-talkers.nt eth0      ($1 in the script's probes is eth0)
`;

const DUMP_STAGES: DumpStage[] = ['ast', 'ir', 'asm'];

/** 2^24 keys: far beyond any map a trace needs, and still a size the kernel accepts. */
const MAX_MAP_ENTRIES = 1 << 24;

export function parseArgs(argv: string[]): Options {
  const options: Options = { params: [], dryRun: false, verbose: false, unsafe: false, format: 'text', help: false, version: false, info: false, cleanup: false };
  const value = (i: number, flag: string): string => {
    if (i >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[i];
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '-e':
        options.program = value(++i, arg);
        break;
      case '-d': {
        const stage = value(++i, arg) as DumpStage;
        if (!DUMP_STAGES.includes(stage)) throw new UsageError(`-d takes one of ${DUMP_STAGES.join(', ')}, not '${stage}'`);
        options.dump = stage;
        break;
      }
      case '--dry-run':
        options.dryRun = true;
        break;
      case '-v':
        options.verbose = true;
        break;
      case '--unsafe':
        options.unsafe = true;
        break;
      case '-f': {
        const format = value(++i, arg) as OutputFormat;
        if (format !== 'text' && format !== 'json') throw new UsageError(`-f takes text or json, not '${format}'`);
        options.format = format;
        break;
      }
      case '--ring-pages': {
        const text = value(++i, arg);
        const pages = Number(text);
        if (!Number.isInteger(pages) || pages < 1 || (pages & (pages - 1)) !== 0 || pages > 1 << 18) {
          throw new UsageError(`--ring-pages takes a power of two from 1 to ${1 << 18}, not '${text}'`);
        }
        options.ringPages = pages;
        break;
      }
      case '--map-entries': {
        const text = value(++i, arg);
        const entries = Number(text);
        if (!Number.isInteger(entries) || entries < 1 || entries > MAX_MAP_ENTRIES) {
          throw new UsageError(`--map-entries takes a whole number from 1 to ${MAX_MAP_ENTRIES}, not '${text}'`);
        }
        options.mapEntries = entries;
        break;
      }
      case '--timeout': {
        const text = value(++i, arg);
        const seconds = Number(text);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout takes a positive number of seconds, not '${text}'`);
        options.timeoutSeconds = seconds;
        break;
      }
      case '-l':
      case '-lv':
        options.list = { verbose: arg === '-lv' };
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      case '-V':
      case '--version':
        options.version = true;
        break;
      case '--info':
        options.info = true;
        break;
      case '--cleanup':
        options.cleanup = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        positional.push(arg);
    }
  }
  if (options.list) {
    // -l takes at most one pattern; -l -v means -lv, as in bpftrace.
    if (positional.length > 1) throw new UsageError(`-l takes one pattern, not ${positional.length} ('${positional.join("' '")}')`);
    options.list = { pattern: positional[0], verbose: options.list.verbose || options.verbose };
    if (options.list.verbose && options.list.pattern === undefined) throw new UsageError('-lv needs a probe, e.g. nettrace -lv tracepoint:skb:kfree_skb');
    return options;
  }
  // As in bpftrace: with -e every other argument is a parameter ($1 ...); without it the
  // first is the script file and the rest are its parameters.
  if (options.program === undefined) options.file = positional.shift();
  options.params = positional;
  return options;
}
