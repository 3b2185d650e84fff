// -d STAGE: what the compiler made of the program at one stage, or at every stage
// (-d all) under a heading each. Always compiled afresh: the cache keeps no AST.
import type { Compilation } from '../../compile.js';
import type { DumpStage } from '../args.js';
import { astTree } from './ast-tree.js';
import { expressionTypes } from './expression-types.js';
import { tokenList } from './tokens.js';
import { verifierLogs } from './verifier-log.js';

/** -d all's order: the way a program goes through nettrace. */
const ALL_STAGES = ['source', 'tokens', 'ast', 'types', 'ir', 'asm', 'verifier'] as const;
type Section = (typeof ALL_STAGES)[number];

export async function dumpText(stage: DumpStage, text: string, stages: Compilation, unsafe: boolean): Promise<string> {
  if (stage !== 'all') return section(stage, text, stages, unsafe);
  const parts: string[] = [];
  for (const name of ALL_STAGES) parts.push(`=== ${name} ===\n${await section(name, text, stages, unsafe)}`);
  return parts.join('\n');
}

async function section(name: Section, text: string, stages: Compilation, unsafe: boolean): Promise<string> {
  switch (name) {
    case 'source':
      return text.endsWith('\n') ? text : `${text}\n`;
    case 'tokens':
      return tokenList(text);
    case 'ast':
      return astTree(stages.ast, text);
    case 'types':
      return expressionTypes(stages.checked, text);
    case 'ir':
      return stages.code.ir;
    case 'asm': {
      const { disassemble } = await import('../../native/emitter.js');
      return disassemble(stages.compiled.object);
    }
    case 'verifier':
      return verifierLogs(stages.compiled, unsafe);
  }
}
