import { describe, expect, it } from 'vitest';
import { isIncomplete, scan } from '../../../src/repl/scan.js';

describe('multi-line input: an open { or < continues the entry', () => {
  it.each([
    ['xdp:eth0 {', true],
    ['xdp:eth0 { @[ip.src] = count()', true],
    ['xdp:eth0 { @[ip.src] = count() }', false],
    ['xdp:eth0 <', true],
    ['xdp:eth0 < @[ip.src] = count() >', false],
    ['xdp:eth0 { if (ip.len > 100) {', true],
    ['xdp:eth0 { if (ip.len > 100) { @ = count() } }', false],
    // `<` in a predicate compares; it opens nothing
    ['xdp:eth0 /ip.len < 100/ { @ = count() }', false],
    ['xdp:eth0 /ip.len < 100/', false],
    // `>` inside parentheses of an angle block compares; the block is still open
    ['xdp:eth0 < if ((ip.len > 100)) { @ = count() }', true],
    ['xdp:eth0 < if ((ip.len > 100)) { @ = count() } >', false],
    // brackets inside strings and comments do not count
    ['xdp:eth0 { printf("{ <") }', false],
    ['xdp:eth0 { // }\n', true],
    ['xdp:eth0 { @ = count() } /* {', true],
    ['xdp:eth0 { @ = count() } /* { */', false],
    // commands never continue
    ['.load {', false],
    ['', false],
  ])('%j -> %s', (text, incomplete) => {
    expect(isIncomplete(text)).toBe(incomplete);
  });
});

describe('probe position', () => {
  it('is at the start, after a probe list comma and after a closed block', () => {
    expect(scan('').probePosition).toBe(true);
    expect(scan('xdp:a, ').probePosition).toBe(true);
    expect(scan('xdp:a { @ = count() } ').probePosition).toBe(true);
    expect(scan('xdp:a < @ = count() > ').probePosition).toBe(true);
  });
  it('is not inside a block, a predicate or after a probe', () => {
    expect(scan('xdp:a { ').probePosition).toBe(false);
    expect(scan('xdp:a /x, ').probePosition).toBe(false);
    expect(scan('xdp:a ').probePosition).toBe(false);
  });
});
