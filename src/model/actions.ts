// Actions: `drop`, `pass`, `tx`, the statements that decide what happens to a packet.
// The checker finds them (src/check/actions.ts), the compiled program lists each
// program's (ProgramDescription.actions), and the runtime's traffic guard reads that list.
import type { Span } from './ast.js';

export const ACTION_NAMES = ['drop', 'pass', 'tx'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export interface ActionUse {
  name: ActionName;
  span: Span;
}
