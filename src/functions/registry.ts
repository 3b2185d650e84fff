// Every function nettrace knows, by name: those called as statements (`printf(...)`,
// `print(@m)`) and those called for their value (`bswap(x)`). The checker, codegen,
// completion, did-you-mean and docs/language.md's function tables all read these lists.
import type { CallStatement } from './call.js';
import type { ValueFunction } from './value-function.js';
import { bswapFunction } from './bswap.js';
import { pcapFunction } from './pcap.js';
import { ntopFunction } from './ntop.js';
import { strFunction } from './str.js';
import { strncmpFunction } from './strncmp.js';
import { sizeofFunction } from './sizeof.js';
import { deleteFunction } from './delete.js';
import { exitFunction } from './exit.js';
import { captureFunction } from './capture.js';
import { clearFunction, printFunction, zeroFunction } from './map-actions.js';
import { printfFunction } from './printf.js';
import { strftimeFunction } from './strftime.js';
import { timeFunction } from './time.js';
import { macaddrFunction } from './macaddr.js';
import { kaddrFunction, ksymFunction } from './kernel-symbols.js';
import { kstackFunction } from './kstack.js';
import { bufFunction } from './buf.js';
import { catFunction, systemFunction } from './cat-system.js';

export const CALL_STATEMENTS: CallStatement[] = [printfFunction, printFunction, clearFunction, zeroFunction, deleteFunction, exitFunction, captureFunction, timeFunction, catFunction, systemFunction];

export const VALUE_FUNCTIONS: ValueFunction[] = [
  bswapFunction,
  pcapFunction,
  strFunction,
  ntopFunction,
  strncmpFunction,
  sizeofFunction,
  strftimeFunction,
  macaddrFunction,
  ksymFunction,
  kaddrFunction,
  kstackFunction,
  bufFunction,
];

export function findCallStatement(name: string): CallStatement | undefined {
  return CALL_STATEMENTS.find((f) => f.name === name);
}

export function findValueFunction(name: string): ValueFunction | undefined {
  return VALUE_FUNCTIONS.find((f) => f.name === name);
}
