import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enumNames } from '../../../src/probes/btf-enums.js';
import { Btf, BtfFormatError } from '../../../src/btf/reader.js';
import { cTypeName, findMember, memberNames, sizeOfType, skipAliases, structOf } from '../../../src/btf/resolve.js';
import { BtfBuilder } from './build-btf.js';

/** A little kernel: struct sk_buff with a bitfield, an anonymous union, a pointer to a forward-declared struct sock. */
function sampleKernel() {
  const b = new BtfBuilder();
  const u8 = b.int('unsigned char', 1, { char: false });
  const u16 = b.int('short unsigned int', 2);
  const u32 = b.int('unsigned int', 4);
  const s32 = b.int('int', 4, { signed: true });
  const char = b.int('char', 1, { signed: true, char: true });
  const be16 = b.typedef('__be16', u16);
  const sockFwd = b.fwd('sock');
  const sockPtr = b.ptr(sockFwd);
  const name16 = b.array(char, u32, 16);
  const inner = b.struct('', 4, [
    { name: 'mark', type: u32, bitOffset: 0 },
    { name: 'reserved_tailroom', type: u32, bitOffset: 0 },
  ], true);
  const skb = b.struct('sk_buff', 40, [
    { name: 'sk', type: sockPtr, bitOffset: 0 },
    { name: 'len', type: u32, bitOffset: 64 },
    { name: 'cloned', type: u8, bitOffset: 96, bitSize: 1 },
    { name: 'pkt_type', type: u8, bitOffset: 97, bitSize: 3 },
    { name: '', type: inner, bitOffset: 128 },
    { name: 'protocol', type: be16, bitOffset: 160 },
    { name: 'name', type: name16, bitOffset: 192 },
  ]);
  const sock = b.struct('sock', 8, [{ name: 'sk_state', type: s32, bitOffset: 0 }]);
  const reason = b.enum('skb_drop_reason', 4, [
    ['SKB_NOT_DROPPED_YET', 0],
    ['SKB_CONSUMED', 1],
    ['SKB_DROP_REASON_NOT_SPECIFIED', 2],
    ['SKB_DROP_REASON_NO_SOCKET', 3],
  ]);
  const states = b.enum('', 4, [['TCP_ESTABLISHED', 1], ['TCP_SYN_SENT', 2]]);
  const signedEnum = b.enum('sign', 4, [['MINUS_ONE', -1]], true);
  const wide = b.enum64('wide', [['BIG', 0x1_0000_0002n]]);
  const skbPtr = b.ptr(skb);
  const constSkbPtr = b.ptr(b.qualifier('const', skb));
  const proto = b.funcProto(s32, [['skb', skbPtr], ['reason', reason]]);
  const func = b.func('tcp_v4_rcv', proto);
  const fnPtr = b.ptr(b.funcProto(0, [['', b.ptr(0)], ['', skbPtr]]));
  const btf = new Btf(b.build());
  return { btf, ids: { u8, u16, u32, char, be16, sockFwd, sockPtr, name16, skb, sock, reason, states, signedEnum, wide, skbPtr, constSkbPtr, proto, func, fnPtr } };
}

