// capture() and capture(SKB): copy the packet into the capture ring buffer, for the
// pcapng file -w names (src/capture/). At a packet hook (xdp, tc) the packet is the
// frame the probe sees; anywhere an sk_buff pointer is at hand, capture(SKB) copies the
// linear part of that sk_buff from its MAC header (or its network header when it has
// none). In a probe whose `args` carry a drop reason (kfree_skb), the reason goes with it.
import type { Call, Expr, FieldAccess, Ident } from '../model/ast.js';
import type { CaptureCall } from '../model/capture.js';
import type { EnumNames } from '../model/types.js';
import { E } from '../diagnostics/catalogue.js';
import { argumentCount, type CallCheck, type CallStatement } from './call.js';
import { captureSkbLayout } from './capture-skb-layout.js';

export const captureFunction: CallStatement = {
  name: 'capture',
  signature: 'capture([SKB])',
  doc: 'writes the packet to the -w pcapng file: the frame at xdp and tc, the sk_buff SKB points at elsewhere (`capture(args.skb)`), with the probe, direction, drop reason and netns in its comment',
  check(c) {
    if (!argumentCount(c, 0, 1, this.signature)) return;
    const { scope, typer } = c;
    const [skb] = c.call.args;
    if (!skb) {
      if (scope.context !== 'xdp' && scope.context !== 'skb') {
        return void c.report(E.CaptureWithoutPacket, `capture() copies the packet of an xdp or tc probe; ${scope.probeText} has none`, c.call.span, 'give it an sk_buff: capture(args.skb) in rawtracepoint:kfree_skb, or capture((struct sk_buff *)args.skbaddr) in tracepoint:skb:kfree_skb');
      }
      if (scope.context === 'xdp' && typer.kernelEnv?.xdpLoadBytes && !typer.kernelEnv.xdpLoadBytes()) {
        return void c.report(E.CaptureUnsupported, 'this kernel cannot copy XDP frames for capture() (bpf_xdp_load_bytes came in Linux 5.18)', c.call.span, `capture at tc:IFACE:ingress instead: it sees the same packets once the kernel has made an sk_buff`);
      }
      typer.captures.set(c.call, { reasonProbes: [] });
      return;
    }
    const type = typer.type(skb, scope);
    if (!type) return;
    if (type.kind !== 'int' || !type.pointer || !/^struct sk_buff\s*\*$/.test(type.pointer.ctype.trim())) {
      return void c.report(E.CaptureArgument, `capture() takes a struct sk_buff pointer; this is ${type.kind === 'int' && type.pointer ? type.pointer.ctype : 'not one'}`, skb.span, 'cast an address: capture((struct sk_buff *)args.skbaddr)');
    }
    const btf = typer.kernelEnv?.btf?.();
    const layout = btf && captureSkbLayout(btf);
    if (!layout) return void c.report(E.CaptureUnsupported, "this kernel's struct sk_buff lacks the fields capture() reads (head, data, len, tail, mac_header, network_header, dev)", skb.span);
    const previous = typer.captures.get(c.call);
    const entry: CaptureCall = previous?.skbLayout ? previous : { skbLayout: layout, reasonProbes: [] };
    const reason = dropReason(c);
    if (reason) {
      entry.reason = reason.expr;
      entry.reasonNames = reason.names;
      if (!entry.reasonProbes.includes(scope.probeText)) entry.reasonProbes.push(scope.probeText);
    }
    typer.captures.set(c.call, entry);
  },
  emit({ call, f, exprs, next, emitCapture }) {
    const checked = f.checked.captures?.get(call);
    if (!checked) throw new Error('internal: capture() the checker did not record');
    const skb = call.args[0] ? exprs.emit(call.args[0], next) : undefined;
    const reasonHere = checked.reason && checked.reasonProbes.includes(f.probe?.text ?? '');
    const reason = reasonHere ? exprs.emit(checked.reason!, next) : undefined;
    emitCapture(checked, skb, reason);
  },
};

/** The `args.reason` node made for each call: the same node every round of checking, so its read plan is kept. */
const reasonNodes = new WeakMap<Call, Expr>();

/** `args.reason`, typed in this probe, when the probe's args have an integer `reason` (kfree_skb's drop reason). */
function dropReason(c: CallCheck): { expr: Expr; names?: EnumNames } | undefined {
  const args = c.scope.probe?.args;
  const has = args?.kind === 'record' ? args.fields.some((a) => a.name === 'reason' && a.type?.kind === 'int') : args?.kind === 'btf' && args.params.some((p) => p.name === 'reason');
  if (!has) return undefined;
  let expr = reasonNodes.get(c.call);
  if (!expr) {
    const span = c.call.span;
    const object: Ident = { kind: 'Ident', name: 'args', span };
    const field: FieldAccess = { kind: 'Field', object, name: 'reason', arrow: false, nameSpan: span, span };
    expr = field;
    reasonNodes.set(c.call, expr);
  }
  const type = c.typer.type(expr, c.scope);
  if (!type || type.kind !== 'int') return undefined;
  return { expr, names: type.enum };
}
