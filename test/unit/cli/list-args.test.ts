import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../../src/cli/args.js';

describe('-l and -lv', () => {
  it('-l alone lists everything; -l PATTERN filters', () => {
    expect(parseArgs(['-l']).list).toEqual({ pattern: undefined, verbose: false });
    expect(parseArgs(['-l', 'tracepoint:tcp:*']).list).toEqual({ pattern: 'tracepoint:tcp:*', verbose: false });
  });

  it('-lv PROBE and -l -v PROBE show arguments', () => {
    expect(parseArgs(['-lv', 'rawtracepoint:kfree_skb']).list).toEqual({ pattern: 'rawtracepoint:kfree_skb', verbose: true });
    expect(parseArgs(['-l', '-v', 'rawtracepoint:kfree_skb']).list).toEqual({ pattern: 'rawtracepoint:kfree_skb', verbose: true });
  });

  it('-lv needs a probe; -l takes one pattern', () => {
    expect(() => parseArgs(['-lv'])).toThrow(UsageError);
    expect(() => parseArgs(['-l', 'a', 'b'])).toThrow(/one pattern/);
  });
});
