import { describe, expect, it } from 'vitest';
import { bar } from '../../../src/repl/bar.js';
import { allocateRows, screenBudget } from '../../../src/repl/panel-layout.js';
import { topN } from '../../../src/repl/top-n.js';

describe('bars', () => {
  it('scale to the biggest value in eighths of a cell', () => {
    expect(bar(1520, 1520, 19)).toBe('█'.repeat(19));
    expect(bar(38, 1520, 19)).toBe('▌');
    expect(bar(1, 1_000_000, 10)).toBe('▏');
    expect(bar(0, 10, 10)).toBe('');
    expect(bar(5, 10, 0)).toBe('');
  });
});

describe('top-N', () => {
  it('selects the biggest without sorting everything', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    expect(topN(items, 5, (a, b) => b - a)).toEqual([9999, 9998, 9997, 9996, 9995]);
    expect(topN([3, 1, 2], 5, (a, b) => b - a)).toEqual([3, 2, 1]);
  });
});

describe('row budget', () => {
  it('gives each panel its header and a line first, then shares the rest', () => {
    expect(allocateRows([10, 10], 20)).toEqual([10, 10]);
    expect(allocateRows([10, 10], 8)).toEqual([4, 4]);
    expect(allocateRows([3, 10], 8)).toEqual([3, 5]);
    expect(allocateRows([10, 10, 10], 5)).toEqual([3, 2, 0]);
    expect(allocateRows([10, 10], 1)).toEqual([0, 0]);
  });

  it('leaves a row free and gives events at most a third', () => {
    expect(screenBudget(40, 1, 0)).toEqual({ panels: 38, events: 0 });
    expect(screenBudget(40, 1, 100)).toEqual({ panels: 26, events: 12 });
    expect(screenBudget(40, 1, 2)).toEqual({ panels: 35, events: 3 });
  });
});
