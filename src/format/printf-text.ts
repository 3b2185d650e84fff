// Formats one printf event in user space: C's rules for numbers and widths, and every
// value through its own printer (src/format/values.ts), so an address given to %s prints
// as an address, exactly as it would as a map key.
import type { Type } from '../model/types.js';
import type { DecodedValue } from '../model/decode-value.js';
import { escapeBytes, formatValue } from './values.js';
import type { ConversionPiece, FormatPiece } from '../events/format-string.js';

export interface PrintfArgument {
  type: Type;
  value: DecodedValue;
}

export function formatPrintf(pieces: FormatPiece[], args: PrintfArgument[]): string {
  let out = '';
  let next = 0;
  for (const piece of pieces) {
    if (piece.kind === 'text') out += piece.text;
    else out += formatConversion(piece, args[next++]);
  }
  return out;
}

function formatConversion(c: ConversionPiece, arg: PrintfArgument | undefined): string {
  if (!arg) return c.spec;
  const left = c.flags.includes('-');
  let body: string;
  let zeroPadAllowed = false;
  switch (c.conversion) {
    case 's': {
      body = formatValue(arg.type, arg.value);
      if (c.precision !== undefined) body = body.slice(0, c.precision);
      break;
    }
    case 'r':
    case 'rx':
      body = Buffer.isBuffer(arg.value) ? escapeBytes(arg.value, c.conversion === 'rx') : formatValue(arg.type, arg.value);
      break;
    case 'c':
      body = String.fromCharCode(Number(BigInt.asUintN(8, asInteger(arg))));
      break;
    default: {
      body = formatInteger(c, asInteger(arg));
      zeroPadAllowed = c.precision === undefined;
    }
  }
  const width = c.width ?? 0;
  if (body.length >= width) return body;
  if (left) return body.padEnd(width);
  if (zeroPadAllowed && c.flags.includes('0')) {
    // Zeros go after the sign or the 0x prefix: %05d of -42 is -0042.
    const prefix = /^([-+ ]|0[xX])/.exec(body)?.[0] ?? '';
    return prefix + body.slice(prefix.length).padStart(width - prefix.length, '0');
  }
  return body.padStart(width);
}

function formatInteger(c: ConversionPiece, n: bigint): string {
  let digits: string;
  let sign = '';
  switch (c.conversion) {
    case 'd':
    case 'i': {
      const v = BigInt.asIntN(64, n);
      digits = (v < 0n ? -v : v).toString();
      sign = v < 0n ? '-' : c.flags.includes('+') ? '+' : c.flags.includes(' ') ? ' ' : '';
      break;
    }
    case 'u':
      digits = BigInt.asUintN(64, n).toString();
      break;
    case 'x':
    case 'p':
      digits = BigInt.asUintN(64, n).toString(16);
      break;
    case 'X':
      digits = BigInt.asUintN(64, n).toString(16).toUpperCase();
      break;
    case 'o':
      digits = BigInt.asUintN(64, n).toString(8);
      break;
    default:
      digits = n.toString();
  }
  if (c.precision !== undefined) digits = digits.padStart(c.precision, '0');
  const alternate = c.conversion === 'p' || (c.flags.includes('#') && n !== 0n);
  const prefix = alternate && (c.conversion === 'x' || c.conversion === 'p') ? '0x' : alternate && c.conversion === 'X' ? '0X' : alternate && c.conversion === 'o' ? '0' : '';
  return sign + prefix + digits;
}

function asInteger(arg: PrintfArgument): bigint {
  const v = arg.value;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return 0n;
}
