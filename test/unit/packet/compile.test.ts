// The compiled form of packet programs, without privileges: which blocks share a BPF
// program, the actions each program records, the runtime's refusal of traffic changes,
// and how packet values print.
import { describe, expect, it } from 'vitest';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { int } from '../../../src/model/types.js';
import { compile } from '../../../src/compile.js';
import { formatValue } from '../../../src/format/values.js';
import { HEADERS } from '../../../src/packet/model.js';
import { trafficChangeRefusals } from '../../../src/runtime/traffic-guard.js';

const env: KernelEnv = { interfaces: () => ['eth0', 'eth1'] };

describe('program units', () => {
  it('blocks on one XDP interface share a program; other interfaces and tc hooks do not', () => {
    const compiled = compile(
      `xdp:eth0 { @a = count() } xdp:eth1 { @b = count() } xdp:eth0 /udp/ { @c = count() }
       tc:eth0 { @d = count() } tc:eth0:ingress { @e = count() }`,
      env,
    );
    expect(compiled.programs.map((p) => p.probe.text)).toEqual(['xdp:eth0', 'xdp:eth1', 'tc:eth0:ingress', 'tc:eth0:egress', 'tc:eth0:ingress']);
  });

  it('a program lists the actions of all its blocks', () => {
    const compiled = compile(`xdp:eth0 /tcp/ { tx } xdp:eth0 { if (udp) { drop } else { pass } }`, env);
    expect(compiled.programs).toHaveLength(1);
    expect(compiled.programs[0].actions.map((a) => a.name)).toEqual(['tx', 'drop', 'pass']);
  });
});

describe('the traffic guard', () => {
  it('refuses drop and tx, each at its place, once even when a block has two hooks', () => {
    const source = `tc:eth0 /udp/ { drop } xdp:eth1 { if (tcp) { tx } }`;
    const refusals = trafficChangeRefusals(compile(source, env));
    expect(refusals.map((d) => [d.code, source.slice(d.span!.start.offset, d.span!.end.offset)])).toEqual([
      ['NT0310', 'drop'],
      ['NT0310', 'tx'],
    ]);
    expect(refusals[0].message).toContain('eth0');
    expect(refusals[0].hints.join('\n')).toContain('--unsafe');
  });

  it('lets observing programs and pass through', () => {
    expect(trafficChangeRefusals(compile(`xdp:eth0 { @[ip.src] = count() } tc:eth1 /icmp/ { pass }`, env))).toEqual([]);
  });
});

describe('every packet field compiles on xdp and tc', () => {
  const fields = ['pkt.len', ...Object.entries(HEADERS).flatMap(([h, spec]) => [h, ...Object.keys(spec.fields).map((f) => `${h}.${f}`)])];
  it.each(['xdp:eth0', 'tc:eth0'])('%s', (probe) => {
    // One map per field, so each statement's key type is the field's own; 30 fields per
    // program, since about 45 such statements in one function outgrow the 512-byte stack.
    for (let start = 0; start < fields.length; start += 30) {
      const chunk = fields.slice(start, start + 30);
      const body = chunk.map((f, i) => `@f${i}[${f}] = count()`).join('; ');
      const compiled = compile(`${probe} { ${body} }`, env);
      expect(compiled.object.length).toBeGreaterThan(0);
      expect(compiled.maps).toHaveLength(chunk.length);
    }
  });
});

describe('packet values print themselves', () => {
  const ipproto = int(8, false, 'ipproto');
  it.each([
    [ipproto, 6n, 'tcp'],
    [ipproto, 58n, 'icmpv6'],
    [ipproto, 0n, 'hopopts'],
    [ipproto, 44n, 'fragment'],
    [ipproto, 253n, '253'],
    [int(16, false, 'ethproto'), 0x0806n, 'arp'],
    [int(16, false, 'ethproto'), 0x88ccn, '0x88cc'],
    [int(8, false, 'tcpflags'), 0x12n, 'SYN|ACK'],
    [int(8, false, 'tcpflags'), 0x11n, 'FIN|ACK'],
    [int(32, false, 'ipv4'), 0xc6120001n, '198.18.0.1'],
  ] as const)('%o %s prints as %s', (type, value, text) => {
    expect(formatValue(type, value)).toBe(text);
  });

  it('MAC and IPv6 addresses', () => {
    expect(formatValue({ kind: 'bytes', size: 6, show: 'mac' }, Buffer.from([0x02, 0, 0, 0xaa, 0xbb, 0x01]))).toBe('02:00:00:aa:bb:01');
    const v6 = Buffer.alloc(16);
    v6.writeUInt16BE(0xfd00, 0);
    v6.writeUInt16BE(0xbeef, 14);
    expect(formatValue({ kind: 'bytes', size: 16, show: 'ipv6' }, v6)).toBe('fd00::beef');
  });
});
