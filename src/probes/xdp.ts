// xdp:IFACE — runs in the driver's receive path, before the kernel allocates an sk_buff.
// The earliest point a packet can be seen (or dropped) in software.
import type { ProbeKind } from './kind.js';
import { BPF_ATTACH_TYPE, BPF_PROG_TYPE, XDP_ACTION } from '../model/uapi.js';
import { checkInterface } from './interface.js';
import { E } from '../diagnostics/catalogue.js';
import { error } from '../diagnostics/diagnostic.js';

/** `tx` bounces the packet out of the interface it came in on. */
const XDP_VERDICTS = { pass: XDP_ACTION.PASS, drop: XDP_ACTION.DROP, tx: XDP_ACTION.TX };

export const xdpProbe: ProbeKind = {
  name: 'xdp',
  aliases: [],
  doc: 'xdp:IFACE — every packet received on IFACE, at the driver (before the sk_buff exists)',
  list: (env) => env.interfaces().map((ifname) => `xdp:${ifname}`),
  resolve(spec, env) {
    if (spec.parts.length !== 1 || spec.parts[0] === '') {
      return error(E.BadProbeSpec, `'${spec.text}' needs exactly one interface: xdp:IFACE`, spec.span, 'for example: xdp:eth0');
    }
    const ifname = spec.parts[0];
    const missing = checkInterface(ifname, spec, env);
    if (missing) return missing;
    return {
      text: spec.text,
      kindName: 'xdp',
      context: 'xdp',
      section: 'xdp',
      progType: BPF_PROG_TYPE.XDP,
      expectedAttachType: BPF_ATTACH_TYPE.XDP,
      attach: { kind: 'xdp', ifname },
      span: spec.span,
      verdicts: XDP_VERDICTS,
    };
  },
};
