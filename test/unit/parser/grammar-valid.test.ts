// nettrace builds its lexer and parser without chevrotain's validations of the token
// and grammar definitions (they cost 40-50% of building them, on every cold start:
// lexer/lexer.ts, parser/grammar.ts). They are run here instead: chevrotain throws from
// the constructor on a token pattern that can never match or cannot be optimised, an
// ambiguous alternative, a left-recursive rule or a duplicate DSL index.
import { Lexer } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { lexerConfig } from '../../../src/lexer/lexer.js';
import { allTokens } from '../../../src/lexer/tokens.js';
import { NettraceGrammar } from '../../../src/parser/grammar.js';

describe('the token and grammar definitions, validated by chevrotain', () => {
  it('the lexer builds with every validation on', () => {
    const validated = new Lexer(allTokens, lexerConfig({ validate: true }));
    expect(validated.lexerDefinitionErrors).toEqual([]);
  });

  it('the parser builds with every validation on', () => {
    expect(() => new NettraceGrammar({ validate: true })).not.toThrow();
  });
});
