// Every value builtin nettrace knows, by name. The checker types them, codegen emits
// them, completion and did-you-mean offer them, and docs/language.md's builtins table is
// checked against them (test/unit/docs/vocabulary-tables.test.ts).
import type { ValueBuiltin } from './builtin.js';
import { nsecsBuiltin } from './clock.js';
import { cpuBuiltin } from './cpu.js';
import { directionBuiltin, ifindexBuiltin, markBuiltin, rxqBuiltin } from './packet-metadata.js';
import { commBuiltin, pidBuiltin, tidBuiltin } from './task.js';
import { gidBuiltin, uidBuiltin } from './credentials.js';
import { probeBuiltin } from './probe-name.js';
import { cgroupBuiltin, curtaskBuiltin } from './task-ids.js';
import { usernameBuiltin } from './credentials.js';
import { elapsedBuiltin } from './elapsed.js';
import { funcBuiltin } from './function-name.js';
import { kstackBuiltin } from './kernel-stack.js';
import { cpidBuiltin } from './child-pid.js';

export const VALUE_BUILTINS: ValueBuiltin[] = [
  ifindexBuiltin,
  rxqBuiltin,
  markBuiltin,
  directionBuiltin,
  nsecsBuiltin,
  cpuBuiltin,
  pidBuiltin,
  tidBuiltin,
  commBuiltin,
  uidBuiltin,
  gidBuiltin,
  probeBuiltin,
  cgroupBuiltin,
  curtaskBuiltin,
  usernameBuiltin,
  elapsedBuiltin,
  funcBuiltin,
  kstackBuiltin,
  cpidBuiltin,
];

export function findValueBuiltin(name: string): ValueBuiltin | undefined {
  return VALUE_BUILTINS.find((b) => b.name === name);
}
