// `.serve ADDR:PORT|off` in the REPL: parsed like --serve; a REPL without a kernel says so.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/repl/commands.js';
import { execute, type ExecuteContext } from '../../../src/repl/execute.js';
import type { Entry } from '../../../src/repl/TranscriptEntry.js';
import { FakeEngine } from './fake-engine.js';

describe('.serve', () => {
  it('takes an address and port, :PORT for loopback, or off', () => {
    expect(parseCommand('.serve 127.0.0.1:9464')).toEqual({ name: '.serve', address: { host: '127.0.0.1', port: 9464 } });
    expect(parseCommand('.serve :9464')).toEqual({ name: '.serve', address: { host: '127.0.0.1', port: 9464 } });
    expect(parseCommand('.serve off')).toEqual({ name: '.serve', address: 'off' });
    expect(() => parseCommand('.serve')).toThrow('usage: .serve ADDR:PORT|off');
    expect(() => parseCommand('.serve eth0:80')).toThrow(/^\.serve takes an IP address/);
  });

  it('without a kernel (the fake engine) it says it cannot', () => {
    const printed: Entry[] = [];
    const ctx: ExecuteContext = {
      engine: new FakeEngine(),
      print: (...e) => printed.push(...e),
      setIntervalMs: () => {},
      refresh: () => {},
      quit: () => {},
      readFile: () => '',
      writeFile: () => {},
    };
    execute('.serve :9464', ctx);
    expect(printed).toEqual([{ kind: 'error', text: 'this REPL has no kernel to serve metrics from' }]);
  });
});
