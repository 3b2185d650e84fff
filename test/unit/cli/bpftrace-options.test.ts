// --json-compat bpftrace, -c CMD and -k on the command line; -c's command words and
// program lookup; where a program reads cpid; the sites -k reports from.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args.js';
import { commandWords, resolveCommand } from '../../../src/cli/child-command.js';
import { childPidUses } from '../../../src/check/child-pid.js';
import { parse } from '../../../src/parser/index.js';
import { compileStages } from '../../../src/compile.js';
import { helperErrorText } from '../../../src/format/errno-text.js';

describe('--json-compat', () => {
  it('bpftrace selects JSON in bpftrace 0.17 lines; with or without -f json', () => {
    expect(parseArgs(['--json-compat', 'bpftrace', '-e', 'BEGIN {}'])).toMatchObject({ format: 'json', jsonCompat: 'bpftrace' });
    expect(parseArgs(['-f', 'json', '--json-compat', 'bpftrace', '-e', 'BEGIN {}'])).toMatchObject({ format: 'json', jsonCompat: 'bpftrace' });
    expect(parseArgs(['-e', 'BEGIN {}']).jsonCompat).toBeUndefined();
  });

  it('refuses other tools and -f text', () => {
    expect(() => parseArgs(['--json-compat', 'dtrace', '-e', 'BEGIN {}'])).toThrow("--json-compat takes bpftrace, not 'dtrace'");
    expect(() => parseArgs(['-f', 'text', '--json-compat', 'bpftrace', '-e', 'BEGIN {}'])).toThrow('--json-compat bpftrace is a JSON format: leave out -f text, or write -f json');
    expect(() => parseArgs(['--json-compat'])).toThrow('--json-compat needs a value');
  });
});

describe('-c CMD', () => {
  it('takes the command as one argument', () => {
    expect(parseArgs(['-c', 'ping -c 3 10.0.0.1', '-e', 'BEGIN {}']).command).toBe('ping -c 3 10.0.0.1');
    expect(() => parseArgs(['-e', 'BEGIN {}', '-c'])).toThrow('-c needs a value');
  });

  it('splits the command at spaces, as bpftrace, with no quoting', () => {
    expect(commandWords('ping  -c 3 10.0.0.1')).toEqual(['ping', '-c', '3', '10.0.0.1']);
    expect(commandWords("sh -c 'exit 3'")).toEqual(['sh', '-c', "'exit", "3'"]);
    expect(commandWords('   ')).toEqual([]);
  });

  it('finds a bare name on PATH, takes a path as it is, and only executable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbo-path-'));
    try {
      writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
      chmodSync(join(dir, 'tool'), 0o755);
      writeFileSync(join(dir, 'plain'), 'not executable');
      expect(resolveCommand('tool', `/nonexistent:${dir}`)).toBe(join(dir, 'tool'));
      expect(resolveCommand(join(dir, 'tool'), '')).toBe(join(dir, 'tool'));
      expect(resolveCommand('plain', dir)).toBeUndefined();
      expect(resolveCommand(dir, '')).toBeUndefined();
      expect(resolveCommand('missing', dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cpid', () => {
  it('is found wherever the program reads it, in source order', () => {
    const program = parse('BEGIN { printf("%d\\n", cpid) } tracepoint:net:net_dev_queue /pid == cpid/ { @[cpid] = count(); $cpid = 1 }');
    expect(childPidUses(program).map((s) => [s.start.line, s.start.column])).toEqual([
      [1, 24],
      [1, 69],
      [1, 79],
    ]);
  });

  it('is not found in a program that does not read it, however deep', () => {
    const chain = Array.from({ length: 3000 }, () => 'pid').join(' + ');
    expect(childPidUses(parse(`BEGIN { @x = ${chain} }`))).toEqual([]);
  });
});

describe('-k', () => {
  it('-k and -kk ask for refused updates to be reported', () => {
    expect(parseArgs(['-k', '-e', 'BEGIN {}']).reportHelperErrors).toBe(true);
    expect(parseArgs(['-kk', '-e', 'BEGIN {}']).reportHelperErrors).toBe(true);
    expect(parseArgs(['-e', 'BEGIN {}']).reportHelperErrors).toBeUndefined();
  });

  it('one site per refusal point, placed as bpftrace places it; none without -k', () => {
    const text = 'BEGIN { @x[1] = 1;\n  @c[2] = count(); if (1) { @s[3] = sum(4) } }';
    const env = { interfaces: () => [] };
    const sites = compileStages(text, env, { reportHelperErrors: true }).compiled.helperErrorSites!;
    // The assignment's start; an aggregation's call.
    expect(sites.map((s) => [s.map, s.line, s.column])).toEqual([
      [0, 1, 9],
      [1, 2, 11],
      [2, 2, 37],
    ]);
    expect(compileStages(text, env).compiled.helperErrorSites).toBeUndefined();
  });

  it('errors read as the C library names them', () => {
    expect(helperErrorText(-7)).toBe('Argument list too long (-7)');
    expect(helperErrorText(-12)).toBe('Cannot allocate memory (-12)');
    expect(helperErrorText(-99)).toBe('error -99');
  });
});
