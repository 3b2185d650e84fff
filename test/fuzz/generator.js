// A grammar-aware program generator and a token-level mutator for front-end fuzzing.
//
// Plain JavaScript with no imports, so the unit test (through vitest, from src/) and the
// bench's long fuzz run (bench/fuzz.js, from dist/) share it: the caller passes the
// vocabulary (vocabulary.js builds it from the checker's own tables, so every builtin,
// header field and probe kind added later is fuzzed without touching this file).
//
// Generation is type-directed: most programs are meant to compile, so that the checker,
// codegen and the LLVM backend see deep, varied, valid input; a few choices are wild
// (wrong types, unknown names, extreme literals) and the mutator breaks the rest.

/** mulberry32: small, seeded, reproducible. */
export function rng(seed) {
  let s = seed | 0;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (items) => items[Math.floor(next() * items.length)];
  next.chance = (p) => next() < p;
  return next;
}

const INT_LITERALS = ['0', '1', '2', '7', '42', '100', '255', '256', '1000', '65535', '65536', '0x1f', '0xff', '0xffffffff',
  '4294967296', '9223372036854775807', '9223372036854775808', '18446744073709551615', '-1', '-9223372036854775808'];
const ARITH = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>'];
const COMPARE = ['==', '!=', '<', '<=', '>', '>='];
const CASTS = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64'];
const NETS4 = ['10.0.0.0/8', '192.168.0.0/16', '198.18.0.0/15', '0.0.0.0/0', '1.2.3.4/32'];
const NETS6 = ['fe80::/10', '2001:db8::/32', '::/0'];
const ADDRS4 = ['10.0.0.1', '127.0.0.1', '198.18.0.1', '255.255.255.255'];
const ADDRS6 = ['::1', 'fe80::1', '2001:db8::42'];
const MACS = ['aa:bb:cc:dd:ee:ff', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff'];
const STRINGS = ['"x"', '""', '"eth0"', '"a\\tb\\n"', '"%d"'];
const PRINTF_FORMATS = ['"%d\\n"', '"%u %x\\n"', '"%s\\n"', '"%5d|%-4u|\\n"', '"%c%%\\n"', '"no args\\n"'];
const WILD_NAMES = ['foo', 'ip.scr', 'tcp.dprot', 'pkt.size', 'args.nope', 'retval', 'kstack', 'udp', 'ip6.src'];

/**
 * @param {number} seed
 * @param {{
 *   probes: { text: string, context: string }[],
 *   intLeaves: (context: string, probe: string) => string[],
 *   boolLeaves: (context: string, probe: string) => string[],
 *   keyLeaves: (context: string, probe: string) => { text: string, kind: string }[],
 *   aggregations: string[],
 *   actions: (context: string, probe: string) => string[],
 * }} vocab
 */
export function createGenerator(seed, vocab) {
  const r = rng(seed);

  function program() {
    const state = { maps: new Map(), nextMap: 0 };
    const blocks = [];
    // Mostly one block: small programs keep 10,000 of them (through LLVM's O2) fast, and
    // several blocks add little the checker and codegen do not see in one.
    const n = r.chance(0.85) ? 1 : 2 + r.int(2);
    for (let i = 0; i < n; i++) blocks.push(block(state));
    return blocks.join(r.chance(0.5) ? '\n' : ' ');
  }

  function block(state) {
    // Probes that share a block share a context, or the checker says which one lacks a name.
    const first = r.pick(vocab.probes);
    const probes = [first];
    if (r.chance(0.1)) probes.push(r.pick(r.chance(0.8) ? vocab.probes.filter((p) => p.context === first.context) : vocab.probes));
    const ctx = { context: first.context, probe: first.text, vars: new Map(), state, depth: 0 };
    const predicate = r.chance(0.3) ? ` /${boolExpr(ctx, 2)}/` : '';
    const angle = r.chance(0.3);
    const body = statements(ctx, 1 + r.int(r.chance(0.8) ? 2 : 4));
    const probeText = probes.map((p) => p.text).join(', ');
    return angle ? `${probeText}${predicate} < ${body} >` : `${probeText}${predicate} {${r.chance(0.5) ? '\n  ' : ' '}${body} }`;
  }

  function statements(ctx, n) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(statement(ctx));
    return out.join(r.chance(0.7) ? '; ' : ';\n  ');
  }

  function statement(ctx) {
    const roll = r();
    if (roll < 0.35) return mapStatement(ctx);
    if (roll < 0.5) return varStatement(ctx);
    if (roll < 0.62 && ctx.depth < 3) return ifStatement(ctx);
    if (roll < 0.7) return `printf(${r.pick(PRINTF_FORMATS)}${r.chance(0.7) ? ', ' + intExpr(ctx, 1) : ''})`;
    if (roll < 0.78) return mapCall(ctx);
    if (roll < 0.83) {
      const actions = vocab.actions(ctx.context, ctx.probe);
      return actions.length && r.chance(0.8) ? r.pick(actions) : r.pick(['drop', 'pass', 'tx']);
    }
    if (roll < 0.86) return 'exit()';
    if (roll < 0.9 && ctx.depth < 3) {
      ctx.depth++;
      const s = `{ ${statements(ctx, 1 + r.int(2))} }`;
      ctx.depth--;
      return s;
    }
    return mapStatement(ctx);
  }

  /**
   * Which blocks may share a map: packet probes and timers all see the same names, while a
   * tracepoint's or a kernel function's `args` are its own.
   */
  function mapScope(ctx) {
    return ['xdp', 'skb', 'none'].includes(ctx.context) ? ctx.context : `${ctx.context}|${ctx.probe}`;
  }

  /** A map used consistently: the same key kinds and value kind on every assignment. */
  function mapFor(ctx, wantScalar) {
    const existing = [...ctx.state.maps.values()].filter((m) => m.scope === mapScope(ctx) && m.scalar === wantScalar);
    if (existing.length && r.chance(0.6)) return existing[r.int(existing.length)];
    const leaves = vocab.keyLeaves(ctx.context, ctx.probe);
    const keyCount = r.chance(0.15) ? 0 : 1 + r.int(r.chance(0.8) ? 1 : 3);
    const keys = [];
    for (let i = 0; i < keyCount; i++) keys.push(r.pick(leaves).kind);
    const name = r.chance(0.25) && ![...ctx.state.maps.keys()].includes('') ? '' : `m${ctx.state.nextMap++}`;
    const agg = r.pick(vocab.aggregations);
    const map = { name, keys, scope: mapScope(ctx), scalar: wantScalar, agg };
    ctx.state.maps.set(name, map);
    return map;
  }

  function mapRef(ctx, map) {
    if (map.keys.length === 0) return `@${map.name}`;
    const leaves = vocab.keyLeaves(ctx.context, ctx.probe);
    const keys = map.keys.map((kind) => {
      if (kind === 'int' && r.chance(0.5)) return intExpr(ctx, 1);
      const fit = leaves.filter((l) => l.kind === kind);
      return (fit.length && !r.chance(0.03) ? r.pick(fit) : r.pick(leaves)).text;
    });
    return `@${map.name}[${keys.join(', ')}]`;
  }

  function aggCall(ctx, agg) {
    switch (agg) {
      case 'count': return 'count()';
      case 'lhist': return `lhist(${intExpr(ctx, 1)}, 0, ${r.pick(['100', '1000', '10'])}, ${r.pick(['10', '1', '7'])})`;
      default: return `${agg}(${intExpr(ctx, 1)})`;
    }
  }

  function mapStatement(ctx) {
    const scalar = r.chance(0.25);
    const map = mapFor(ctx, scalar);
    const ref = mapRef(ctx, map);
    if (!scalar) return `${ref} = ${aggCall(ctx, r.chance(0.95) ? map.agg : r.pick(vocab.aggregations))}`;
    const roll = r();
    if (roll < 0.5) return `${ref} = ${intExpr(ctx, 2)}`;
    if (roll < 0.8) return `${ref} ${r.pick(ARITH)}= ${intExpr(ctx, 1)}`;
    return `${ref}${r.pick(['++', '--'])}`;
  }

  function mapCall(ctx) {
    const maps = [...ctx.state.maps.values()];
    const map = maps.length ? r.pick(maps) : mapFor(ctx, false);
    switch (r.int(5)) {
      case 0: return map.keys.length ? `delete(${mapRef(ctx, map)})` : `delete(@${map.name})`;
      case 1: return `clear(@${map.name})`;
      case 2: return `zero(@${map.name})`;
      case 3: return `print(@${map.name}${r.chance(0.5) ? ', ' + r.pick(['1', '3', '10', '0']) : ''})`;
      default: return `print(@${map.name})`;
    }
  }

  function varStatement(ctx) {
    const existing = [...ctx.vars.keys()];
    if (existing.length && r.chance(0.3)) return `$${r.pick(existing)} ${r.pick(ARITH)}= ${intExpr(ctx, 1)}`;
    const name = r.chance(0.5) && existing.length ? r.pick(existing) : `v${ctx.vars.size}`;
    const isBool = r.chance(0.2) && !ctx.vars.has(name);
    const value = isBool || ctx.vars.get(name) === 'bool' ? boolExpr(ctx, 2) : intExpr(ctx, 2);
    if (!ctx.vars.has(name)) ctx.vars.set(name, isBool ? 'bool' : 'int');
    return `$${name} = ${value}`;
  }

  function ifStatement(ctx) {
    ctx.depth++;
    // Variables first assigned inside a branch stay local to it in this generator.
    const saved = new Map(ctx.vars);
    let s = `if (${boolExpr(ctx, 2)}) { ${statements(ctx, 1 + r.int(2))} }`;
    ctx.vars = new Map(saved);
    if (r.chance(0.3)) {
      s += ` else if (${boolExpr(ctx, 1)}) { ${statements(ctx, 1)} }`;
      ctx.vars = new Map(saved);
    }
    if (r.chance(0.4)) {
      s += ` else { ${statements(ctx, 1 + r.int(2))} }`;
      ctx.vars = new Map(saved);
    }
    ctx.depth--;
    return s;
  }

  function intLeaf(ctx) {
    const vars = [...ctx.vars].filter(([, t]) => t === 'int').map(([n]) => `$${n}`);
    const scalarMaps = [...ctx.state.maps.values()].filter((m) => m.scope === mapScope(ctx) && (m.scalar || m.agg === 'count' || m.agg === 'sum'));
    const roll = r();
    if (roll < 0.3) return r.pick(INT_LITERALS);
    if (roll < 0.45 && vars.length) return r.pick(vars);
    if (roll < 0.5 && scalarMaps.length) return mapRef(ctx, r.pick(scalarMaps));
    if (roll < 0.52) return r.pick(WILD_NAMES);
    const leaves = vocab.intLeaves(ctx.context, ctx.probe);
    return leaves.length ? r.pick(leaves) : r.pick(INT_LITERALS);
  }

  function intExpr(ctx, depth) {
    if (depth <= 0 || r.chance(0.4)) return intLeaf(ctx);
    const roll = r();
    if (roll < 0.55) return `(${intExpr(ctx, depth - 1)} ${r.pick(ARITH)} ${intExpr(ctx, depth - 1)})`;
    if (roll < 0.65) return `${r.pick(['-', '~'])}${intExpr(ctx, depth - 1)}`;
    if (roll < 0.78) return `(${boolExpr(ctx, depth - 1)} ? ${intExpr(ctx, depth - 1)} : ${intExpr(ctx, depth - 1)})`;
    if (roll < 0.92) return `(${r.pick(CASTS)})${intExpr(ctx, depth - 1)}`;
    return `(${intExpr(ctx, depth - 1)})`;
  }

  function boolExpr(ctx, depth) {
    const roll = r();
    if (depth <= 0 || roll < 0.15) {
      const leaves = vocab.boolLeaves(ctx.context, ctx.probe);
      return leaves.length && r.chance(0.7) ? r.pick(leaves) : r.pick(['true', 'false', '1', '0']);
    }
    if (roll < 0.55) return `(${intExpr(ctx, depth - 1)} ${r.pick(COMPARE)} ${intExpr(ctx, depth - 1)})`;
    if (roll < 0.7) return `(${boolExpr(ctx, depth - 1)} ${r.pick(['&&', '||'])} ${boolExpr(ctx, depth - 1)})`;
    if (roll < 0.78) return `!${boolExpr(ctx, depth - 1)}`;
    if (roll < 0.9) {
      const keys = vocab.keyLeaves(ctx.context, ctx.probe);
      const v4 = keys.filter((k) => k.kind === 'ipv4');
      const v6 = keys.filter((k) => k.kind === 'ipv6');
      if (v4.length && r.chance(0.6)) return `(${r.pick(v4).text} in ${r.pick(NETS4)})`;
      if (v6.length) return `(${r.pick(v6).text} in ${r.pick(NETS6)})`;
    }
    // Address, MAC and string equality, and a few type errors on purpose.
    const keys = vocab.keyLeaves(ctx.context, ctx.probe);
    const byKind = (kind) => keys.filter((k) => k.kind === kind).map((k) => k.text);
    const options = [
      ...byKind('ipv4').map((t) => `(${t} == ${r.pick(ADDRS4)})`),
      ...byKind('ipv6').map((t) => `(${t} != ${r.pick(ADDRS6)})`),
      ...byKind('mac').map((t) => `(${t} == ${r.pick(MACS)})`),
      `(${r.pick(STRINGS)} == ${r.pick(STRINGS)})`,
    ];
    return r.pick(options);
  }

  return { program, random: r };
}

