// Types every expression, bottom-up, and records the results. Errors are collected, not
// thrown: an expression that fails to type gets `undefined` and its parents stay quiet,
// so one mistake yields one diagnostic.
import type { Binary, Call, Expr, FieldAccess, Ident, IndexAccess, Span } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HEADERS, isHeaderName, PKT_FIELDS } from '../packet/model.js';
import { withoutHostBits } from '../packet/network-prefix.js';
import type { ContextKind, ResolvedProbe } from '../model/probe.js';
import { closest } from '../util/did-you-mean.js';
import { isActionName } from './actions.js';
import { AGGREGATION_RECORDS, findAggregation } from '../aggregations/registry.js';
import { findValueBuiltin, VALUE_BUILTINS } from '../builtins/registry.js';
import { CALL_STATEMENTS, findCallStatement, findValueFunction, VALUE_FUNCTIONS } from '../functions/registry.js';
import { typeCast } from './casts.js';
import { typePacketIndex, typeVlanTagField } from './packet-index.js';
import { isInnerAccess, TUNNEL_NAME, typeInnerAccess, typeTunnel } from './tunnel-access.js';
import { ipProtoSpelling, looksLikeConstant, TCP_FLAG_BITS, type Constants } from './constants.js';
import { checkSetMembership } from './set-membership.js';
import { arithmeticType, unify } from './numeric.js';
import type { MapInfo } from '../model/checked.js';
import type { KernelAccess } from './kernel-access.js';
import type { KernelEnv } from '../model/kernel-env.js';
import type { CaptureCall, CaptureSkbLayout } from '../model/capture.js';
import { captureSkbLayout } from '../functions/capture-skb-layout.js';
import { bool, int, sameType, type EnumNames, type Type, typeName, u64, s64 } from '../model/types.js';

export interface Scope {
  context: ContextKind;
  probeText: string;
  vars: Map<string, Type>;
  /** The probe being checked, for what its `args` hold (tracepoints, BTF probes). */
  probe?: ResolvedProbe;
}

