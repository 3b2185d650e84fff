// tc:IFACE[:ingress|:egress] — runs at the traffic-control hooks through tcx links.
// Ingress runs after the driver built the sk_buff (and after XDP), before the IP stack;
// egress runs for every packet the interface sends, just before the qdisc and driver.
// The program sees an __sk_buff: packet data from the Ethernet header on, plus metadata
// (skb->len, mark, the VLAN tag the stack may have moved out of the data).
import type { ProbeSpec } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error } from '../diagnostics/diagnostic.js';
import { closest } from '../util/did-you-mean.js';
import { checkInterface } from './interface.js';
import { BPF_ATTACH_TYPE, BPF_PROG_TYPE, TCX_ACTION } from '../model/uapi.js';
import type { ProbeKind } from './kind.js';
import type { ResolvedProbe } from '../model/probe.js';

/**
 * `pass` is TCX_NEXT: the packet goes on to the next program on the hook, or on its way
 * when there is none, so `pass` never overrides another tool's decision.
 */
const TCX_VERDICTS = { pass: TCX_ACTION.NEXT, drop: TCX_ACTION.DROP };

export type TcDirection = 'ingress' | 'egress';
const DIRECTIONS: TcDirection[] = ['ingress', 'egress'];

export const tcProbe: ProbeKind = {
  name: 'tc',
  aliases: [],
  doc: 'tc:IFACE[:ingress|:egress] — every packet at the tc hook of IFACE (both directions when none is named)',
  list: (env) => env.interfaces().flatMap((ifname) => DIRECTIONS.map((d) => `tc:${ifname}:${d}`)),
  resolve(spec, env) {
    const [ifname, direction, ...rest] = spec.parts;
    if (ifname === undefined || ifname === '' || rest.length > 0) {
      return error(E.BadProbeSpec, `'${spec.text}' needs an interface and optionally a direction: tc:IFACE[:ingress|:egress]`, spec.span, 'for example: tc:eth0:ingress');
    }
    if (direction !== undefined && !DIRECTIONS.includes(direction as TcDirection)) {
      const guess = closest(direction, DIRECTIONS);
      return error(E.BadProbeSpec, `'${direction}' is not a tc direction`, spec.span, guess ? `did you mean '${guess}'?` : '', 'tc directions: ingress, egress');
    }
    const missing = checkInterface(ifname, spec, env);
    if (missing) return missing;
    // Without a direction the probe sees both: one program per hook.
    const directions = direction === undefined ? DIRECTIONS : [direction as TcDirection];
    return directions.map((d) => tcHook(spec, ifname, d));
  },
};

function tcHook(spec: ProbeSpec, ifname: string, direction: TcDirection): ResolvedProbe {
  return {
    text: spec.parts.length === 2 ? spec.text : `${spec.text}:${direction}`,
    kindName: 'tc',
    context: 'skb',
    section: 'tc',
    progType: BPF_PROG_TYPE.SCHED_CLS,
    expectedAttachType: direction === 'ingress' ? BPF_ATTACH_TYPE.TCX_INGRESS : BPF_ATTACH_TYPE.TCX_EGRESS,
    attach: { kind: 'tc', ifname, direction },
    span: spec.span,
    verdicts: TCX_VERDICTS,
  };
}
