// The text of .help.
import { COMMANDS } from './commands.js';

const KEYS: [string, string][] = [
  ['Enter', 'run the entry; an open { or < continues it on the next line'],
  ['Tab', 'complete probes, interfaces, builtins, functions, header and args fields, commands'],
  ['Up / Down', 'walk the history (kept in ~/.nettrace_history)'],
  ['Ctrl-A / Ctrl-E', 'start / end of the line'],
  ['Ctrl-U / Ctrl-K / Ctrl-W', 'delete to line start / to line end / the word before'],
  ['Ctrl-C', 'drop the line; on an empty line, twice to quit'],
  ['Ctrl-D', 'quit (on an empty line)'],
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length), ...KEYS.map(([k]) => k.length)) + 2;
  return [
    'Type a program to attach it, e.g.   xdp:eth0 { @[ip.src] = count() }',
    'Its maps stay live under the prompt until you detach it.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}${c.summary}`),
    '',
    'Keys:',
    ...KEYS.map(([k, what]) => `  ${k.padEnd(width)}${what}`),
  ].join('\n');
}
