// BEGIN, END and interval probes, several probes sharing one block, and exit().
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { TraceRun } from './trace.js';

const run = new TraceRun();
afterEach(() => run.cleanup());

describe('BEGIN and END', () => {
  it('BEGIN runs before the other probes attach, END after they detach', async () => {
    const link = run.newLink();
    await run.start(['-e', `
      BEGIN { printf("begin\\n"); @started = 1 }
      xdp:${link.rootIf} /udp.dport == 9 && @started == 1/ { @c = count(); @last = pkt.len }
      END { printf("end: started=%d last=%d\\n", @started, @last) }`]);
    run.udp(9, 4);
    const { code, stdout } = await run.stop();
    expect(code).toBe(0);
    expect(stdout).toBe('Attaching 3 probes...\nbegin\nend: started=1 last=58\n\n\n@c: 4\n@last: 58\n@started: 1\n');
  });

  it('several probes share one block, and blocks share maps', async () => {
    const { code, stdout } = await runCli(['-e', 'BEGIN, END { @phase++; printf("phase %d\\n", @phase) } BEGIN { @seen = @phase; exit() }']);
    expect(code).toBe(0);
    expect(stdout).toBe('Attaching 3 probes...\nphase 1\nphase 2\n\n\n@phase: 2\n@seen: 1\n');
  });

  it('pid and comm in BEGIN are nettrace itself', async () => {
    const { code, stdout } = await runCli(['-e', 'BEGIN { printf("%s %d %d\\n", comm, pid == tid, pid > 1); exit() }']);
    expect(code).toBe(0);
    // Node names its main thread after the executable.
    expect(stdout).toBe('Attaching 1 probe...\nnode 1 1\n\n\n');
  });
});

describe('interval', () => {
  it('fires every N milliseconds until exit()', async () => {
    const started = Date.now();
    const { code, stdout } = await runCli(['-e', 'interval:ms:100 /@n < 5/ { @n++; printf("tick %d\\n", @n); if (@n == 5) { exit() } }']);
    const elapsed = Date.now() - started;
    expect(code).toBe(0);
    expect(stdout).toBe('Attaching 1 probe...\ntick 1\ntick 2\ntick 3\ntick 4\ntick 5\n\n\n@n: 5\n');
    // Five ticks 100 ms apart take at least 0.5 s.
    expect(elapsed).toBeGreaterThanOrEqual(500);
  });

  it('interval:s:1 prints and clears a map each second', async () => {
    const link = run.newLink();
    await run.start(['-e', `xdp:${link.rootIf} /udp.dport == 9/ { @c = count() } interval:s:1 { print(@c); clear(@c); @ticks++ } interval:ms:2500 { exit() }`]);
    run.udp(9, 7);
    const { code, stdout } = await run.exited();
    expect(code).toBe(0);
    // The 7 packets land in the first second; the print after it shows them, the next one
    // the cleared map's zero, as bpftrace prints it (no blank line after a print()).
    expect(stdout).toBe('Attaching 3 probes...\n@c: 7\n@c: 0\n\n\n@c: 0\n@ticks: 2\n');
  });
});

describe('errors', () => {
  it('a bad interval is a diagnostic with a span', async () => {
    const { code, stderr } = await runCli(['-e', 'interval:minutes:1 { exit() }']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^-e:1:1: error\[NT0203\]: 'minutes' is not an interval unit/);
  });
});
