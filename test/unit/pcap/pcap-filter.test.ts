// pcap("FILTER") and -F without a kernel: the checker's rules (a string literal, a probe
// that sees packets), libpcap's refusals as NT0420 on the string, the classic BPF
// translation (loops unrolled, every packet load bounds-checked) and the -F option.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import { compileStages } from '../../../src/compile.js';
import { parseArgs } from '../../../src/cli/args.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { compilePcapFilter, DLT_EN10MB } from '../../../src/native/pcap.js';
import { parse } from '../../../src/parser/index.js';
import { typeName } from '../../../src/model/types.js';
import type { Expr } from '../../../src/model/ast.js';

const env: KernelEnv = { interfaces: () => ['eth0'] };

function diagnostics(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  return [];
}

/** [code, underlined text] of what compiling `text` reports. */
function found(text: string, filter?: string): [string, string][] {
  return diagnostics(() => compileStages(text, env, { filter })).map((d) => [d.code, d.span ? text.slice(d.span.start.offset, d.span.end.offset) : '']);
}

describe('pcap() in the checker', () => {
  it('is a boolean in xdp and tc probes', () => {
    for (const probe of ['xdp:eth0', 'tc:eth0:ingress']) {
      const ast = parse(`${probe} { @v = pcap("tcp port 80") }`);
      const checked = check(ast, env);
      expect(typeName(checked.types.get((ast.blocks[0].body[0] as { value: Expr }).value)!)).toBe('bool');
    }
  });

  it('refuses a filter that is not a literal, a wrong argument count, and probes without packets', () => {
    expect(found('xdp:eth0 { $f = "tcp"; @[pcap($f)] = count() }')).toEqual([['NT0311', '$f']]);
    expect(found('xdp:eth0 { @[pcap()] = count() }')).toEqual([['NT0304', 'pcap()']]);
    expect(found('BEGIN { if (pcap("tcp")) { exit() } }')).toEqual([['NT0306', 'pcap("tcp")']]);
  });
});

describe('pcap() in codegen', () => {
  it('a filter libpcap refuses is NT0420 on the string, with libpcap\'s message', () => {
    const text = 'xdp:eth0 /pcap("tcp port 80000")/ { @ = count() }';
    expect(found(text)).toEqual([['NT0420', '"tcp port 80000"']]);
    const [d] = diagnostics(() => compileStages(text, env));
    expect(d.message).toContain('illegal port number 80000 > 65535');
  });

  it('translates into the probe\'s function: loads checked against data_end, protochain\'s loop unrolled', () => {
    const { code } = compileStages('xdp:eth0 /pcap("ip6 protochain 6")/ { @ = count() }', env);
    expect(code.ir).toContain('cbpf_0_0');
    expect(code.ir).toContain('cbpf_1_4'); // the second copy of the loop head (instruction 4)
    expect(code.ir).not.toContain('cbpf_16_'); // no more copies than the limit
  });

  it('at tc reads past the linear data with bpf_skb_load_bytes (helper 26) and the VLAN tag from the metadata', () => {
    const { code } = compileStages('tc:eth0:ingress /pcap("vlan 100")/ { @ = count() }', env);
    expect(code.ir).toMatch(/inttoptr \(i64 26 to/);
    expect(code.ir).toContain('cbpf_tag_in_metadata');
  });
});

describe('-F', () => {
  it('is an option with a value', () => {
    expect(parseArgs(['-F', 'tcp port 443', '-e', 'x']).filter).toBe('tcp port 443');
    expect(parseArgs(['-e', 'x']).filter).toBeUndefined();
  });

  it('filters every packet probe and leaves the others alone', () => {
    const { code } = compileStages('xdp:eth0 { @x = count() } tc:eth0:egress { @t = count() } BEGIN { @b = 1 }', env, { filter: 'udp' });
    expect(code.ir.match(/^run_filter_matched[0-9]*:/gm)?.length).toBe(2);
  });

  it('a refused -F filter is NT0420 without a place in the program, even with no packet probe', () => {
    expect(found('BEGIN { exit() }', 'ip broadcast')).toEqual([['NT0420', '']]);
  });
});

describe('a network literal with host bits set', () => {
  it('is NT0330 on the literal, as tcpdump refuses net 10.1.2.3/8', () => {
    expect(found('xdp:eth0 /ip.src in 10.1.2.3/8/ { @ = count() }')).toEqual([['NT0330', '10.1.2.3/8']]);
    expect(found('xdp:eth0 /ip6.src in fd00::1/64/ { @ = count() }')).toEqual([['NT0330', 'fd00::1/64']]);
    expect(diagnostics(() => compileStages('xdp:eth0 /ip.src in 10.1.2.3/8/ { @ = count() }', env))[0].hints[0]).toContain('10.0.0.0/8');
    expect(found('xdp:eth0 /ip.src in 10.1.0.0/16 && ip6.src in fd00::/8/ { @ = count() }')).toEqual([]);
  });
});

describe('libpcap through nettrace_pcap.node', () => {
  it('compiles for Ethernet as tcpdump does, and returns libpcap\'s message on refusal', () => {
    const ok = compilePcapFilter('arp', DLT_EN10MB);
    // ldh [12]; jeq #0x806; ret #262144; ret #0
    expect(ok).toEqual({ ok: true, insns: [[0x28, 0, 0, 12], [0x15, 0, 1, 0x806], [0x06, 0, 0, 262144], [0x06, 0, 0, 0]] });
    expect(compilePcapFilter('tcp port', DLT_EN10MB)).toMatchObject({ ok: false, message: expect.stringContaining('syntax error') });
  });
});