export class ExprTyper {
  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly types: Map<Expr, Type>,
    private readonly maps: Map<string, MapInfo>,
  ) {}

  /** Types what reads kernel data: args, retval, pointer casts, struct fields (kernel-access.ts). */
  kernel?: KernelAccess;

  /** Resolves symbolic constants (TCP_ESTABLISHED, NO_SOCKET, SYN) against the kernel (constants.ts). */
  constants?: Constants;
  /** The kernel compiled for: capture() asks it what it can copy (src/functions/capture.ts). */
  kernelEnv?: KernelEnv;
  /** Each capture() call, as the checker found it (CheckedProgram.captures). */
  readonly captures = new Map<Expr, CaptureCall>();
  /** Each pcap(SKB, "filter") call, with the sk_buff layout it reads through (CheckedProgram.pcapSkbs). */
  readonly pcapSkbs = new Map<Expr, CaptureSkbLayout>();
  /** The value of each name the checker resolved as a constant; codegen emits it as a number. */
  readonly constantValues = new Map<Expr, bigint>();
  /** The enum a constant is compared with (`args.reason == NO_SOCKET`), so it may use the printed short name. */
  private readonly constantContext = new Map<Expr, EnumNames>();

  type(e: Expr, scope: Scope): Type | undefined {
    if (this.spine.has(e)) return this.spine.get(e);
    const walked = e.kind === 'Binary' && e.left.kind === 'Binary' && !this.spine.has(e.left) ? this.typeLeftSpine(e, scope) : [];
    try {
      const t = this.compute(e, scope);
      if (t) this.types.set(e, t);
      return t;
    } finally {
      for (const n of walked) this.spine.delete(n);
    }
  }

  /** Types already computed for the left spine of the chain being typed (see typeLeftSpine). */
  private readonly spine = new Map<Expr, Type | undefined>();

  /**
   * A chain of binary operators (`a + b + c ...`, `x == 1 || x == 2 || ...`) nests to the
   * left as deep as it is long. Its left spine is typed here bottom-up in a loop, each
   * result remembered, so typing the top recurses one level per node instead of thousands
   * (parser/depth.ts limits every other kind of nesting).
   */
  private typeLeftSpine(top: Binary, scope: Scope): Expr[] {
    const nodes: Expr[] = [];
    for (let n: Expr = top.left; n.kind === 'Binary'; n = n.left) nodes.push(n);
    try {
      for (let i = nodes.length - 1; i >= 0; i--) this.spine.set(nodes[i]!, this.type(nodes[i]!, scope));
    } catch (e) {
      for (const n of nodes) this.spine.delete(n);
      throw e;
    }
    return nodes;
  }

  private compute(e: Expr, scope: Scope): Type | undefined {
    if (this.kernel?.owns(e)) return this.kernel.type(e, scope);
    switch (e.kind) {
      case 'Int':
        return e.value < 0n ? s64 : u64;
      case 'Bool':
        return bool;
      case 'Str':
        return { kind: 'str', size: Buffer.byteLength(e.value) + 1 };
      case 'Addr':
        if (e.prefix !== undefined) {
          this.report(E.TypeMismatch, `a network (${e.family === 4 ? 'CIDR' : 'prefix'}) is only valid on the right of 'in'`, e, 'write: ip.src in 10.0.0.0/8');
          return undefined;
        }
        return e.family === 4 ? int(32, false, 'ipv4') : { kind: 'bytes', size: 16, show: 'ipv6' };
      case 'Mac':
        return { kind: 'bytes', size: 6, show: 'mac' };
      case 'Ident':
        return this.ident(e, scope);
      case 'Field':
        return this.field(e, scope);
      case 'Index':
        return typePacketIndex(this, e, scope);
      case 'Var': {
        const t = scope.vars.get(e.name);
        if (!t) this.report(E.UndefinedVariable, `$${e.name} is used before it is assigned`, e);
        return t;
      }
      case 'Map':
        return this.mapRead(e, scope);
      case 'Call':
        return this.call(e, scope);
      case 'Binary':
        return this.binary(e, scope);
      case 'Unary': {
        const t = this.type(e.operand, scope);
        if (!t) return undefined;
        if (e.op === '!') return this.expectScalar(t, e.operand) ? bool : undefined;
        if (t.kind !== 'int') return this.mismatch(`'${e.op}' needs a number, not ${typeName(t)}`, e.operand);
        return e.op === '-' ? s64 : u64;
      }
      case 'Ternary': {
        const c = this.type(e.cond, scope);
        const a = this.type(e.then, scope);
        const b = this.type(e.else, scope);
        if (!c || !a || !b) return undefined;
        if (!this.expectScalar(c, e.cond)) return undefined;
        if (a.kind === 'int' && b.kind === 'int') return sameType(a, b) ? a : { ...u64, signed: a.signed || b.signed };
        // Strings of different lengths: the result is as long as the longer (codegen widens).
        if (a.kind === 'str' && b.kind === 'str') return a.size >= b.size ? a : b;
        if (!sameType(a, b)) return this.mismatch(`both branches of '?:' must have one type; found ${typeName(a)} and ${typeName(b)}`, e);
        return a;
      }
      case 'Cast':
        return typeCast(this, e, scope);
      case 'Set':
        return this.mismatch(`a set {...} is only valid on the right of 'in'`, e);
    }
  }

  private ident(e: Ident, scope: Scope): Type | undefined {
    if (e.name === TUNNEL_NAME) return typeTunnel(this, e, scope);
    if (isHeaderName(e.name) || e.name === 'pkt') {
      if (!this.hasPacket(scope)) return this.notInProbe(`'${e.name}'`, e, scope);
      if (e.name === 'pkt') return this.mismatch(`'pkt' alone is not a value; use pkt.len`, e);
      return bool; // "the packet has this header"
    }
    const builtin = findValueBuiltin(e.name);
    if (builtin) {
      if (builtin.contexts !== 'all' && !builtin.contexts.includes(scope.context)) return this.notInProbe(`'${e.name}'`, e, scope, builtin.contextHint);
      return builtin.type;
    }
    // As a statement an action never reaches here (statements.ts); anywhere else it is misplaced.
    if (isActionName(e.name)) return this.mismatch(`'${e.name}' is an action, a statement of its own, not a value`, e);
    const context = this.constantContext.get(e);
    const constant = this.constants?.resolve(e.name, context);
    if (constant !== undefined) {
      this.constantValues.set(e, constant);
      return constant < 0n ? s64 : u64;
    }
    if (looksLikeConstant(e.name)) return this.unknownConstant(e, context);
    const candidates = [...VALUE_BUILTINS.map((b) => b.name), ...Object.keys(HEADERS), 'pkt'];
    const guess = closest(e.name, candidates);
    this.report(E.UnknownIdentifier, `unknown name '${e.name}'`, e, guess ? `did you mean '${guess}'?` : '');
    return undefined;
  }

  private unknownConstant(e: Ident, context: EnumNames | undefined): undefined {
    const known = this.constants?.known(context) ?? Object.keys(TCP_FLAG_BITS);
    // NO_SOCKET where no enum is at hand to name it: the C name it is short for.
    const full = known.find((n) => n.endsWith(`_${e.name}`));
    const guess = full ?? closest(e.name, known);
    const where = context ? `the values of ${context.name} as nettrace prints them, ` : '';
    return this.report(
      E.UnknownConstant,
      `unknown constant '${e.name}'`,
      e,
      guess ? `did you mean '${guess}'?` : '',
      `constants are ${where}the kernel's enum values by their C names (TCP_ESTABLISHED, SKB_DROP_REASON_NO_SOCKET, IPPROTO_UDP) and the TCP flags ${Object.keys(TCP_FLAG_BITS).join(' ')}`,
    );
  }

  /**
   * Lets a constant on one side of `==`, `<`, `&` ... take its value from the enum of the
   * other side, through `|` and `~` (`args.reason == NO_SOCKET`, `x & (A|B)`).
   */
  private giveConstantContext(e: Expr, t: Type | undefined): void {
    if (t?.kind !== 'int' || !t.enum) return;
    if (e.kind === 'Ident') this.constantContext.set(e, t.enum);
    else if (e.kind === 'Binary' && ['|', '&', '^'].includes(e.op)) {
      this.giveConstantContext(e.left, t);
      this.giveConstantContext(e.right, t);
    } else if (e.kind === 'Unary' && e.op === '~') this.giveConstantContext(e.operand, t);
  }

  /** `ip.proto == udp`: udp is "the packet has a UDP header"; the number is IPPROTO_UDP. */
  private protocolNameClash(e: Binary, a: Type, b: Type): boolean {
    const [header, other] = e.right.kind === 'Ident' && b.kind === 'bool' ? [e.right, a] : e.left.kind === 'Ident' && a.kind === 'bool' ? [e.left, b] : [];
    const spelling = header?.kind === 'Ident' && isHeaderName(header.name) ? ipProtoSpelling(header.name) : undefined;
    if (!header || !spelling || other?.kind !== 'int') return false;
    this.report(
      E.ProtocolNameClash,
      `'${header.name}' is a boolean here (the packet has a ${header.name.toUpperCase()} header), not the protocol number`,
      header,
      `write ${spelling} for the protocol number, or test the header alone: /${header.name}/`,
    );
    return true;
  }

  private field(e: FieldAccess, scope: Scope): Type | undefined {
    if (e.object.kind === 'Index') return typeVlanTagField(this, e as FieldAccess & { object: IndexAccess }, scope);
    if (isInnerAccess(e)) return typeInnerAccess(this, e, scope);
    if (e.object.kind !== 'Ident') return this.mismatch('only header fields (ip.src) and pkt.len have fields so far', e);
    const base = e.object.name;
    if (base === 'pkt' || isHeaderName(base)) {
      if (!this.hasPacket(scope)) return this.notInProbe(`'${base}.${e.name}'`, e, scope);
      const fields: Record<string, { type: Type }> = base === 'pkt' ? PKT_FIELDS : HEADERS[base].fields;
      const spec = fields[e.name];
      if (spec) return spec.type;
      const guess = closest(e.name, Object.keys(fields));
      this.diagnostics.push(
        error(E.UnknownField, `${base} has no field '${e.name}'`, e.nameSpan, guess ? `did you mean '${guess}'?` : '', `${base} fields: ${Object.keys(fields).join(', ')}`),
      );
      return undefined;
    }
    return this.ident(e.object, scope) && this.mismatch(`'${base}' has no fields`, e);
  }

  private mapRead(e: Extract<Expr, { kind: 'Map' }>, scope: Scope): Type | undefined {
    const keyTypes = e.keys.map((k) => this.type(k, scope));
    const info = this.maps.get(e.name);
    if (!info) {
      const guess = closest(e.name, [...this.maps.keys()]);
      this.report(E.UndefinedVariable, `${e.name ? '@' + e.name : '@'} is read but never assigned`, e, guess !== undefined ? `did you mean '@${guess}'?` : '');
      return undefined;
    }
    if (info.keyTypes.length !== e.keys.length) {
      const wanted = info.keyTypes.length === 0 ? 'no key' : `${info.keyTypes.length} key${info.keyTypes.length === 1 ? '' : 's'}`;
      return this.report(E.MapKindConflict, `${info.displayName} has ${wanted}; here it is read with ${e.keys.length}`, e);
    }
    // Keys are written into the map's key layout: a read must use keys that fit it, as
    // delete(@m[k]) must (found by the front-end fuzzer: codegen had no way to store them).
    for (let i = 0; i < keyTypes.length; i++) {
      const t = keyTypes[i];
      if (t && !unify(info.keyTypes[i], t)) {
        return this.report(E.MapKindConflict, `${info.displayName} is keyed by ${typeName(info.keyTypes[i])} here, not ${typeName(t)}`, e.keys[i]);
      }
    }
    if (info.value.kind === 'scalar') return info.value.type;
    // Each CPU holds its own part of an aggregation; only user space sees the total.
    return this.report(
      E.AggregationMisuse,
      `${info.displayName} holds ${info.value.agg}(), whose total exists only when it is printed: it cannot be read in a probe`,
      e,
      `to test a running count in the kernel, keep a plain map as well: @n${e.keys.length ? '[...]' : ''}++`,
    );
  }

  private call(e: Call, scope: Scope): Type | undefined {
    if (findAggregation(e.callee)) {
      return this.report(E.AggregationMisuse, `${e.callee}() can only be assigned to a map: @name[key] = ${e.callee}(...)`, e);
    }
    const fn = findValueFunction(e.callee);
    if (fn) {
      const argTypes = e.args.map((a) => this.type(a, scope));
      const skbLayout = () => {
        const btf = this.kernelEnv?.btf?.();
        const layout = btf && captureSkbLayout(btf);
        if (layout) this.pcapSkbs.set(e, layout);
        return layout;
      };
      return fn.check({ call: e, argTypes, context: scope.context, skbLayout, report: (entry, message, span, ...hints) => this.reportAt(entry, message, span, ...hints) });
    }
    // Kept as NT0303: the name is known, but not as something that has a value.
    if (findCallStatement(e.callee)) return this.reportAt(E.UnknownFunction, `${e.callee}() is a statement of its own; it has no value`, e.calleeSpan);
    return this.unknownFunction(e);
  }

  unknownFunction(e: Call): undefined {
    const known = [...AGGREGATION_RECORDS, ...CALL_STATEMENTS, ...VALUE_FUNCTIONS].map((f) => f.name);
    const guess = closest(e.callee, known);
    this.diagnostics.push(error(E.UnknownFunction, `unknown function '${e.callee}'`, e.calleeSpan, guess ? `did you mean '${guess}'?` : ''));
    return undefined;
  }

  private binary(e: Binary, scope: Scope): Type | undefined {
    const takesContext = !['&&', '||', 'in'].includes(e.op);
    // `NO_SOCKET == args.reason`: the named side learns its enum from the other, typed first.
    if (takesContext && e.left.kind === 'Ident' && looksLikeConstant(e.left.name)) this.giveConstantContext(e.left, this.type(e.right, scope));
    const a = this.type(e.left, scope);
    if (e.op === 'in') return this.membership(e, a, scope);
    if (takesContext) this.giveConstantContext(e.right, a);
    const b = this.type(e.right, scope);
    if (!a || !b) return undefined;
    switch (e.op) {
      case '&&':
      case '||':
        return this.expectScalar(a, e.left) && this.expectScalar(b, e.right) ? bool : undefined;
      case '==':
      case '!=':
        if (a.kind === 'int' && b.kind === 'int') return bool;
        if (a.kind === 'bool' && b.kind === 'bool') return bool;
        if (sameType(a, b) && a.kind !== 'str') return bool;
        if (a.kind === 'str' && b.kind === 'str') return bool;
        if (this.protocolNameClash(e, a, b)) return undefined;
        return this.mismatch(`cannot compare ${typeName(a)} with ${typeName(b)}`, e);
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (a.kind === 'int' && b.kind === 'int') return bool;
        return this.mismatch(`'${e.op}' needs two numbers; found ${typeName(a)} and ${typeName(b)}`, e);
      default:
        if (a.kind === 'int' && b.kind === 'int') return arithmeticType(e.op, a, b, e.left, e.right);
        return this.mismatch(`'${e.op}' needs two numbers; found ${typeName(a)} and ${typeName(b)}`, e);
    }
  }

  /** `x in 10.0.0.0/8`: the right side must be a network literal of x's family. */
  private membership(e: Binary, left: Type | undefined, scope: Scope): Type | undefined {
    if (e.right.kind === 'Set') {
      // Named constants (`args.reason in {NO_SOCKET, TCP_CSUM}`) resolve as in `==`: in x's enum first.
      for (const el of e.right.elements) {
        if (el.kind !== 'Ident' || !looksLikeConstant(el.name)) continue;
        this.giveConstantContext(el, left);
        this.type(el, scope);
      }
      const constantOf = (el: Expr) => this.constantValues.get(el);
      return checkSetMembership(e.right, left, (entry, message, at, ...hints) => this.reportAt(entry, message, at.span, ...hints), constantOf);
    }
    const net = e.right;
    if (net.kind !== 'Addr' || net.prefix === undefined) {
      return this.mismatch(`the right of 'in' must be a network such as 10.0.0.0/8 or fe80::/10, or a set such as {22, 80}`, e.right);
    }
    const network = withoutHostBits(net.bytes, net.prefix, net.family);
    if (network) return this.report(E.NetworkHostBits, `${net.family === 4 ? 'IPv4' : 'IPv6'} network with bits set past its /${net.prefix} prefix`, net, `write ${network}, or compare one address with ==`);
    if (!left) return undefined;
    const isV4 = left.kind === 'int' && left.show === 'ipv4';
    const isV6 = left.kind === 'bytes' && left.show === 'ipv6';
    if ((net.family === 4 && !isV4) || (net.family === 6 && !isV6)) {
      return this.mismatch(`'in ${net.family === 4 ? 'IPv4' : 'IPv6'} network' needs an IPv${net.family} address on the left, not ${typeName(left)}`, e.left);
    }
    return bool;
  }

  expectScalar(t: Type, at: Expr): boolean {
    if (t.kind === 'int' || t.kind === 'bool') return true;
    this.mismatch(`a condition must be a number or a boolean, not ${typeName(t)}`, at);
    return false;
  }

  private hasPacket(scope: Scope): boolean {
    return scope.context === 'xdp' || scope.context === 'skb';
  }

  private notInProbe(what: string, e: Expr, scope: Scope, hint = 'packet headers exist in xdp and tc probes'): undefined {
    return this.report(E.NotInThisProbe, `${what} cannot be read in ${scope.probeText}`, e, hint);
  }

  private mismatch(message: string, at: Expr): undefined {
    return this.report(E.TypeMismatch, message, at);
  }

  report(entry: { code: string; summary: string }, message: string, at: Expr, ...hints: string[]): undefined {
    return this.reportAt(entry, message, at.span, ...hints);
  }

  private reportAt(entry: { code: string; summary: string }, message: string, span: Span, ...hints: string[]): undefined {
    this.diagnostics.push(error(entry, message, span, ...hints));
    return undefined;
  }
}
