// The journey picture: stages in order with their counts and bars, latency between
// stages, drops branched off the stage their reason belongs to, drawn by Ink as the
// plain-text version prints it.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { JourneyView } from '../../../src/journey/JourneyView.js';
import { journeyLines, plainText } from '../../../src/journey/lines.js';
import { parseJourneyArgs } from '../../../src/journey/command.js';
import { journeyProgram } from '../../../src/journey/program.js';
import { journeyOf, journeyOrigin } from '../../../src/journey/repl-program.js';
import { parseCommand } from '../../../src/repl/commands.js';
import type { JourneyState } from '../../../src/journey/state.js';

const state: JourneyState = {
  ifname: 'eth0',
  direction: 'rx',
  stages: [
    { label: 'NIC / XDP', count: 30, drops: [] },
    { label: 'netif_receive_skb', count: 30, latencyNs: 1234, drops: [] },
    { label: 'tc ingress', count: 30, latencyNs: 480, drops: [] },
    { label: 'IP (IPv4)', count: 30, detail: 'udp 30', drops: [] },
    { label: 'socket', count: 25, detail: 'udp 25', drops: [{ reason: 'NO_SOCKET', count: 5 }] },
  ],
  otherDrops: [{ reason: 'NOT_SPECIFIED', count: 1 }],
};

describe('journey view', () => {
  const text = plainText(journeyLines(state, 'header'));

  it('draws the stages in order, bars scaled to the largest count, drops under their stage', () => {
    expect(text).toContain('receive path on eth0   header');
    const labels = [...text.matchAll(/^ {2}(\S.*?)\s{2,}\d+/gm)].map((m) => m[1]);
    expect(labels).toEqual(['NIC / XDP', 'netif_receive_skb', 'tc ingress', 'IP (IPv4)', 'socket']);
    expect(text).toMatch(/ {2}NIC \/ XDP\s+30 {2}█{30}\n/);
    expect(text).toMatch(/ {2}socket\s+25 {2}█{25}\s+udp 25\n {4}╰─▶ dropped NO_SOCKET\s+5\n/);
    expect(text).toContain('│  1.2 µs per packet');
    expect(text).toContain('│  480 ns per packet');
    expect(text).toContain('other drops on eth0: NOT_SPECIFIED 1');
  });

  it('Ink draws the same picture', () => {
    const { lastFrame } = render(<JourneyView lines={journeyLines(state, 'header')} />);
    const frame = lastFrame()!.split('\n').map((l) => l.trimEnd()).join('\n');
    expect(frame + '\n').toBe(text.replace(/^$/gm, ''));
  });

  it('its program names the interface in every probe and filter, and the socket stage its addresses', () => {
    const rx = journeyProgram('eth0', 'rx', ['10.0.0.1', '10.0.0.2']);
    expect(rx).toContain('xdp:eth0 {');
    expect(rx).toContain('tc:eth0:ingress {');
    expect(rx).toContain('/args.name == "eth0"/');
    expect(rx).toContain('$sk.__sk_common.skc_rcv_saddr == 10.0.0.1 || $sk.__sk_common.skc_rcv_saddr == 10.0.0.2');
    const tx = journeyProgram('eth0', 'tx', []);
    expect(tx).toContain('tc:eth0:egress {');
    expect(tx).toContain('if (0 == 1)'); // no address: no socket is the interface's
  });

  it('takes one interface, --tx and --timeout', () => {
    expect(parseJourneyArgs(['eth0', '--tx', '--timeout', '3'])).toEqual({ ifname: 'eth0', direction: 'tx', timeoutSeconds: 3, intervalMs: 500 });
    expect(parseJourneyArgs([])).toMatchObject({ ok: false });
    expect(parseJourneyArgs(['eth0', 'eth1'])).toMatchObject({ ok: false });
    expect(parseJourneyArgs(['eth0', '--rx'])).toMatchObject({ ok: false });
  });

  it('.journey IF [--tx] in the REPL: parsed, and its origin names the picture its maps make', () => {
    expect(parseCommand('.journey eth0')).toEqual({ name: '.journey', ifname: 'eth0', direction: 'rx' });
    expect(parseCommand('.journey eth0 --tx')).toEqual({ name: '.journey', ifname: 'eth0', direction: 'tx' });
    expect(() => parseCommand('.journey')).toThrow('usage: .journey IFACE [--tx]');
    expect(() => parseCommand('.journey eth0 --rx')).toThrow('usage');
    expect(journeyOf(journeyOrigin({ ifname: 'eth0', direction: 'tx' }))).toEqual({ ifname: 'eth0', direction: 'tx' });
    expect(journeyOf('<repl>')).toBeUndefined();
    expect(journeyOf('journey.nt')).toBeUndefined();
  });
});
