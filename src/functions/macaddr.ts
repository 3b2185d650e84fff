// macaddr(x): six bytes that print as a MAC address (aa:bb:cc:dd:ee:ff), as bpftrace's
// macaddr(). x is
// - a MAC already (eth.src, eth.dst): itself;
// - a byte array of at least 6 bytes (a tracepoint's `u8 addr[6]`, a string): its first 6;
// - an integer: a kernel pointer to the 6 bytes, read as bpftrace reads one (a pointer it
//   cannot read gives 00:00:00:00:00:00, as bpftrace prints macaddr(0)).
import { E } from '../diagnostics/catalogue.js';
import { argCount } from '../aggregations/args.js';
import { BPF_FUNC } from '../model/uapi.js';
import { typeName, type BytesType } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

const MAC_BYTES = 6;
const MAC: BytesType = { kind: 'bytes', size: MAC_BYTES, show: 'mac' };

export const macaddrFunction: ValueFunction = {
  name: 'macaddr',
  signature: 'macaddr(x)',
  doc: 'x as a MAC address: a MAC itself, the first 6 bytes of an array, or the 6 bytes a kernel pointer points at',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const t = c.argTypes[0];
    if (!t) return undefined;
    if (t.kind === 'bytes' && t.show === 'mac') return t;
    if (t.kind === 'int' || ((t.kind === 'str' || t.kind === 'bytes') && t.size >= MAC_BYTES)) return MAC;
    return c.report(E.TypeMismatch, `macaddr() needs a pointer or at least 6 bytes, not ${typeName(t)}`, c.call.args[0].span);
  },
  emit({ f, args: [x], argTypes: [t] }) {
    const { m } = f;
    if (t.kind === 'bytes' && t.show === 'mac') return x;
    const buffer = f.zeroedBuffer(MAC_BYTES, 'macaddr');
    if (t.kind === 'int') {
      m.callHelper(BPF_FUNC.probe_read_kernel, m.i64, [m.i8p, m.i32, m.i8p], [buffer, m.intConst(m.i32, MAC_BYTES), m.b.CreateIntToPtr(x, m.i8p)]);
    } else f.copyBytes(buffer, 0, x, MAC_BYTES);
    return buffer;
  },
};
