// ntop(addr) and ntop(af, addr): an address that prints as one, as bpftrace's ntop().
// - a value nettrace already knows is an address (ip.src, a tracepoint's `__u8 saddr[4]`
//   or `__u8 saddr_v6[16]`) is itself: it prints as an address anyway;
// - any other integer is an IPv4 address as the kernel stores one: its low four bytes
//   in memory order are the address (bpftrace prints ntop(0x0100007f) as 127.0.0.1 on
//   this little-endian machine), so the value is byte-swapped into nettrace's host-order
//   IPv4 type.
// The family argument bpftrace takes first (AF_INET 2, AF_INET6 10) must agree with the
// address; the address's own type decides how it prints.
import { E } from '../diagnostics/catalogue.js';
import { constantArg } from '../aggregations/args.js';
import { int, typeName } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

const AF_INET = 2n;
const AF_INET6 = 10n;

export const ntopFunction: ValueFunction = {
  name: 'ntop',
  signature: 'ntop([af, ] addr)',
  doc: 'addr as an IPv4 or IPv6 address: an integer holds an IPv4 address in network byte order, 16 bytes an IPv6 one',
  check(c) {
    const { args } = c.call;
    if (args.length < 1 || args.length > 2) return c.report(E.WrongArgCount, `ntop() takes one or two arguments: ${this.signature}`, c.call.span);
    const i = args.length - 1;
    const t = c.argTypes[i];
    if (!t) return undefined;
    const v6 = t.kind === 'bytes' && t.show === 'ipv6';
    if (!v6 && t.kind !== 'int') return c.report(E.TypeMismatch, `ntop() needs an IPv4 address (an integer) or 16 bytes of IPv6 address, not ${typeName(t)}`, args[i].span);
    if (args.length === 2) {
      const af = constantArg(c, 0, 'the address family');
      if (af === undefined) return undefined;
      if (af !== AF_INET && af !== AF_INET6) return c.report(E.BadArgument, `the address family of ntop() is 2 (AF_INET) or 10 (AF_INET6), not ${af}`, args[0].span);
      if ((af === AF_INET6) !== v6) {
        return c.report(E.TypeMismatch, `ntop(${af}, ...) needs ${v6 ? 'an IPv4 address' : 'a 16-byte IPv6 address'}, not ${typeName(t)}`, args[i].span);
      }
    }
    if (v6) return t;
    return t.kind === 'int' && t.show === 'ipv4' ? t : int(32, false, 'ipv4');
  },
  emit({ f, args, argTypes }) {
    const { m } = f;
    const x = args[args.length - 1];
    const t = argTypes[argTypes.length - 1];
    if (t.kind !== 'int' || t.show === 'ipv4') return x;
    const swapped = m.bswap(m.b.CreateTrunc(x, m.intType(32)), 32);
    return m.b.CreateZExt(swapped, m.i64);
  },
};
