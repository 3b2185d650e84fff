// Which text lexes as which address literal. Only the *shape* is decided here; values and
// ranges (octet <= 255, prefix <= 32/128, group <= ffff) are checked when the AST is built
// (src/parser/literals.ts), so a literal of the right shape but a wrong value gets NT0106
// with its own span instead of falling apart into confusing tokens.
//
// The rules, tried in this order before numbers and identifiers:
//   MAC   exactly six groups of exactly two hex digits joined by ':' (aa:bb:cc:dd:ee:ff),
//         not followed by another ':' or name character.
//   IPv6  a run of hex digits and ':' (optionally ending in a dotted IPv4 part) that
//         contains '::', or has exactly 8 groups (7 colons), or 7 groups ending in an IPv4
//         part. Anything else with colons is not an address: `cond?1:2`, `c?a:b` and
//         `10:20` lex as ternary pieces. A MAC has 5 colons and no '::', so it never
//         qualifies, which is what makes MAC win over IPv6.
//   IPv4  digits '.' digits ... (two or more dots-separated numbers); four parts is an
//         address, other counts are a malformed address (NT0106), never int '.' int.
//   CIDR  an IPv4 or IPv6 literal immediately followed by '/' and digits. So inside a
//         predicate `/ip.src == 10.0.0.1/ {` still ends the predicate (a space or '{'
//         follows the '/').
// Probe text never reaches these: in probe position the probe pattern is tried first.
type Match = [string] | null;

const MAC = /[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![0-9A-Za-z_:])/y;
const V6_RUN = /[0-9A-Fa-f:]+/y;
const V4_TAIL = /(?:\.[0-9]+){3}/y;
const V4 = /[0-9]+(?:\.[0-9]+)+/y;
const PREFIX = /\/[0-9]+/y;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function withPrefix(text: string, end: number): number {
  PREFIX.lastIndex = end;
  return PREFIX.exec(text) ? PREFIX.lastIndex : end;
}

export function matchMac(text: string, offset: number): Match {
  MAC.lastIndex = offset;
  const m = MAC.exec(text);
  return m ? [m[0]] : null;
}

export function matchIpv6(text: string, offset: number): Match {
  const first = text.charCodeAt(offset);
  if (!isHex(first) && first !== 58 /* : */) return null;
  V6_RUN.lastIndex = offset;
  const run = V6_RUN.exec(text);
  if (!run) return null;
  let end = offset + run[0].length;
  const colons = run[0].split(':').length - 1;
  if (colons === 0) return null;
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) follows a last group of decimal digits.
  let hasV4 = false;
  if (text.charCodeAt(end) === 46 /* . */ && /:[0-9]+$/.test(run[0])) {
    V4_TAIL.lastIndex = end;
    if (V4_TAIL.exec(text)) {
      end = V4_TAIL.lastIndex;
      hasV4 = true;
    }
  }
  const shaped = run[0].includes('::') || colons === 7 || (hasV4 && colons === 6);
  if (!shaped) return null;
  return [text.slice(offset, withPrefix(text, end))];
}

export function matchIpv4(text: string, offset: number): Match {
  V4.lastIndex = offset;
  if (!V4.exec(text)) return null;
  return [text.slice(offset, withPrefix(text, V4.lastIndex))];
}
