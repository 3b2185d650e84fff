// Literal text to values. The lexer decided the *kind* of each literal by its shape
// (lexer/literal-patterns.ts); here the value is decoded and its range checked. Each
// function returns the value or a problem: a message and the [start, end) offsets within
// the literal text that are wrong, which the caller turns into an NT0106 / NT0108 span.

export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string; from?: number; to?: number };

const ok = <T>(value: T): Decoded<T> => ({ ok: true, value });
const bad = <T>(message: string, from?: number, to?: number): Decoded<T> => ({ ok: false, message, from, to });

const U64_MAX = (1n << 64n) - 1n;

/**
 * Integers: decimal `1000`, `1_000`; hex `0x1f`; octal `0755` (a leading 0, as in C and
 * bpftrace); binary `0b1010`; exponent `1e6` (bpftrace). '_' separates digits (not first,
 * not last, not doubled). A C suffix `u`, `l`, `ul`, `ll`, `ull` (any case) is accepted
 * for bpftrace compatibility and has no effect. Values must fit in 64 bits.
 */
export function decodeInt(text: string): Decoded<bigint> {
  const m = /^(.*?)(u|l|ul|lu|ll|ull|llu)?$/i.exec(text)!;
  const body = m[1]!;
  let digits: string;
  let radix: number;
  if (/^0[xX]/.test(body)) {
    digits = body.slice(2);
    radix = 16;
    if (!/^[0-9A-Fa-f](?:_?[0-9A-Fa-f])*$/.test(digits)) return bad(`'${text}' is not a valid hexadecimal number`);
  } else if (/^0[bB]/.test(body)) {
    digits = body.slice(2);
    radix = 2;
    if (!/^[01](?:_?[01])*$/.test(digits)) return bad(`'${text}' is not a valid binary number`);
  } else if (/^[0-9](?:_?[0-9])*[eE][0-9]+$/.test(body)) {
    const [mantissa, exponent] = body.replace(/_/g, '').split(/[eE]/) as [string, string];
    if (exponent.length > 3) return bad(`'${text}' does not fit in 64 bits`);
    const value = BigInt(mantissa) * 10n ** BigInt(exponent);
    return value > U64_MAX ? bad(`'${text}' does not fit in 64 bits`) : ok(value);
  } else if (/^0(?:_?[0-9])+$/.test(body)) {
    digits = body.slice(1);
    radix = 8;
    if (/[89]/.test(digits)) return bad(`'${text}' starts with 0, so it is octal, and octal has no digits 8 or 9`);
  } else {
    digits = body;
    radix = 10;
    if (!/^[0-9](?:_?[0-9])*$/.test(digits)) return bad(`'${text}' is not a valid number`);
  }
  const clean = digits.replace(/_/g, '');
  let value = 0n;
  const base = BigInt(radix);
  for (const c of clean) {
    value = value * base + BigInt(parseInt(c, 16));
    if (value > U64_MAX) return bad(`'${text}' does not fit in 64 bits`);
  }
  return ok(value);
}

export interface Address {
  bytes: number[];
  prefix?: number;
}

function splitPrefix(text: string, max: number): Decoded<{ addr: string; prefix?: number }> {
  const slash = text.indexOf('/');
  if (slash === -1) return ok({ addr: text });
  const digits = text.slice(slash + 1);
  const prefix = Number(digits);
  if (digits.length > 3 || prefix > max) {
    return bad(`the prefix length /${digits} is larger than ${max}`, slash, text.length);
  }
  return ok({ addr: text.slice(0, slash), prefix });
}

/** `10.0.0.1`, `10.0.0.0/8`: four decimal octets, each 0..255, no leading zeros. */
export function decodeIpv4(text: string): Decoded<Address> {
  const split = splitPrefix(text, 32);
  if (!split.ok) return split;
  const octets = parseOctets(split.value.addr, 0);
  if (!octets.ok) return octets;
  return ok({ bytes: octets.value, prefix: split.value.prefix });
}

/** Four dotted octets starting at `base` within the literal (for error offsets). */
function parseOctets(text: string, base: number): Decoded<number[]> {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return bad(`an IPv4 address has four numbers separated by '.', '${text}' has ${parts.length}`, base, base + text.length);
  }
  const bytes: number[] = [];
  let at = base;
  for (const p of parts) {
    if (p.length > 1 && p.startsWith('0')) {
      return bad(`'${p}' in an IPv4 address has a leading zero (write it without, to avoid reading it as octal)`, at, at + p.length);
    }
    const n = Number(p);
    if (p.length > 3 || n > 255) return bad(`${p} is not an IPv4 octet: each number is 0 to 255`, at, at + p.length);
    bytes.push(n);
    at += p.length + 1;
  }
  return ok(bytes);
}

/** `fe80::1`, `::1`, `2001:db8::/32`, `::ffff:1.2.3.4`: RFC 4291 text form. */
export function decodeIpv6(text: string): Decoded<Address> {
  const split = splitPrefix(text, 128);
  if (!split.ok) return split;
  const addr = split.value.addr;
  const invalid = bad<Address>(`'${addr}' is not a valid IPv6 address`, 0, addr.length);
  const halves = addr.split('::');
  if (halves.length > 2) return bad(`an IPv6 address has at most one '::', '${addr}' has more`, 0, addr.length);

  // Each side of '::' is a list of groups; the last group of the address may be IPv4.
  const groupsOf = (side: string, isLast: boolean): number[] | undefined => {
    if (side === '') return [];
    const out: number[] = [];
    const groups = side.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (isLast && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseOctets(g, 0);
        if (!v4.ok) return undefined;
        const [a, b, c, d] = v4.value as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) {
        out.push(parseInt(g, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };

  const head = groupsOf(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1]!, true) : [];
  if (!head || !tail) return invalid;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return invalid;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return invalid;
    groups = head;
  }
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  return ok({ bytes, prefix: split.value.prefix });
}

/** `aa:bb:cc:dd:ee:ff` (the lexer guarantees the shape). */
export function decodeMac(text: string): Decoded<number[]> {
  return ok(text.split(':').map((h) => parseInt(h, 16)));
}

/**
 * A string literal with its quotes (the closing one may be missing: the lexer reported
 * that). Escapes: \n \t \r \0 \\ \" \' and \xHH.
 */
export function decodeString(text: string): Decoded<string> {
  const end = text.length >= 2 && text.endsWith('"') && !isEscapedQuote(text) ? text.length - 1 : text.length;
  let out = '';
  for (let i = 1; i < end; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[i + 1];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case 'x': {
        const hex = text.slice(i + 2, i + 4);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return bad('\\x needs two hex digits, as in \\x1b', i, Math.min(end, i + 4));
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        if (e === undefined || i + 1 >= end) return bad('a backslash at the end of a string escapes nothing', i, i + 1);
        return bad(`unknown escape '\\${e}' (known: \\n \\t \\r \\0 \\\\ \\" \\' \\xHH)`, i, i + 2);
    }
    i++;
  }
  return ok(out);
}

/** True when the final quote of `text` is itself escaped (`"abc\"` is unterminated). */
function isEscapedQuote(text: string): boolean {
  let backslashes = 0;
  for (let i = text.length - 2; i >= 1 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}
