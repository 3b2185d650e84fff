// The abstract syntax tree: what the parser builds and every later pass reads.
// Every node carries the span of source text it came from, so any pass can attach a
// diagnostic to exactly the characters the user wrote.

export interface Position {
  /** 0-based character offset into the source text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface Span {
  start: Position;
  /** Exclusive end. */
  end: Position;
}

interface Node {
  span: Span;
}

export interface Program extends Node {
  kind: 'Program';
  blocks: ProbeBlock[];
}

/** `probe[, probe...] [/predicate/] { statements }` or the one-liner form `< statements >`. */
export interface ProbeBlock extends Node {
  kind: 'ProbeBlock';
  probes: ProbeSpec[];
  predicate?: Expr;
  body: Stmt[];
  form: 'brace' | 'angle';
}

/**
 * A probe as written: `xdp:eth0` is provider "xdp" with parts ["eth0"];
 * `tracepoint:sock:inet_sock_set_state` is provider "tracepoint" with two parts;
 * `BEGIN` has no parts. Parts may contain wildcards (`*`, `?`); resolving what they
 * mean is the checker's job, so the parser stays ignorant of probe kinds.
 */
export interface ProbeSpec extends Node {
  kind: 'ProbeSpec';
  provider: string;
  parts: string[];
  text: string;
}

// ---- statements ----

export type Stmt = ExprStmt | MapAssign | VarAssign | IfStmt | BlockStmt;

export interface ExprStmt extends Node {
  kind: 'ExprStmt';
  expr: Expr;
}

/** `=`, or a compound operator such as `+=` (op holds the arithmetic part: "+"). */
export type AssignOp = '=' | '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';

export interface MapAssign extends Node {
  kind: 'MapAssign';
  target: MapRef;
  op: AssignOp;
  value: Expr;
}

export interface VarAssign extends Node {
  kind: 'VarAssign';
  target: Var;
  op: AssignOp;
  value: Expr;
}

export interface IfStmt extends Node {
  kind: 'If';
  cond: Expr;
  then: Stmt[];
  /** `else if` is an else branch holding a single If. */
  else?: Stmt[];
}

export interface BlockStmt extends Node {
  kind: 'Block';
  body: Stmt[];
}

// ---- expressions ----

export type Expr =
  | IntLit
  | StrLit
  | BoolLit
  | AddrLit
  | MacLit
  | Ident
  | FieldAccess
  | IndexAccess
  | MapRef
  | Var
  | Call
  | Binary
  | Unary
  | Ternary
  | Cast
  | SetLit;

export interface IntLit extends Node {
  kind: 'Int';
  value: bigint;
}

export interface StrLit extends Node {
  kind: 'Str';
  /** Escapes already decoded. */
  value: string;
}

export interface BoolLit extends Node {
  kind: 'Bool';
  value: boolean;
}

/** `10.0.0.1`, `10.0.0.0/8`, `fe80::1`, `2001:db8::/32`. Bytes in network order. */
export interface AddrLit extends Node {
  kind: 'Addr';
  family: 4 | 6;
  bytes: number[];
  /** Present for CIDR literals. */
  prefix?: number;
}

/** `aa:bb:cc:dd:ee:ff` */
export interface MacLit extends Node {
  kind: 'Mac';
  bytes: number[];
}

/** A bare name: a builtin (`pid`, `nsecs`), a header (`ip`, `tcp`), `args`, an action (`drop`). */
export interface Ident extends Node {
  kind: 'Ident';
  name: string;
}

/** `x.name` or `x->name` (both mean the same in nettrace; `->` is accepted for bpftrace users). */
export interface FieldAccess extends Node {
  kind: 'Field';
  object: Expr;
  name: string;
  arrow: boolean;
  /** Span of the field name alone, for "no field X" diagnostics. */
  nameSpan: Span;
}

/**
 * `x[i]` or `x[i:size]` after a name: bytes at an offset as tcpdump writes them
 * (`ip[6:2]`, `tcp[13]`, `pkt[0:4]`), or the second VLAN tag (`vlan[1]`). What the
 * object may be, and the size, are the checker's to decide.
 */
export interface IndexAccess extends Node {
  kind: 'Index';
  object: Expr;
  index: Expr;
  /** `:size` as written; absent means 1 byte. */
  size?: Expr;
}

/** `@name`, `@name[k]`, `@name[k1, k2]`, `@[k]` (name is "" for the anonymous map `@`). */
export interface MapRef extends Node {
  kind: 'Map';
  name: string;
  keys: Expr[];
}

/** `$name` */
export interface Var extends Node {
  kind: 'Var';
  name: string;
}

/** `name(args)`: builtins such as count(), printf(), hist(), exit(). */
export interface Call extends Node {
  kind: 'Call';
  callee: string;
  calleeSpan: Span;
  args: Expr[];
}

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '&' | '|' | '^' | '<<' | '>>'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '&&' | '||'
  | 'in';

export interface Binary extends Node {
  kind: 'Binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

export type UnaryOp = '-' | '!' | '~';

export interface Unary extends Node {
  kind: 'Unary';
  op: UnaryOp;
  operand: Expr;
}

export interface Ternary extends Node {
  kind: 'Ternary';
  cond: Expr;
  then: Expr;
  else: Expr;
}

/** `(u32)x`, `(struct sock *)x`: the type text as written, resolved by the checker. */
export interface Cast extends Node {
  kind: 'Cast';
  typeName: string;
  /** Number of `*` after the type name. */
  pointer: number;
  expr: Expr;
}

/** `{10.0.0.1, 10.0.0.2}`, `{22, 80, 443}`: a literal set, only on the right of `in`. */
export interface SetLit extends Node {
  kind: 'Set';
  elements: Expr[];
}
