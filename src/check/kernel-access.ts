// Types the expressions that read kernel data: `args.NAME` (tracepoint fields, BTF
// arguments), `retval`, field access through BTF-typed pointers (`args.skb->len`,
// `args.sk->__sk_common.skc_dport`), pointer casts (`(struct sock *)args.skaddr`) and the
// packet model through an sk_buff (`args.skb.ip.src`). For each such expression it
// records, per probe, a KernelRead plan that codegen turns into loads.
//
// `.` and `->` mean the same: through a pointer both dereference, on an embedded struct
// both step into it, as bpftrace users expect either to work.
import type { Cast, Expr, FieldAccess, Ident } from '../model/ast.js';
import type { Btf } from '../btf/reader.js';
import { findMember, memberNames, resolved, structOf } from '../btf/resolve.js';
import type { BtfStruct } from '../btf/types.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HEADERS, isHeaderName } from '../packet/model.js';
import type { HeaderName } from '../model/header-name.js';
import type { BtfArg } from '../model/probe-args.js';
import type { ResolvedProbe } from '../model/probe.js';
import { closestN } from '../util/did-you-mean.js';
import { btfValue } from './btf-values.js';
import type { KernelEnv } from '../model/kernel-env.js';
import type { KernelRead, KernelReads, PointerSource, SkbLayout } from '../model/kernel-read.js';
import { bool, sameType, typeName, u64, type Type } from '../model/types.js';

/** `arg0`, `arg1` ...: raw arguments. */
const RAW_ARG = /^arg(\d+)$/;

/** The parts of Scope this pass needs (check/infer.ts's Scope has them). */
export interface KernelScope {
  probeText: string;
  probe?: ResolvedProbe;
}

type Node =
  | { kind: 'args' }
  /** A readable value; `read` is absent when plain codegen computes it (a cast, a variable). */
  | { kind: 'value'; type: Type; read?: KernelRead; expr: Expr }
  /** Kernel memory at pointer+offset holding BTF type `btfType` (not read yet). */
  | { kind: 'place'; pointer: PointerSource; offset: number; btfType: number; name: string; bitOffset: number; bitSize: number }
  /** `args.skb.ip`: a packet header through an sk_buff pointer. */
  | { kind: 'skbHeader'; skb: PointerSource; layout: SkbLayout; header: HeaderName };

