// Command-line options, parsed by hand: the surface is small and the errors must be ours.
import { parseListenAddress, type ListenAddress } from '../serve/listen-address.js';
import type { BufferMode } from './buffered-output.js';
import { MAX_SNAPLEN } from '../model/capture.js';
export type DumpStage = 'ast' | 'types' | 'ir' | 'asm' | 'verifier' | 'all';
export type OutputFormat = 'text' | 'json';

export interface Options {
  program?: string;
  file?: string;
  /** Arguments after the program or file: `$1`, `$2` ... in probes. */
  params: string[];
  dump?: DumpStage;
  /** -o FILE: the run's output goes to FILE instead of stdout, as bpftrace -o. */
  outputFile?: string;
  /** -B none|line|full: how the run's output is buffered, as bpftrace -B. */
  buffering?: BufferMode;
  /** -p PID: only process PID's events, in probes that run in a task's context (check/pid-filter.ts). */
  pid?: number;
  /** -c CMD: run CMD once the probes are attached, end the run when it exits; `cpid` is its pid (cli/child-command.ts). */
  command?: string;
  /** -k (-kk): report each map update the kernel refuses and each kernel read that fails as it happens, as bpftrace -k/-kk warn. */
  reportHelperErrors?: boolean;
  dryRun: boolean;
  verbose: boolean;
  /** -q: no `Attaching N probes...` line, as bpftrace -q. */
  quiet?: boolean;
  /** Attach programs whose actions (drop, tx) change traffic. */
  unsafe: boolean;
  timeoutSeconds?: number;
  /** -f: how maps and events print. */
  format: OutputFormat;
  /** --json-compat bpftrace: -f json in bpftrace 0.17's own lines (format/json-bpftrace.ts). */
  jsonCompat?: 'bpftrace';
  /** --ring-pages: events ring buffer size in pages. */
  ringPages?: number;
  /** --map-entries: the maximum number of keys of every map. */
  mapEntries?: number;
  /** -F: a pcap-filter expression every xdp and tc probe applies (docs/usage.md). */
  filter?: string;
  /** -w FILE: the packets capture() copies, as pcapng; `-` is stdout (the text output then goes to stderr). */
  captureFile?: string;
  /** --snaplen N: the most bytes capture() copies of one packet. */
  snaplen?: number;
  help: boolean;
  version: boolean;
  /** --info: the kernel and the features nettrace found in it. */
  info: boolean;
  /** --cleanup: remove tc filters and qdiscs that killed nettrace runs left behind. */
  cleanup: boolean;
  /** --no-cache: compile even when the compiled-program cache holds the program, and do not save it. */
  noCache: boolean;
  /** --cache-clear: empty the compiled-program cache and exit. */
  cacheClear: boolean;
  /** --serve ADDR:PORT: serve the maps as Prometheus metrics while the program runs (src/serve/). */
  serve?: ListenAddress;
  /** --serve-max-series N: the most series one scrape writes. */
  serveMaxSeries?: number;
  /** --web-config FILE: TLS and basic auth for --serve (exporter-toolkit format). */
  webConfig?: string;
  /** --serve-insecure: allow --serve on a non-loopback address without a web config. */
  serveInsecure: boolean;
  /** -l [PATTERN], -lv PROBE: list probes, or show a probe's arguments (cli/list.ts). */
  list?: { pattern?: string; verbose: boolean };
}

export class UsageError extends Error {}

