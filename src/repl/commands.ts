// The REPL's dot commands: what they are called, what they take, and how a line parses
// into one. Running them is execute.ts's job.
import { parseListenAddress, type ListenAddress } from '../serve/listen-address.js';

export type Command =
  | { name: '.help' }
  | { name: '.list' }
  | { name: '.detach'; target: number | 'all' }
  | { name: '.clear'; target: number | 'all' }
  | { name: '.print'; target: number | 'all' }
  | { name: '.load'; file: string }
  | { name: '.save'; file: string }
  | { name: '.interval'; ms: number }
  | { name: '.serve'; address: ListenAddress | 'off' }
  | { name: '.capture'; file: string | 'off' }
  | { name: '.journey'; ifname: string; direction: 'rx' | 'tx' }
  | { name: '.quit' };

export interface CommandInfo {
  name: Command['name'];
  usage: string;
  summary: string;
}

export const COMMANDS: CommandInfo[] = [
  { name: '.help', usage: '.help', summary: 'show commands and keys' },
  { name: '.list', usage: '.list', summary: 'list attached programs with their ids' },
  { name: '.detach', usage: '.detach N|all', summary: 'detach program N (its maps go away)' },
  { name: '.clear', usage: '.clear [N]', summary: 'reset the maps of program N, or of all programs' },
  { name: '.print', usage: '.print [N]', summary: 'print the maps once, as text' },
  { name: '.load', usage: '.load FILE.nt', summary: 'compile and attach a program file' },
  { name: '.save', usage: '.save FILE.nt', summary: 'write the attached programs to a file' },
  { name: '.interval', usage: '.interval MS', summary: 'redraw the live panels every MS milliseconds' },
  { name: '.serve', usage: '.serve ADDR:PORT|off', summary: 'serve the maps as Prometheus metrics at http://ADDR:PORT/metrics' },
  { name: '.capture', usage: '.capture FILE.pcapng|off', summary: 'write the packets capture() copies in the programs attached after it to FILE (pcapng)' },
  { name: '.journey', usage: '.journey IFACE [--tx]', summary: 'attach the live packet-journey view of IFACE (receive, or --tx transmit)' },
  { name: '.quit', usage: '.quit', summary: 'detach everything and leave (also Ctrl-D)' },
];

export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 3_600_000;

export class CommandError extends Error {}

/** Parses a line that starts with `.`; throws CommandError with a message for the user. */
export function parseCommand(line: string): Command {
  const [word = '', ...args] = line.trim().split(/\s+/);
  const info = COMMANDS.find((c) => c.name === word) ?? uniquePrefix(word);
  if (!info) throw new CommandError(`unknown command '${word}'; .help lists the commands`);
  const usage = () => new CommandError(`usage: ${info.usage}`);
  switch (info.name) {
    case '.help':
    case '.list':
    case '.quit':
      if (args.length > 0) throw usage();
      return { name: info.name };
    case '.detach':
      if (args.length !== 1) throw usage();
      return { name: '.detach', target: target(args[0]!, usage) };
    case '.clear':
    case '.print':
      if (args.length > 1) throw usage();
      return { name: info.name, target: args.length === 0 ? 'all' : target(args[0]!, usage) };
    case '.load':
    case '.save':
      if (args.length !== 1) throw usage();
      return { name: info.name, file: args[0]! };
    case '.interval': {
      if (args.length !== 1 || !/^\d+$/.test(args[0]!)) throw usage();
      const ms = Number(args[0]);
      if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) throw new CommandError(`the interval must be between ${MIN_INTERVAL_MS} and ${MAX_INTERVAL_MS} ms`);
      return { name: '.interval', ms };
    }
    case '.journey':
      if (args.length < 1 || args.length > 2 || args[0]!.startsWith('-') || (args.length === 2 && args[1] !== '--tx')) throw usage();
      return { name: '.journey', ifname: args[0]!, direction: args.length === 2 ? 'tx' : 'rx' };
    case '.capture':
      if (args.length !== 1 || args[0] === '-') throw usage();
      return { name: '.capture', file: args[0]! };
    case '.serve': {
      if (args.length !== 1) throw usage();
      if (args[0] === 'off') return { name: '.serve', address: 'off' };
      const address = parseListenAddress(args[0]!);
      if ('error' in address) throw new CommandError(address.error.replace('--serve', '.serve'));
      return { name: '.serve', address };
    }
  }
}

/** `.q` means `.quit`, `.d` `.detach`: any prefix that names one command. */
function uniquePrefix(word: string): CommandInfo | undefined {
  if (word.length < 2) return undefined;
  const found = COMMANDS.filter((c) => c.name.startsWith(word));
  return found.length === 1 ? found[0] : undefined;
}

function target(arg: string, usage: () => CommandError): number | 'all' {
  if (arg === 'all') return 'all';
  const m = /^\[?(\d+)\]?$/.exec(arg);
  if (!m) throw usage();
  return Number(m[1]);
}
