// The names Tab completes, read from the compiler's own tables and the running machine:
// probe kinds from the registry, interfaces from liveEnv, tracepoints from tracefs,
// builtins and header fields from the checker and the packet model.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AGGREGATIONS, BUILTIN_VALUES, PKT_FIELDS } from '../check/builtins.js';
import type { KernelEnv } from '../check/kernel-env.js';
import { HEADERS, isHeaderName } from '../packet/model.js';
import { probeKindNames } from '../probes/registry.js';
import { COMMANDS } from './commands.js';
import type { CompletionSources } from './completion.js';

/** Functions that are statements or values but not aggregations (LANGUAGE.md). */
const FUNCTIONS = ['printf', 'print', 'delete', 'clear', 'zero', 'exit', 'ntop', 'str', 'time'];
const ACTIONS = ['drop', 'pass', 'tx'];
const KEYWORDS = ['if', 'else'];

const TRACEFS_EVENTS = ['/sys/kernel/tracing/available_events', '/sys/kernel/debug/tracing/available_events'];

export function liveCompletionSources(env: KernelEnv): CompletionSources {
  let tracepoints: string[] | undefined;
  return {
    probeKinds: () => probeKindNames(),
    interfaceKinds: () => ['xdp', 'tc', 'socket'],
    interfaces: () => env.interfaces(),
    tracepointKinds: () => ['tracepoint', 't'],
    tracepoints: () => (tracepoints ??= readTracepoints()),
    words: () => [
      ...Object.keys(BUILTIN_VALUES),
      ...Object.keys(HEADERS),
      'pkt',
      ...AGGREGATIONS.map((a) => `${a}(`),
      ...FUNCTIONS.map((f) => `${f}(`),
      ...ACTIONS,
      ...KEYWORDS,
    ],
    fields: (object) => (object === 'pkt' ? Object.keys(PKT_FIELDS) : isHeaderName(object) ? Object.keys(HEADERS[object].fields) : []),
    commands: () => COMMANDS.map((c) => c.name),
    files: (dir) => listDir(dir),
  };
}

/** `category:name` lines of tracefs, or nothing when tracefs is not mounted. */
function readTracepoints(): string[] {
  for (const path of TRACEFS_EVENTS) {
    try {
      return readFileSync(path, 'utf8').split('\n').filter((l) => l.includes(':'));
    } catch {
      // not mounted here: try the next place
    }
  }
  return [];
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .map((n) => (isDirectory(join(dir, n)) ? `${n}/` : n));
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
