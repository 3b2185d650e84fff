// uid, gid and bswap() run in the kernel: an XDP program run once by BPF_PROG_TEST_RUN
// from this process, so the current task is this test's, and every value is known.
// Imports the compiler from src/, so it needs no build.
import { afterEach, describe, expect, it } from 'vitest';
import { requireRoot } from '../../helpers/netns.js';
import { ethernet, ipv4, udp } from '../packet/frames.js';
import { loadForTestRun, TEST_IFACE, type TestRunProgram } from '../packet/test-run.js';

const UDP4 = ethernet(ipv4({ src: '10.1.2.3', dst: '198.18.0.2' }, udp(4000, 53)));

let program: TestRunProgram | undefined;
afterEach(() => {
  program?.close();
  program = undefined;
});

/** The keys of each map after one run on a UDP frame. */
function keysAfterOneRun(source: string): Record<string, string[]> {
  requireRoot();
  program = loadForTestRun(source);
  program.run(UDP4);
  return Object.fromEntries([...program.maps()].map(([name, entries]) => [name, [...entries.keys()]]));
}

describe('uid, gid and bswap() in the kernel', () => {
  it('uid and gid are the current task\'s', () => {
    requireRoot();
    // A group id unlike the (root) user id, so that uid and gid cannot pass for each
    // other; root may set its group and set it back.
    const gid = process.getgid!();
    process.setgid!(4321);
    try {
      expect(keysAfterOneRun(`xdp:${TEST_IFACE} { @ids[uid, gid] = count() }`)).toEqual({ ids: [`${process.getuid!()}, 4321`] });
    } finally {
      process.setgid!(gid);
    }
  });

  it('bswap() reverses the bytes at the argument\'s width', () => {
    const keys = keysAfterOneRun(
      `xdp:${TEST_IFACE} { @w16[bswap((u16)0x1234)] = count(); @w32[bswap((u32)0x12345678)] = count(); @w64[bswap(0x1234)] = count();
        @w8[bswap((u8)0x1234)] = count(); @port[bswap(udp.dport)] = count() }`,
    );
    // udp.dport is 53 (0x0035) in host order; swapped, 0x3500.
    expect(keys).toEqual({ w16: [String(0x3412)], w32: [String(0x78563412)], w64: [String(0x3412000000000000n)], w8: [String(0x34)], port: [String(0x3500)] });
  });
});
