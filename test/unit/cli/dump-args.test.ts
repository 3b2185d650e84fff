// -d STAGE, -o FILE and -B MODE on the command line (issue 11).
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../../src/cli/args.js';

describe('-d, -o, -B and -p', () => {
  it('-d takes every stage', () => {
    for (const stage of ['ast', 'types', 'ir', 'asm', 'verifier', 'all']) expect(parseArgs(['-d', stage, '-e', 'x']).dump).toBe(stage);
    expect(() => parseArgs(['-d', 'json', '-e', 'x'])).toThrow(new UsageError("-d takes one of ast, types, ir, asm, verifier, all, not 'json'"));
  });

  it('-o takes a file, -B a buffering mode', () => {
    const options = parseArgs(['-o', '/tmp/out.txt', '-B', 'full', '-e', 'x']);
    expect([options.outputFile, options.buffering]).toEqual(['/tmp/out.txt', 'full']);
    expect(parseArgs(['-e', 'x']).buffering).toBeUndefined();
    expect(() => parseArgs(['-B', 'block', '-e', 'x'])).toThrow(new UsageError("-B takes one of none, line, full, not 'block'"));
    expect(() => parseArgs(['-e', 'x', '-o'])).toThrow(new UsageError('-o needs a value'));
  });

  it('-p takes a process id', () => {
    expect(parseArgs(['-p', '1234', '-e', 'x']).pid).toBe(1234);
    for (const bad of ['0', '-3', '12a', '1.5', '99999999999']) expect(() => parseArgs(['-p', bad, '-e', 'x'])).toThrow(new UsageError(`-p takes a process id, a whole number above 0, not '${bad}'`));
  });
});