describe('BTF reader on a built blob', () => {
  const { btf, ids } = sampleKernel();

  it('decodes ints with size, sign and char flags', () => {
    expect(btf.get(ids.u32)).toEqual({ kind: 'int', id: ids.u32, name: 'unsigned int', size: 4, bits: 32, signed: false, char: false, bool: false });
    expect(btf.get(ids.char)).toMatchObject({ kind: 'int', signed: true, char: true, size: 1 });
  });

  it('decodes struct members with byte offsets and bitfields', () => {
    const skb = btf.get(ids.skb);
    expect(skb?.kind).toBe('struct');
    if (skb?.kind !== 'struct') return;
    expect(skb.size).toBe(40);
    expect(skb.members.map((m) => [m.name, m.bitOffset, m.bitSize])).toEqual([
      ['sk', 0, 0],
      ['len', 64, 0],
      ['cloned', 96, 1],
      ['pkt_type', 97, 3],
      ['', 128, 0],
      ['protocol', 160, 0],
      ['name', 192, 0],
    ]);
  });

  it('finds members inside anonymous unions, with the outer offset added', () => {
    const skb = structOf(btf, ids.skb)!;
    expect(findMember(btf, skb, 'mark')).toMatchObject({ bitOffset: 128 });
    expect(findMember(btf, skb, 'nope')).toBeUndefined();
    expect(memberNames(btf, skb)).toEqual(['sk', 'len', 'cloned', 'pkt_type', 'mark', 'reserved_tailroom', 'protocol', 'name']);
  });

  it('completes a forward declaration with the full struct of that name', () => {
    expect(structOf(btf, ids.sockFwd)?.id).toBe(ids.sock);
  });

  it('decodes enums: unsigned, signed and 64-bit', () => {
    expect(btf.get(ids.reason)).toMatchObject({ kind: 'enum', name: 'skb_drop_reason', size: 4, signed: false });
    expect(btf.get(ids.signedEnum)).toMatchObject({ values: [{ name: 'MINUS_ONE', value: -1n }] });
    expect(btf.get(ids.wide)).toMatchObject({ kind: 'enum', size: 8, values: [{ name: 'BIG', value: 0x1_0000_0002n }] });
  });

  it('names enum values, dropping the prefix that repeats the enum name', () => {
    expect(enumNames(btf, ids.reason)).toEqual({
      name: 'enum skb_drop_reason',
      names: { '0': 'SKB_NOT_DROPPED_YET', '1': 'SKB_CONSUMED', '2': 'NOT_SPECIFIED', '3': 'NO_SOCKET' },
    });
    // An anonymous enum has no name to strip: TCP states keep theirs.
    expect(enumNames(btf, ids.states)?.names).toEqual({ '1': 'TCP_ESTABLISHED', '2': 'TCP_SYN_SENT' });
  });

  it('finds types by name and kind, and enumerators by name', () => {
    expect(btf.find('sk_buff', 'struct')).toBe(ids.skb);
    expect(btf.findAll('sock')).toEqual([ids.sockFwd, ids.sock]);
    expect(btf.find('sock', 'struct')).toBe(ids.sock);
    expect(btf.find('sk')).toBeUndefined(); // a member name, not a type
    expect(btf.find('no_such_type')).toBeUndefined();
    expect(btf.findEnumerator('TCP_SYN_SENT')).toEqual({ enumId: ids.states, value: 2n });
    expect(btf.findEnumerator('TCP_NOPE')).toBeUndefined();
  });

  it('decodes functions and their prototypes', () => {
    expect(btf.get(ids.func)).toEqual({ kind: 'func', id: ids.func, name: 'tcp_v4_rcv', type: ids.proto, linkage: 1 });
    expect(btf.get(ids.proto)).toMatchObject({ kind: 'func_proto', params: [{ name: 'skb', type: ids.skbPtr }, { name: 'reason', type: ids.reason }] });
    expect([...btf.named('func')]).toEqual([['tcp_v4_rcv', ids.func]]);
  });

  it('writes types the way C does', () => {
    expect(cTypeName(btf, ids.skbPtr)).toBe('struct sk_buff *');
    expect(cTypeName(btf, ids.constSkbPtr)).toBe('const struct sk_buff *');
    expect(cTypeName(btf, ids.name16)).toBe('char[16]');
    expect(cTypeName(btf, ids.be16)).toBe('__be16');
    expect(cTypeName(btf, ids.sockPtr)).toBe('struct sock *');
    expect(cTypeName(btf, ids.reason)).toBe('enum skb_drop_reason');
    expect(cTypeName(btf, ids.fnPtr)).toBe('void (*)(void *, struct sk_buff *)');
  });

  it('follows typedefs and sizes types', () => {
    expect(skipAliases(btf, ids.be16)).toBe(ids.u16);
    expect(sizeOfType(btf, ids.name16)).toBe(16);
    expect(sizeOfType(btf, ids.skbPtr)).toBe(8);
    expect(sizeOfType(btf, ids.be16)).toBe(2);
  });

  it('has no type 0 (void) and nothing past the last id', () => {
    expect(btf.get(0)).toBeUndefined();
    expect(btf.get(btf.count)).toBeUndefined();
  });
});

describe('BTF reader rejects what is not BTF', () => {
  it('bad magic', () => {
    expect(() => new Btf(Buffer.alloc(32))).toThrow(BtfFormatError);
  });

  it('a type section that ends inside a record', () => {
    const blob = new BtfBuilder();
    blob.int('int', 4, { signed: true });
    const data = blob.build();
    data.writeUInt32LE(20, 12); // type_len 20: the int record is 16 bytes, so 4 dangle
    data.writeUInt32LE(20, 16);
    expect(() => new Btf(data)).toThrow(BtfFormatError);
  });

  it('an unknown kind', () => {
    const blob = new BtfBuilder();
    blob.int('int', 4);
    const data = blob.build();
    data.writeUInt32LE(31 << 24, 24 + 4);
    expect(() => new Btf(data)).toThrow(/unknown kind 31/);
  });
});

// This machine's own kernel: the numbers are what nettrace works with in real use.
describe('BTF reader on /sys/kernel/btf/vmlinux', () => {
  const path = '/sys/kernel/btf/vmlinux';

  it('is present on the test machine (tp_btf and fentry need it)', () => {
    expect(existsSync(path)).toBe(true);
  });

  it('parses fast and finds what the network probes need', () => {
    const data = readFileSync(path);
    const start = performance.now();
    const btf = new Btf(data);
    const indexed = performance.now();
    const skbId = btf.find('sk_buff', 'struct')!;
    const found = performance.now();
    console.log(`vmlinux BTF: ${btf.count} types, indexed in ${(indexed - start).toFixed(1)} ms, first lookup by name ${(found - indexed).toFixed(1)} ms`);
    expect(btf.count).toBeGreaterThan(10_000);
    // Generous bounds: the point is "milliseconds, not seconds", on a loaded 2-core machine too.
    expect(indexed - start).toBeLessThan(1000);

    const skb = structOf(btf, skbId)!;
    for (const name of ['len', 'head', 'data', 'protocol', 'network_header', 'transport_header', 'mac_header', 'sk', 'dev']) {
      expect(findMember(btf, skb, name), name).toBeDefined();
    }
    const sock = structOf(btf, btf.find('sock', 'struct')!)!;
    const common = findMember(btf, sock, '__sk_common')!;
    expect(common.bitOffset).toBe(0);
    expect(findMember(btf, structOf(btf, common.member.type)!, 'skc_dport')).toBeDefined();

    const reason = enumNames(btf, btf.find('skb_drop_reason', 'enum')!)!;
    expect(reason.names['3']).toBe('NO_SOCKET');
    expect(btf.findEnumerator('TCP_ESTABLISHED')?.value).toBe(1n);

    const typedef = btf.get(btf.find('btf_trace_kfree_skb', 'typedef')!)!;
    expect(typedef.kind).toBe('typedef');
    if (typedef.kind === 'typedef') expect(cTypeName(btf, typedef.type)).toMatch(/^void \(\*\)\(void \*, struct sk_buff \*/);
  });
});