export class KernelAccess {
  /** The first type each expression got, to check that a block's probes agree on it. */
  private readonly firstType = new Map<Expr, { type: Type; probe: string }>();

  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly env: KernelEnv,
    readonly reads: KernelReads,
    /** Types an expression the ordinary way (for casts' operands and pointer variables). */
    private readonly typeOther: (e: Expr, scope: KernelScope) => Type | undefined,
  ) {}

  /** Whether this pass types `e` (its chain starts at args, retval or a pointer cast, or goes through a pointer). */
  owns(e: Expr): boolean {
    if (e.kind === 'Ident') return e.name === 'args' || e.name === 'retval' || RAW_ARG.test(e.name);
    if (e.kind === 'Cast') return isPointerCast(e);
    if (e.kind === 'Field') {
      let root: Expr = e;
      while (root.kind === 'Field') root = root.object;
      if (root.kind === 'Ident') return root.name === 'args' || root.name === 'retval' || RAW_ARG.test(root.name);
      if (root.kind === 'Cast') return isPointerCast(root);
      // `$sk->field`: a variable (or map value) that holds a kernel pointer.
      return root.kind === 'Var' || root.kind === 'Map';
    }
    return false;
  }

  /** The type of an owned expression, recording its read plan; undefined after a diagnostic. */
  type(e: Expr, scope: KernelScope): Type | undefined {
    const node = this.node(e, scope, true);
    if (!node) return undefined;
    return this.finish(node, e, scope);
  }

  /** `top`: e is the expression being typed; below it, casts are typed the ordinary way so their type is recorded for codegen. */
  private node(e: Expr, scope: KernelScope, top = false): Node | undefined {
    if (e.kind === 'Ident') return this.root(e, scope);
    if (e.kind === 'Cast') {
      const type = top ? this.cast(e, scope) : this.typeOther(e, scope);
      return type && { kind: 'value', type, expr: e };
    }
    if (e.kind !== 'Field') {
      const type = this.typeOther(e, scope);
      if (!type) return undefined;
      return { kind: 'value', type, expr: e };
    }
    const object = this.node(e.object, scope);
    if (!object) return undefined;
    return this.member(object, e, scope);
  }

  private root(e: Ident, scope: KernelScope): Node | undefined {
    const args = scope.probe?.args;
    const raw = RAW_ARG.exec(e.name);
    if (raw) return this.rawArgument(Number(raw[1]), e, scope);
    if (e.name === 'args') {
      if (!args) return this.fail(E.NotInThisProbe, `'args' cannot be read in ${scope.probeText}`, e, 'args exist in tracepoint, rawtracepoint, fentry/fexit and kprobe probes');
      return { kind: 'args' };
    }
    // retval
    if (!args || args.kind !== 'btf' || !args.retval) {
      return this.fail(E.NotInThisProbe, `'retval' cannot be read in ${scope.probeText}`, e, 'retval is the return value in fexit and kretprobe probes');
    }
    return this.btfArgument(args.retval, args.registers ? args.registers.retval : args.params.length, e, args.registers !== undefined);
  }

  /** `argN`: argument N as a raw u64, as bpftrace has it (a register in kprobes, a context slot in BTF probes). */
  private rawArgument(n: number, e: Ident, scope: KernelScope): Node | undefined {
    const args = scope.probe?.args;
    if (!args || args.kind !== 'btf') {
      return this.fail(E.NotInThisProbe, `'${e.name}' cannot be read in ${scope.probeText}`, e, 'arg0, arg1 ... are the raw arguments of kprobe, fentry/fexit and rawtracepoint probes');
    }
    const count = args.registers ? args.registers.args.length : args.params.length;
    if (n >= count) {
      const why = args.registers ? `a kprobe reads the ${count} arguments passed in registers` : `${scope.probeText} has ${count} argument${count === 1 ? '' : 's'}`;
      return this.fail(E.NotInThisProbe, `'${e.name}' does not exist in ${scope.probeText}: ${why}`, e, count > 0 ? `arg0 .. arg${count - 1}` : '');
    }
    const as = { kind: 'int' as const, signed: false };
    const read: KernelRead = args.registers ? { kind: 'register', offset: args.registers.args[n], size: 8, as } : { kind: 'arg', index: n, size: 8, as };
    return { kind: 'value', type: u64, read, expr: e };
  }

  private member(object: Node, e: FieldAccess, scope: KernelScope): Node | undefined {
    switch (object.kind) {
      case 'args':
        return this.argument(e, scope);
      case 'skbHeader': {
        const fields = HEADERS[object.header].fields;
        if (!fields[e.name]) return this.unknownField(`${object.header}`, e, Object.keys(fields));
        return { kind: 'value', type: fields[e.name].type, read: { kind: 'skb', skb: object.skb, layout: object.layout, header: object.header, field: e.name }, expr: e };
      }
      case 'value':
        return this.throughPointer(object, e);
      case 'place': {
        const btf = this.btf(e)!;
        const t = resolved(btf, object.btfType);
        if (t?.kind === 'ptr') {
          // A pointer member (skb->sk): read it, then follow it.
          const loaded = this.finishPlace(object, e.object);
          return loaded && this.throughPointer({ kind: 'value', type: loaded.type, read: loaded.read, expr: e.object }, e);
        }
        const s = structOf(btf, object.btfType);
        if (!s) return this.fail(E.TypeMismatch, `'${object.name}' is ${typeName(this.describePlace(object))}, which has no fields`, e);
        return this.structMember(s, object.pointer, object.offset, e);
      }
    }
  }

  /** `ptr->name`: a member of the struct the pointer points at, or a packet header of an sk_buff. */
  private throughPointer(object: Extract<Node, { kind: 'value' }>, e: FieldAccess): Node | undefined {
    const t = object.type;
    const target = t.kind === 'int' ? t.pointer : undefined;
    if (!target) {
      return this.fail(E.TypeMismatch, `${typeName(t)} has no fields`, e, 'a kernel address in an integer becomes a typed pointer with a cast: (struct sock *)x');
    }
    const btf = this.btf(e);
    if (!btf) return undefined;
    const s = structOf(btf, target.btfType);
    if (!s) return this.fail(E.TypeMismatch, `'${target.ctype}' does not point at a struct, so it has no field '${e.name}'`, e);
    const pointer: PointerSource = object.read ? { read: object.read } : { expr: object.expr };
    if (s.name === 'sk_buff' && isHeaderName(e.name) && !findMember(btf, s, e.name)) {
      if (e.name === 'vlan') return this.fail(E.UnknownField, `the VLAN tag is not readable through an sk_buff yet`, e, 'read it at the packet hooks instead: xdp/tc probes have vlan.id');
      const layout = skbLayout(btf);
      if (!layout) return this.fail(E.TypeMismatch, `this kernel's struct sk_buff lacks the fields the packet model reads`, e);
      return { kind: 'skbHeader', skb: pointer, layout, header: e.name };
    }
    return this.structMember(s, pointer, 0, e);
  }

  private structMember(s: BtfStruct, pointer: PointerSource, base: number, e: FieldAccess): Node | undefined {
    const btf = this.btf(e)!;
    const found = findMember(btf, s, e.name);
    if (!found) {
      const extra = s.name === 'sk_buff' ? ['ip', 'ip6', 'tcp', 'udp', 'icmp', 'eth'] : [];
      return this.unknownField(`${s.kind} ${s.name || '(anon)'}`, e, [...memberNames(btf, s), ...extra]);
    }
    const bitOffset = found.bitOffset;
    return {
      kind: 'place',
      pointer,
      offset: base + Math.floor(bitOffset / 8),
      btfType: found.member.type,
      name: e.name,
      bitOffset: found.member.bitSize ? bitOffset % 8 : 0,
      bitSize: found.member.bitSize,
    };
  }

  /** `args.NAME` of the probe being checked. */
  private argument(e: FieldAccess, scope: KernelScope): Node | undefined {
    const args = scope.probe!.args!;
    if (args.kind === 'record') {
      const field = args.fields.find((f) => f.name === e.name);
      if (!field) return this.unknownField(scope.probeText, e, args.fields.map((f) => f.name), 'argument');
      if (!field.type || !field.read) return this.fail(E.TypeMismatch, `${scope.probeText}: ${field.unsupported ?? `args.${e.name} cannot be read`}`, e);
      return { kind: 'value', type: field.type, read: field.read, expr: e };
    }
    const index = args.params.findIndex((p) => p.name === e.name);
    if (index === -1) return this.unknownField(scope.probeText, e, args.params.map((p) => p.name), 'argument');
    if (!args.registers) return this.btfArgument(args.params[index], index, e, false);
    if (index >= args.registers.args.length) {
      return this.fail(E.TypeMismatch, `'${e.name}' is argument ${index + 1}, which the calling convention passes on the stack; kprobes read only the first ${args.registers.args.length}`, e, `fentry:${scope.probeText.split(':')[1]} reads every argument`);
    }
    return this.btfArgument(args.params[index], args.registers.args[index], e, true);
  }

  /**
   * A BTF-typed argument: `at` is its slot in the u64 array of a BTF context (tp_btf,
   * fentry/fexit), or, `inRegister`, its register's offset in a kprobe's struct pt_regs.
   */
  private btfArgument(arg: BtfArg, at: number, e: Expr, inRegister: boolean): Node | undefined {
    const btf = this.btf(e);
    if (!btf) return undefined;
    const v = btfValue(btf, arg.btfType, { name: arg.name, enumOverride: arg.enum });
    if (v.kind === 'unsupported') return this.fail(E.TypeMismatch, v.why, e);
    if (v.kind === 'struct') return this.fail(E.TypeMismatch, `'${arg.name}' is a struct passed by value (${arg.ctype}), which nettrace cannot read yet`, e);
    if (v.as.kind !== 'int') return this.fail(E.TypeMismatch, `'${arg.name}' (${arg.ctype}) cannot be read from a register`, e);
    const read: KernelRead = inRegister ? { kind: 'register', offset: at, size: v.size, as: v.as } : { kind: 'arg', index: at, size: v.size, as: v.as };
    return { kind: 'value', type: v.type, read, expr: e };
  }

  /** Turns a node into a value: reads a place, refuses structs and `args` itself. */
  private finish(node: Node, e: Expr, scope: KernelScope): Type | undefined {
    let type: Type;
    let read: KernelRead | undefined;
    switch (node.kind) {
      case 'args': {
        const args = scope.probe!.args!;
        const names = args.kind === 'record' ? args.fields.map((f) => f.name) : args.params.map((p) => p.name);
        return this.fail(E.TypeMismatch, `'args' is not a value: read one of its fields`, e, `args of ${scope.probeText}: ${names.join(', ') || '(none)'}`);
      }
      case 'skbHeader':
        type = bool;
        read = { kind: 'skb', skb: node.skb, layout: node.layout, header: node.header };
        break;
      case 'value':
        type = node.type;
        read = node.read;
        break;
      case 'place': {
        const v = this.finishPlace(node, e);
        if (!v) return undefined;
        ({ type, read } = v);
        break;
      }
    }
    if (read && scope.probe) this.record(e, scope.probe, read);
    return this.agree(e, type, scope) ? type : undefined;
  }

  private finishPlace(node: Extract<Node, { kind: 'place' }>, e: Expr): { type: Type; read: KernelRead } | undefined {
    const btf = this.btf(e)!;
    const v = btfValue(btf, node.btfType, { name: node.name, bitSize: node.bitSize });
    if (v.kind === 'unsupported') return this.fail(E.TypeMismatch, v.why, e);
    if (v.kind === 'struct') {
      const fields = memberNames(btf, v.struct);
      return this.fail(E.TypeMismatch, `'${node.name}' is ${v.struct.kind} ${v.struct.name || '(anon)'}: read one of its fields`, e, `fields: ${abbreviate(fields)}`);
    }
    if (node.bitSize) {
      // A bitfield: read the bytes that hold it, then shift and mask.
      const bytes = Math.ceil((node.bitOffset + node.bitSize) / 8);
      const size = [1, 2, 4, 8].find((s) => s >= bytes) ?? 8;
      const signed = v.as.kind === 'int' && v.as.signed;
      return { type: v.type, read: { kind: 'deref', pointer: node.pointer, offset: node.offset, size, as: { kind: 'int', signed, bitOffset: node.bitOffset, bitSize: node.bitSize } } };
    }
    return { type: v.type, read: { kind: 'deref', pointer: node.pointer, offset: node.offset, size: v.size, as: v.as } };
  }

  private describePlace(node: Extract<Node, { kind: 'place' }>): Type {
    const v = btfValue(this.env.btf!()!, node.btfType, { name: node.name });
    return v.kind === 'value' ? v.type : u64;
  }

  /** `(struct sock *)x`: x must be an integer (a kernel address). */
  cast(e: Cast, scope: KernelScope): Type | undefined {
    const inner = this.typeOther(e.expr, scope);
    const btf = this.btf(e);
    if (!btf) return undefined;
    const m = /^(struct|union)\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(e.typeName.trim());
    if (!m || e.pointer !== 1) {
      return this.fail(E.TypeMismatch, `cannot cast to '${e.typeName} ${'*'.repeat(e.pointer)}'`, e, 'pointer casts name a kernel struct: (struct sock *)x');
    }
    const id = btf.find(m[2], m[1] as 'struct' | 'union');
    if (id === undefined) return this.fail(E.UnknownIdentifier, `this kernel has no ${m[1]} ${m[2]}`, e, 'the kernel\'s structs are in its BTF: /sys/kernel/btf/vmlinux');
    if (!inner) return undefined;
    if (inner.kind !== 'int') return this.fail(E.TypeMismatch, `cannot cast ${typeName(inner)} to ${m[1]} ${m[2]} *`, e, 'a pointer cast takes an integer holding a kernel address');
    return { ...u64, show: 'hex', pointer: { btfType: id, ctype: `${m[1]} ${m[2]} *` } };
  }

  private record(e: Expr, probe: ResolvedProbe, read: KernelRead): void {
    let perProbe = this.reads.get(e);
    if (!perProbe) this.reads.set(e, (perProbe = new Map()));
    perProbe.set(probe, read);
  }

  /** One expression has one type in every probe of its block: codegen keys types by expression. */
  private agree(e: Expr, type: Type, scope: KernelScope): boolean {
    const first = this.firstType.get(e);
    if (!first) {
      this.firstType.set(e, { type, probe: scope.probeText });
      return true;
    }
    if (sameType(first.type, type)) return true;
    this.fail(E.TypeMismatch, `this is ${typeName(first.type)} in ${first.probe} but ${typeName(type)} in ${scope.probeText}`, e, 'put probes whose arguments differ in separate blocks');
    return false;
  }

  private btf(e: Expr): Btf | undefined {
    const btf = this.env.btf?.();
    if (!btf) this.fail(E.ProbeNotSupported, 'reading kernel structs needs the kernel\'s BTF (/sys/kernel/btf/vmlinux), which this kernel does not have', e);
    return btf;
  }

  private unknownField(owner: string, e: FieldAccess, names: string[], what = 'field'): undefined {
    const near = closestN(e.name, names, 3);
    const hints = near.length ? [`closest ${what}s: ${near.join(', ')}`] : [];
    hints.push(`${what}s of ${owner}: ${abbreviate(names)}`);
    this.diagnostics.push(error(E.UnknownField, `${owner} has no ${what} '${e.name}'`, e.nameSpan, ...hints));
    return undefined;
  }

  private fail(entry: { code: string; summary: string }, message: string, at: Expr, ...hints: string[]): undefined {
    this.diagnostics.push(error(entry, message, at.span, ...hints));
    return undefined;
  }
}

