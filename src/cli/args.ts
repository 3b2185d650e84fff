// Command-line options, parsed by hand: the surface is small and the errors must be ours.
export type DumpStage = 'ast' | 'ir' | 'asm';

export interface Options {
  program?: string;
  file?: string;
  dump?: DumpStage;
  dryRun: boolean;
  verbose: boolean;
  timeoutSeconds?: number;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const USAGE = `usage: nettrace [options] -e 'PROGRAM'
       nettrace [options] FILE.nt

Compiles network probes to eBPF and runs them in the kernel until Ctrl-C,
then prints the maps.

options:
  -e PROGRAM        run PROGRAM, e.g. -e 'xdp:eth0 < @[ip.src] = count() >'
  -d ast|ir|asm     print a compiler stage and exit (no privileges needed)
  --dry-run         compile and load into the verifier, but do not attach
  -v                verbose: verifier log, attach modes
  --timeout SECS    stop after SECS seconds, as if Ctrl-C was pressed
  -h, --help        this text
  -V, --version     print the version

examples:
  nettrace -e 'xdp:eth0 < @[ip.src] = count() >'
  nettrace -e 'xdp:eth0 /udp.dport == 53/ { @[ip.src, ip.dst] = count() }'
`;

const DUMP_STAGES: DumpStage[] = ['ast', 'ir', 'asm'];

export function parseArgs(argv: string[]): Options {
  const options: Options = { dryRun: false, verbose: false, help: false, version: false };
  const value = (i: number, flag: string): string => {
    if (i >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[i];
  };
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
      case '--timeout': {
        const text = value(++i, arg);
        const seconds = Number(text);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout takes a positive number of seconds, not '${text}'`);
        options.timeoutSeconds = seconds;
        break;
      }
      case '-h':
      case '--help':
        options.help = true;
        break;
      case '-V':
      case '--version':
        options.version = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        if (options.file !== undefined) throw new UsageError(`one script file at a time (got '${options.file}' and '${arg}')`);
        options.file = arg;
    }
  }
  if (options.program !== undefined && options.file !== undefined) throw new UsageError('give either -e PROGRAM or a FILE, not both');
  return options;
}
