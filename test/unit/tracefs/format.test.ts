import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatParseError, parseFormat } from '../../../src/tracefs/format.js';
import { recordArgs, symbolNames } from '../../../src/probes/tracepoint-fields.js';

// Format files copied from this kernel (6.18): tracefs events/CAT/NAME/format.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.format`, import.meta.url), 'utf8');

describe('tracepoint format files', () => {
  it('skb:kfree_skb: fields with offsets, sizes, signs; the common header left out', () => {
    const f = parseFormat(fixture('skb-kfree_skb'));
    expect(f.name).toBe('kfree_skb');
    expect(f.id).toBeGreaterThan(0);
    expect(f.fields).toEqual([
      { name: 'skbaddr', ctype: 'void *', dataLoc: false, offset: 8, size: 8, signed: false, arrayLength: undefined },
      { name: 'location', ctype: 'void *', dataLoc: false, offset: 16, size: 8, signed: false, arrayLength: undefined },
      { name: 'rx_sk', ctype: 'void *', dataLoc: false, offset: 24, size: 8, signed: false, arrayLength: undefined },
      { name: 'protocol', ctype: 'unsigned short', dataLoc: false, offset: 32, size: 2, signed: false, arrayLength: undefined },
      { name: 'reason', ctype: 'enum skb_drop_reason', dataLoc: false, offset: 36, size: 4, signed: false, arrayLength: undefined },
    ]);
  });

  it('reads __print_symbolic tables, numeric or by enumerator name', () => {
    const kfree = parseFormat(fixture('skb-kfree_skb'));
    expect(kfree.symbols.reason.slice(0, 2)).toEqual([{ value: '2', name: 'NOT_SPECIFIED' }, { value: '3', name: 'NO_SOCKET' }]);
    const state = parseFormat(fixture('sock-inet_sock_set_state'));
    expect(Object.keys(state.symbols).sort()).toEqual(['family', 'newstate', 'oldstate', 'protocol']);
    expect(state.symbols.newstate[0]).toEqual({ value: '1', name: 'TCP_ESTABLISHED' });
    const retransmit = parseFormat(fixture('tcp-tcp_retransmit_skb'));
    expect(retransmit.symbols.state[1]).toEqual({ value: 'TCP_SYN_SENT', name: 'TCP_SYN_SENT' });
  });

  it('arrays and __data_loc strings', () => {
    const state = parseFormat(fixture('sock-inet_sock_set_state'));
    expect(state.fields.find((f) => f.name === 'saddr')).toMatchObject({ ctype: '__u8', arrayLength: 4, offset: 32, size: 4 });
    expect(state.fields.find((f) => f.name === 'daddr_v6')).toMatchObject({ ctype: '__u8', arrayLength: 16, offset: 56, size: 16 });
    const queue = parseFormat(fixture('net-net_dev_queue'));
    expect(queue.fields.find((f) => f.name === 'name')).toMatchObject({ ctype: 'char', dataLoc: true, offset: 20, size: 4 });
  });

  it('refuses text that is not a format file', () => {
    expect(() => parseFormat('hello\n')).toThrow(FormatParseError);
  });
});

describe('tracepoint fields as nettrace types', () => {
  const field = (file: string, name: string) => recordArgs(parseFormat(fixture(file)), undefined).find((a) => a.name === name)!;

  it('integers keep size and sign; pointers are hex u64', () => {
    expect(field('skb-kfree_skb', 'protocol').type).toEqual({ kind: 'int', bits: 16, signed: false });
    expect(field('tcp-tcp_retransmit_skb', 'err').type).toEqual({ kind: 'int', bits: 32, signed: true });
    expect(field('skb-kfree_skb', 'skbaddr').type).toMatchObject({ kind: 'int', bits: 64, show: 'hex' });
    expect(field('skb-kfree_skb', 'protocol').read).toEqual({ kind: 'record', offset: 32, size: 2, as: { kind: 'int', signed: false } });
  });

  it('byte arrays of 4 and 16 are addresses, read in network order', () => {
    expect(field('sock-inet_sock_set_state', 'saddr').type).toEqual({ kind: 'int', bits: 32, signed: false, show: 'ipv4' });
    expect(field('sock-inet_sock_set_state', 'saddr').read).toEqual({ kind: 'record', offset: 32, size: 4, as: { kind: 'int', signed: false, bigEndian: true } });
    expect(field('sock-inet_sock_set_state', 'daddr_v6').type).toEqual({ kind: 'bytes', size: 16, show: 'ipv6' });
  });

  it('__data_loc char[] is a string read from after the record', () => {
    const name = field('net-net_dev_queue', 'name');
    expect(name.type).toEqual({ kind: 'str', size: 64 });
    expect(name.read).toEqual({ kind: 'dataLoc', offset: 20, size: 64 });
  });

  it('symbolic fields print by the names the kernel prints', () => {
    const newstate = field('sock-inet_sock_set_state', 'newstate').type;
    expect(newstate).toMatchObject({ kind: 'int', bits: 32, signed: true, show: 'enum' });
    if (newstate?.kind === 'int') {
      expect(newstate.enum?.name).toBe('inet_sock_set_state.newstate');
      expect(newstate.enum?.names['1']).toBe('TCP_ESTABLISHED');
      expect(newstate.enum?.names['10']).toBe('TCP_LISTEN');
    }
    // Without BTF an `enum X` field falls back to the kernel's own table.
    const reason = field('skb-kfree_skb', 'reason').type;
    expect(reason?.kind === 'int' && reason.enum?.names['3']).toBe('NO_SOCKET');
  });

  it('a table written with enumerator names needs BTF for the values', () => {
    const table = parseFormat(fixture('tcp-tcp_retransmit_skb')).symbols.state;
    expect(symbolNames('x', table, undefined)).toBeUndefined();
  });
});
