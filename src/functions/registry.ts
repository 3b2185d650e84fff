// Every function nettrace calls as a statement, by name.
import type { CallStatement } from './call.js';
import { deleteFunction } from './delete.js';
import { exitFunction } from './exit.js';
import { clearFunction, printFunction, zeroFunction } from './map-actions.js';
import { printfFunction } from './printf.js';

export const CALL_STATEMENTS: CallStatement[] = [printfFunction, printFunction, clearFunction, zeroFunction, deleteFunction, exitFunction];

export function findCallStatement(name: string): CallStatement | undefined {
  return CALL_STATEMENTS.find((f) => f.name === name);
}
