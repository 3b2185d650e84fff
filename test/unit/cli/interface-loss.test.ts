// What the command line says when probes lose their interfaces, without a kernel: the
// watch is given a fake "still attached?" answer.
import { afterEach, describe, expect, it } from 'vitest';
import { reportLostInterfaces } from '../../../src/cli/interface-loss.js';
import type { AttachedProbe } from '../../../src/runtime/session.js';

function probe(text: string, attach: unknown): AttachedProbe {
  return { program: { probe: { text, attach } }, progFd: 0, linkFd: 0 } as unknown as AttachedProbe;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reportLostInterfaces', () => {
  const savedExitCode = process.exitCode;
  afterEach(() => {
    process.exitCode = savedExitCode;
  });

  it('warns while other probes remain, and ends the run (status 1) when none is left', async () => {
    const a = probe('xdp:veth1', { kind: 'xdp', ifname: 'veth1' });
    const b = probe('tc:veth2:ingress', { kind: 'tc', ifname: 'veth2', direction: 'ingress' });
    const gone = new Set<AttachedProbe>();
    let text = '';
    let ended = 0;
    const err = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    const stop = reportLostInterfaces([a, b], err, () => ended++, { intervalMs: 5, stillAttached: (p) => !gone.has(p) });
    try {
      await sleep(30);
      expect(text).toBe('');
      gone.add(a);
      await sleep(30);
      expect(text).toBe("warning[NT0506]: interface 'veth1' disappeared: xdp:veth1 is detached\nhint: 1 other probe(s) keep running\n");
      expect(ended).toBe(0);
      gone.add(b);
      await sleep(30);
      expect(text).toContain("error[NT0506]: interface 'veth2' disappeared: tc:veth2:ingress is detached\nhint: no probe is left attached: stopping and printing the maps\n");
      expect(ended).toBe(1);
      expect(process.exitCode).toBe(1);
      // Each loss is reported once.
      await sleep(30);
      expect(text.match(/NT0506/g)).toHaveLength(2);
    } finally {
      stop();
    }
  });

  it('watches only probes that sit on an interface', async () => {
    const timer = probe('interval:s:1', { kind: 'timer' });
    let asked = 0;
    const stop = reportLostInterfaces([timer], { write: () => true } as unknown as NodeJS.WritableStream, () => {}, {
      intervalMs: 5,
      stillAttached: () => (asked++, false),
    });
    await sleep(30);
    stop();
    expect(asked).toBe(0);
  });
});