export function isPointerCast(e: Cast): boolean {
  return e.pointer > 0 && /^(struct|union)\s/.test(e.typeName.trim());
}

function abbreviate(names: string[], max = 24): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, ... (${names.length - max} more)`;
}

const layouts = new WeakMap<Btf, SkbLayout | null>();

/** Where struct sk_buff keeps what the packet model needs, in this kernel. */
function skbLayout(btf: Btf): SkbLayout | undefined {
  let layout = layouts.get(btf);
  if (layout === undefined) {
    const id = btf.find('sk_buff', 'struct');
    const s = id === undefined ? undefined : structOf(btf, id);
    const at = (name: string) => (s ? findMember(btf, s, name) : undefined);
    const fields = { len: at('len'), head: at('head'), protocol: at('protocol'), networkHeader: at('network_header'), macHeader: at('mac_header') };
    const ok = Object.values(fields).every((f) => f !== undefined && f.member.bitSize === 0);
    layout = ok
      ? {
          len: fields.len!.bitOffset / 8,
          head: fields.head!.bitOffset / 8,
          protocol: fields.protocol!.bitOffset / 8,
          networkHeader: fields.networkHeader!.bitOffset / 8,
          macHeader: fields.macHeader!.bitOffset / 8,
        }
      : null;
    layouts.set(btf, layout);
  }
  return layout ?? undefined;
}

