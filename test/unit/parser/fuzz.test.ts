// Property: for any input string, parse() either returns a Program or throws a
// DiagnosticError whose diagnostics are well formed (catalogue code, span inside the text).
// Never any other exception. Inputs are seeded, so a failure reproduces.
import { describe, expect, it } from 'vitest';
import type { Program, Span } from '../../../src/model/ast.js';
import { allCatalogueEntries } from '../../../src/diagnostics/catalogue.js';
import { DiagnosticError } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';

function rng(seed: number): () => number {
  // mulberry32
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'xdp:eth0 < @[ip.src] = count() >',
  'tc:veth0:ingress /ip.src in 10.0.0.0/8 && tcp.dport == 443/ { @bytes[ip.dst] = sum(pkt.len) }',
  'BEGIN { printf("hello %s\\n", "world") } END { clear(@m); exit() }',
  'interval:s:1 { print(@m, 10); zero(@m) }',
  'xdp:eth0 { if (ip.len > 1000) { drop } else if (ip6) { @v6++ } else { $x = (u32)ip.ttl ? 1 : 2 } }',
  'tracepoint:sock:inet_sock_set_state { @s[args.newstate] = count(); $p = (struct sock *)args.skaddr; }',
  'xdp:eth0 /eth.src == aa:bb:cc:dd:ee:ff || ip6.dst == fe80::1 || ip6.src in 2001:db8::/32/ { @m[eth.dst] = hist(pkt.len) }',
  '#!/usr/bin/env nettrace\n// comment\nt:net:*, kprobe:tcp_* /* c */ < @[cpu] = lhist(nsecs, 0, 100, 10) >',
  'fentry:tcp_v4_rcv { $a = args->skb->len; $b = -$a * ~3 % 0x1f << 2 >> 1; $c = $a != 1 && !($b <= 2) }',
];

const ALPHABET = 'abcxyz_019 \n\t@$:.,;/*?<>=!~+-%&|^()[]{}"\\#\'`0xff:fe80';
const VOCAB = [
  'xdp:eth0', 'BEGIN', 'END', '{', '}', '<', '>', '>=', '>>', '/', '(', ')', '[', ']', ';', ',', '?', ':', '=', '+=', '++', '--',
  '@', '@m', '$x', 'ip.src', 'count()', 'if', 'else', 'in', '10.0.0.1', '10.0.0.0/8', '::1', 'aa:bb:cc:dd:ee:ff', '"s"', '"',
  '1', '0x1f', '(u32)', '(struct sock *)', '->', '.', '!', '-', '*', '&&', '||', '//', '/*', '*/', '\n', ' ',
];

const catalogue = new Set(allCatalogueEntries().map((e) => e.code));

function checkSpan(span: Span, text: string): void {
  expect(span.start.offset).toBeGreaterThanOrEqual(0);
  expect(span.end.offset).toBeLessThanOrEqual(text.length);
  expect(span.start.offset).toBeLessThanOrEqual(span.end.offset);
  expect(span.start.line).toBeGreaterThanOrEqual(1);
  expect(span.start.column).toBeGreaterThanOrEqual(1);
}

function checkSpans(node: unknown, text: string): void {
  if (Array.isArray(node)) {
    for (const n of node) checkSpans(n, text);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'span' || key === 'nameSpan' || key === 'calleeSpan') checkSpan(value as Span, text);
    else checkSpans(value, text);
  }
}

/** Parse and check the contract; returns whether it parsed. */
function holds(text: string): boolean {
  let program: Program;
  try {
    program = parse(text);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw new Error(`non-diagnostic exception for ${JSON.stringify(text)}: ${String(e)}`);
    expect(e.diagnostics.length).toBeGreaterThan(0);
    for (const d of e.diagnostics) {
      expect(catalogue.has(d.code), `${d.code} for ${JSON.stringify(text)}`).toBe(true);
      expect(d.message).not.toMatch(/internal/);
      expect(d.message).not.toMatch(/\{"expected"/);
      if (d.span) checkSpan(d.span, text);
    }
    return false;
  }
  expect(program.kind).toBe('Program');
  expect(program.blocks.length).toBeGreaterThan(0);
  checkSpans(program, text);
  return true;
}

describe('parse() never throws anything but DiagnosticError', () => {
  it('the seed programs parse', () => {
    for (const s of SEEDS) expect(holds(s), s).toBe(true);
  });

  it('random strings over the language alphabet', () => {
    const r = rng(1);
    for (let i = 0; i < 1500; i++) {
      const n = Math.floor(r() * 60);
      let s = '';
      for (let j = 0; j < n; j++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
      holds(s);
    }
  });

  it('random token soups', () => {
    const r = rng(2);
    let parsed = 0;
    for (let i = 0; i < 1500; i++) {
      const n = 1 + Math.floor(r() * 25);
      const words: string[] = [];
      for (let j = 0; j < n; j++) words.push(VOCAB[Math.floor(r() * VOCAB.length)]!);
      if (holds(words.join(r() < 0.5 ? ' ' : ''))) parsed++;
    }
    expect(parsed).toBeGreaterThanOrEqual(0);
  });

  it('mutations of valid programs', () => {
    const r = rng(3);
    for (let i = 0; i < 2000; i++) {
      let s = SEEDS[Math.floor(r() * SEEDS.length)]!;
      const edits = 1 + Math.floor(r() * 4);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(r() * (s.length + 1));
        const len = Math.floor(r() * 6);
        const pick = r();
        if (pick < 0.3) s = s.slice(0, at) + s.slice(at + len); // delete
        else if (pick < 0.6) s = s.slice(0, at) + VOCAB[Math.floor(r() * VOCAB.length)] + s.slice(at); // insert a token
        else if (pick < 0.8) s = s.slice(0, at) + ALPHABET[Math.floor(r() * ALPHABET.length)] + s.slice(at + 1); // replace a char
        else s = s.slice(0, at) + s.slice(at, at + len).repeat(2) + s.slice(at + len); // duplicate
      }
      holds(s);
    }
  });

  it('odd characters: unicode, control characters, surrogate halves, NUL', () => {
    for (const s of ['\u0000', 'BEGIN { @a = "é" }', 'BEGIN { @é = 1 }', '💩', 'BEGIN {\ud83d}', '\r\n\r\n', 'BEGIN\u2028{ }', '\uFEFFBEGIN { }']) holds(s);
  });
});