export const USAGE = `usage: nettrace [options] -e 'PROGRAM'
       nettrace [options] FILE.nt [ARG...]
       nettrace [options]          (on a terminal: the interactive REPL;
                                    otherwise the program is read from stdin)
       nettrace lesson [NAME]      list the lessons, or run one in its own sandbox
       nettrace journey IFACE [--tx] [--timeout SECS]
                                   the packet's way through the stack on IFACE, live

Compiles network probes to eBPF and runs them in the kernel until Ctrl-C,
then prints the maps.

options:
  -e PROGRAM        run PROGRAM, e.g. -e 'xdp:eth0 < @[ip.src] = count() >'
  -d STAGE          print a compiler stage and exit: ast (a tree), types (each expression's
                    type), ir, asm, verifier (the verifier log of each program; needs root),
                    all (source, tokens, ast, types, ir, asm, verifier under headings)
  -o FILE           write the program's output to FILE instead of stdout
  -B none|line|full how that output is buffered (default: line for -o, as node writes for stdout)
  -c CMD            run CMD once the probes are attached and stop when it exits; cpid is its
                    pid, e.g. -c 'ping -c 3 10.0.0.1' -e 't:net:net_dev_queue /pid == cpid/ {...}'
  -k                report each map update the kernel refuses (a full map) and each kernel read
                    through a bad pointer as it happens, with where it is in the program
                    (-kk: the same)
  -p PID            only events of process PID in tracepoint, rawtracepoint, kprobe and fentry
                    probes (xdp, tc and interval probes run in no process's context: all events)
  --dry-run         compile and load into the verifier, but do not attach
  -v                verbose: verifier log, attach modes
  -q                quiet: no "Attaching N probes..." line
  --unsafe          allow actions that change traffic (drop, tx), and cat()/system()
  --timeout SECS    stop after SECS seconds, as if Ctrl-C was pressed
  -f text|json      output format: text (as bpftrace) or one JSON object per line
  --json-compat bpftrace
                    JSON lines exactly as bpftrace 0.17 -f json writes them (implies -f json)
  --ring-pages N    events ring buffer size in pages, a power of two (default 64)
  --map-entries N   how many keys each map can hold (default 10240)
  -F FILTER         only packets matching the pcap-filter expression FILTER (as tcpdump
                    writes it) run the xdp and tc probes, e.g. -F 'tcp port 443'
  -w FILE           write the packets capture() copies to FILE as pcapng (Wireshark, tcpdump -r);
                    -w - writes them to stdout, and the text output goes to stderr
  --snaplen N       the most bytes capture() copies of one packet (default 262144, as tcpdump)
  -l [PATTERN]      list probes: interfaces, tracepoints, raw tracepoints, kernel functions
  -lv PROBE         show a probe's arguments and their types, e.g. -lv tracepoint:skb:kfree_skb
  --info            print the kernel, the BPF features nettrace found in it, and the version
                    (with -f json: one JSON object)
  --no-cache        compile the program even if it was compiled before (and do not save it)
  --cache-clear     empty the cache of compiled programs and exit
  --serve ADDR:PORT serve every map as Prometheus metrics at http://ADDR:PORT/metrics while
                    the program runs (:PORT alone is 127.0.0.1); with FILE.nt, the daemon mode
  --serve-max-series N  the most series one scrape writes (default 50000); the rest are
                    dropped and counted in nettrace_series_dropped_total
  --web-config FILE TLS and basic auth for --serve, in the Prometheus exporter-toolkit format
  --serve-insecure  allow --serve on a non-loopback address without --web-config
  --cleanup         remove tc filters and clsact qdiscs left by nettrace runs that were
                    killed (kernels without tcx; every run also does this when it starts)
  -h, --help        this text
  -V, --version     print the version

examples:
  nettrace -e 'xdp:eth0 < @[ip.src] = count() >'
  nettrace -e 'xdp:eth0 /udp.dport == 53/ { @[ip.src, ip.dst] = count() }'
  nettrace stdlib/top-talkers.nt eth0      ($1 in the script's probes is eth0)
`;

const DUMP_STAGES: DumpStage[] = ['ast', 'types', 'ir', 'asm', 'verifier', 'all'];
const BUFFER_MODES: BufferMode[] = ['none', 'line', 'full'];

/** 2^24 keys: far beyond any map a trace needs, and still a size the kernel accepts. */
const MAX_MAP_ENTRIES = 1 << 24;

