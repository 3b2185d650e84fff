// printf() through the ring buffer, formatted in user space, and the report of records
// lost when the ring buffer overflows.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { TraceRun } from './trace.js';

const run = new TraceRun();
afterEach(() => run.cleanup());

describe('printf', () => {
  it('prints one line per packet, values printing themselves', async () => {
    const link = run.newLink();
    await run.start(['-e', `xdp:${link.rootIf} /udp.dport == 9/ { printf("%s -> %s:%d %-5s len=%04u ttl=%x\\n", ip.src, ip.dst, udp.dport, ip.proto, pkt.len, ip.ttl) }`]);
    run.udp(9, 3);
    const { code, stdout } = await run.stop();
    expect(code).toBe(0);
    const line = `${link.nsAddr} -> ${link.rootAddr}:9 udp   len=0058 ttl=40\n`;
    expect(stdout).toBe(`Attaching 1 probe...\n${line}${line}${line}\n\n`);
  });

  it('reports exactly how many records a full ring buffer lost', async () => {
    // BEGIN runs on nettrace's own thread, so nothing drains the buffer while it runs:
    // one page holds 51 of these 80-byte records (8-byte ring header, 8-byte record
    // header, four 16-byte comm values); the other 9, and exit()'s record, are lost, and
    // said to be (exit still works: the status word carries it).
    const printfs = Array.from({ length: 60 }, () => 'printf("%s %s %s %s\\n", comm, comm, comm, comm);').join(' ');
    const { code, stdout, stderr } = await runCli(['--ring-pages', '1', '-e', `BEGIN { ${printfs} exit() }`]);
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((l) => l === 'node node node node');
    expect(lines).toHaveLength(51);
    expect(stderr).toContain('warning: 10 events lost: the ring buffer was full');
    expect(stderr).toContain('warning: 10 events lost in all\n');
  });

  it('a lost exit() record still stops the program (the status word says so)', async () => {
    const printfs = Array.from({ length: 60 }, () => 'printf("%s %s %s %s\\n", comm, comm, comm, comm);').join(' ');
    const { code, stdout } = await runCli(['--ring-pages', '1', '-e', `BEGIN { ${printfs} exit() } END { printf("end\\n") }`]);
    expect(code).toBe(0);
    expect(stdout.endsWith('end\n\n\n')).toBe(true);
  });
});
