import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../../src/cli/args.js';

describe('command-line options', () => {
  it('takes a one-liner or a file', () => {
    expect(parseArgs(['-e', 'BEGIN {}']).program).toBe('BEGIN {}');
    expect(parseArgs(['top.nt']).file).toBe('top.nt');
    expect(parseArgs(['-d', 'ir', '-e', 'x']).dump).toBe('ir');
    expect(parseArgs(['--timeout', '2.5', '-e', 'x']).timeoutSeconds).toBe(2.5);
  });

  it('rejects what it does not understand, with the reason', () => {
    expect(() => parseArgs(['--bogus'])).toThrow(new UsageError("unknown option '--bogus'"));
    expect(() => parseArgs(['-e'])).toThrow(UsageError);
    expect(() => parseArgs(['-d', 'llvm'])).toThrow(/-d takes one of ast, types, ir, asm, verifier, all, not 'llvm'/);
    expect(() => parseArgs(['--timeout', '0'])).toThrow(/positive number/);
  });

  it('takes positional parameters after the program or the script, as bpftrace does', () => {
    const oneLiner = parseArgs(['-e', 'xdp:$1 { drop }', 'eth0', '--unsafe']);
    expect(oneLiner).toMatchObject({ program: 'xdp:$1 { drop }', params: ['eth0'], unsafe: true });
    expect(oneLiner.file).toBeUndefined();
    expect(parseArgs(['stdlib/top-talkers.nt', 'eth0', 'x'])).toMatchObject({ file: 'stdlib/top-talkers.nt', params: ['eth0', 'x'] });
    expect(parseArgs(['--timeout', '3', 'script.nt'])).toMatchObject({ file: 'script.nt', params: [], timeoutSeconds: 3 });
  });

  it('--map-entries takes a whole number of keys', () => {
    expect(parseArgs(['--map-entries', '8', '-e', 'x']).mapEntries).toBe(8);
    expect(parseArgs(['-e', 'x']).mapEntries).toBeUndefined();
    for (const bad of ['0', '-1', '2.5', 'many', String(2 ** 24 + 1)]) {
      expect(() => parseArgs(['--map-entries', bad, '-e', 'x'])).toThrow(/--map-entries takes a whole number from 1 to 16777216/);
    }
  });
});