export function parseArgs(argv: string[]): Options {
  const options: Options = { params: [], dryRun: false, verbose: false, unsafe: false, format: 'text', serveInsecure: false, help: false, version: false, info: false, cleanup: false, noCache: false, cacheClear: false };
  const value = (i: number, flag: string): string => {
    if (i >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[i];
  };
  const positional: string[] = [];
  let formatGiven = false;
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
      case '-o':
        options.outputFile = value(++i, arg);
        break;
      case '-c':
        options.command = value(++i, arg);
        break;
      case '-k':
      case '-kk':
        options.reportHelperErrors = true;
        break;
      case '-p': {
        const text = value(++i, arg);
        const pid = Number(text);
        if (!/^[0-9]+$/.test(text) || pid < 1 || pid > 0x7fffffff) throw new UsageError(`-p takes a process id, a whole number above 0, not '${text}'`);
        options.pid = pid;
        break;
      }
      case '-B': {
        const mode = value(++i, arg) as BufferMode;
        if (!BUFFER_MODES.includes(mode)) throw new UsageError(`-B takes one of ${BUFFER_MODES.join(', ')}, not '${mode}'`);
        options.buffering = mode;
        break;
      }
      case '--dry-run':
        options.dryRun = true;
        break;
      case '-v':
        options.verbose = true;
        break;
      case '-q':
        options.quiet = true;
        break;
      case '--unsafe':
        options.unsafe = true;
        break;
      case '-f': {
        const format = value(++i, arg) as OutputFormat;
        if (format !== 'text' && format !== 'json') throw new UsageError(`-f takes text or json, not '${format}'`);
        options.format = format;
        formatGiven = true;
        break;
      }
      case '--json-compat': {
        const compat = value(++i, arg);
        if (compat !== 'bpftrace') throw new UsageError(`--json-compat takes bpftrace, not '${compat}'`);
        options.jsonCompat = compat;
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
      case '-w':
        options.captureFile = value(++i, arg);
        break;
      case '--snaplen': {
        const text = value(++i, arg);
        const snaplen = Number(text);
        if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > MAX_SNAPLEN) throw new UsageError(`--snaplen takes a whole number from 1 to ${MAX_SNAPLEN}, not '${text}'`);
        options.snaplen = snaplen;
        break;
      }
      case '-F':
        options.filter = value(++i, arg);
        break;
      case '--timeout': {
        const text = value(++i, arg);
        const seconds = Number(text);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout takes a positive number of seconds, not '${text}'`);
        options.timeoutSeconds = seconds;
        break;
      }
      case '--serve': {
        const address = parseListenAddress(value(++i, arg));
        if ('error' in address) throw new UsageError(address.error);
        options.serve = address;
        break;
      }
      case '--serve-max-series': {
        const text = value(++i, arg);
        const max = Number(text);
        if (!Number.isInteger(max) || max < 1) throw new UsageError(`--serve-max-series takes a whole number above 0, not '${text}'`);
        options.serveMaxSeries = max;
        break;
      }
      case '--web-config':
        options.webConfig = value(++i, arg);
        break;
      case '--serve-insecure':
        options.serveInsecure = true;
        break;
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
      case '--no-cache':
        options.noCache = true;
        break;
      case '--cache-clear':
        options.cacheClear = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        positional.push(arg);
    }
  }
  if (options.jsonCompat) {
    if (formatGiven && options.format !== 'json') throw new UsageError('--json-compat bpftrace is a JSON format: leave out -f text, or write -f json');
    options.format = 'json';
  }
  if (options.list) {
    // -l takes at most one pattern; -l -v means -lv, as in bpftrace.
    if (positional.length > 1) throw new UsageError(`-l takes one pattern, not ${positional.length} ('${positional.join("' '")}')`);
    options.list = { pattern: positional[0], verbose: options.list.verbose || options.verbose };
    if (options.list.verbose && options.list.pattern === undefined) throw new UsageError('-lv needs a probe, e.g. nettrace -lv tracepoint:skb:kfree_skb');
    return options;
  }
  // Without a program they are for the REPL's .serve; with one they need --serve.
  const forRepl = options.program === undefined && positional.length === 0;
  if (!options.serve && !forRepl && (options.webConfig !== undefined || options.serveMaxSeries !== undefined || options.serveInsecure)) {
    throw new UsageError('--web-config, --serve-max-series and --serve-insecure go with --serve ADDR:PORT');
  }
  // As in bpftrace: with -e every other argument is a parameter ($1 ...); without it the
  // first is the script file and the rest are its parameters.
  if (options.program === undefined) options.file = positional.shift();
  options.params = positional;
  return options;
}
