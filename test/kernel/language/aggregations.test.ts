// Aggregations on real traffic: every value exact, printed as bpftrace prints it.
import { afterEach, describe, expect, it } from 'vitest';
import { TraceRun, frameLength } from './trace.js';

const run = new TraceRun();
afterEach(() => run.cleanup());

describe('aggregations over packets', () => {
  it('count, sum, avg, min, max and stats of pkt.len', async () => {
    const link = run.newLink();
    await run.start(['-e', `xdp:${link.rootIf} /udp.dport == 9/ {
      @c = count(); @s = sum(pkt.len); @a = avg(pkt.len); @lo = min(pkt.len); @hi = max(pkt.len);
      @st[ip.src] = stats(pkt.len); @by[udp.dport, ip.proto] = count()
    }`]);
    run.udp(9, 10, 16);
    run.udp(9, 5, 100);
    run.udp(10, 4, 16); // not counted: another port
    const { code, stdout } = await run.stop();
    expect(code).toBe(0);
    const small = frameLength(16);
    const big = frameLength(100);
    expect([small, big]).toEqual([58, 142]);
    const total = 10 * small + 5 * big; // 1290
    expect(stdout).toContain(`\n@c: 15\n`);
    expect(stdout).toContain(`\n@s: ${total}\n`);
    expect(stdout).toContain(`\n@a: ${Math.trunc(total / 15)}\n`);
    expect(stdout).toContain(`\n@lo: 58\n`);
    expect(stdout).toContain(`\n@hi: 142\n`);
    expect(stdout).toContain(`\n@st[${link.nsAddr}]: count 15, average 86, total 1290\n`);
    expect(stdout).toContain(`\n@by[9, udp]: 15\n`);
  });

  it('hist() and lhist() print bpftrace bucket lines', async () => {
    const link = run.newLink();
    await run.start(['-e', `xdp:${link.rootIf} /udp.dport == 9/ { @h = hist(pkt.len); @l = lhist(pkt.len, 0, 200, 50); @k[udp.dport] = hist(pkt.len) }`]);
    run.udp(9, 10, 16); // 58 bytes
    run.udp(9, 5, 100); // 142 bytes
    const { code, stdout } = await run.stop();
    expect(code).toBe(0);
    const full = '@'.repeat(52);
    const half = '@'.repeat(26).padEnd(52);
    const hist = [
      `[32, 64)              10 |${full}|`,
      `[64, 128)              0 |${' '.repeat(52)}|`,
      `[128, 256)             5 |${half}|`,
    ].join('\n');
    expect(stdout).toContain(`\n@h: \n${hist}\n\n`);
    expect(stdout).toContain(`\n@k[9]: \n${hist}\n\n`);
    expect(stdout).toContain(`\n@l: \n[50, 100)             10 |${full}|\n[100, 150)             5 |${half}|\n`);
  });

  it('print(@m, N) prints the top N, smallest first', async () => {
    const link = run.newLink();
    await run.start(['-e', `xdp:${link.rootIf} /udp/ { @p[udp.dport] = count() } END { print(@p, 2) }`]);
    run.udp(9, 5);
    run.udp(10, 3);
    run.udp(11, 1);
    const { code, stdout } = await run.stop();
    expect(code).toBe(0);
    // No blank line after a print() of a keyed map, as bpftrace 0.17.
    expect(stdout).toBe('Attaching 2 probes...\n@p[10]: 3\n@p[9]: 5\n\n\n@p[11]: 1\n@p[10]: 3\n@p[9]: 5\n');
  });

  it('delete() removes a key at once; clear() and zero() act in order, from user space', async () => {
    const link = run.newLink();
    await run.start(['-e', `xdp:${link.rootIf} /udp/ {
      @a[udp.dport] = count(); @z[udp.dport] = count();
      if (udp.dport == 20) { delete(@a[9]); zero(@z) }
      if (udp.dport == 21) { clear(@a) }
    }`]);
    const pause = () => new Promise((r) => setTimeout(r, 300));
    run.udp(9, 5);
    run.udp(10, 2);
    run.udp(20, 1); // @a[9] goes; every @z value becomes 0, keys kept
    await pause();
    run.udp(10, 3);
    run.udp(21, 1); // @a empties
    await pause();
    run.udp(9, 2);
    const { code, stdout } = await run.stop();
    expect(code).toBe(0);
    expect(stdout).toBe('Attaching 1 probe...\n\n\n@a[9]: 2\n@z[20]: 0\n@z[21]: 1\n@z[9]: 2\n@z[10]: 3\n');
  });
});