// ---- mutation ----

/** Splits program text into tokens and the whitespace between them (joining gives it back). */
export function roughTokens(text) {
  return text.match(/\s+|"(?:[^"\\]|\\.)*"?|0x[0-9a-fA-F]+|[0-9a-fA-F:.]+\/\d+|[A-Za-z_$@][A-Za-z0-9_]*|\d+|->|<<=?|>>=?|[<>=!]=|&&|\|\||\+\+|--|[+\-*/%&|^]=|./g) ?? [];
}

const MUTATION_TOKENS = ['{', '}', '<', '>', '(', ')', '[', ']', ';', ',', '/', '?', ':', '=', '==', '>', '>=', '>>', '@', '$', '@x', '$x', '.',
  '->', '!', '-', '~', '*', '"', '/*', '//', '\n', 'if', 'else', 'in', 'count()', 'ip', 'ip.src', 'pkt.len', '(u8)', '(struct sock *)',
  '0', '-1', '18446744073709551616', '99999999999999999999999', '1.2.3.4', '1.2.3.4/33', 'fe80::1', '::/129', 'aa:bb:cc:dd:ee:ff', 'BEGIN', 'xdp:', 'xdp:lo'];

/**
 * Applies 1..4 random edits at token granularity: delete, duplicate, swap neighbours,
 * replace with another token of the program or a hostile one, or truncate.
 */
export function mutate(text, r) {
  let tokens = roughTokens(text);
  const edits = 1 + r.int(4);
  for (let i = 0; i < edits && tokens.length > 0; i++) {
    const at = r.int(tokens.length);
    switch (r.int(7)) {
      case 0: tokens.splice(at, 1 + r.int(3)); break;
      case 1: tokens.splice(at, 0, ...tokens.slice(at, at + 1 + r.int(4))); break;
      case 2: if (at + 1 < tokens.length) [tokens[at], tokens[at + 1]] = [tokens[at + 1], tokens[at]]; break;
      case 3: tokens[at] = r.pick(tokens); break;
      case 4: tokens[at] = r.pick(MUTATION_TOKENS); break;
      case 5: tokens.splice(at, 0, r.pick(MUTATION_TOKENS)); break;
      default: tokens = tokens.slice(0, at); break;
    }
  }
  return tokens.join('');
}
