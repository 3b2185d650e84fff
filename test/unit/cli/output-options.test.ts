import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../../src/cli/args.js';

describe('-f and --ring-pages', () => {
  it('-f takes text or json; text is the default', () => {
    expect(parseArgs(['-e', 'BEGIN { exit() }']).format).toBe('text');
    expect(parseArgs(['-f', 'json', '-e', 'BEGIN { exit() }']).format).toBe('json');
    expect(() => parseArgs(['-f', 'yaml', '-e', 'x'])).toThrow(new UsageError("-f takes text or json, not 'yaml'"));
  });

  it('--ring-pages takes a power of two', () => {
    expect(parseArgs(['--ring-pages', '256', '-e', 'x']).ringPages).toBe(256);
    for (const bad of ['0', '3', '-4', '1.5', 'many']) expect(() => parseArgs(['--ring-pages', bad, '-e', 'x'])).toThrow(UsageError);
  });
});
