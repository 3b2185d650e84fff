// printf format strings: parsed once by the checker (to check the arguments) and again
// by the runtime (to format each event). Conversions are C's, as bpftrace users know
// them: %d %i %u %x %X %o %c %s %p and %%, with flags (- 0 + space #), a width, a
// precision, and C's length modifiers (h hh l ll z j t), which are accepted and ignored
// because every argument already carries its own type.

/** `r` and `rx` print a buf() value, as bpftrace: escaped text and hex bytes. */
export type Conversion = 'd' | 'i' | 'u' | 'x' | 'X' | 'o' | 'c' | 's' | 'p' | 'r' | 'rx';

export interface TextPiece {
  kind: 'text';
  text: string;
}

export interface ConversionPiece {
  kind: 'conversion';
  conversion: Conversion;
  flags: string;
  width?: number;
  precision?: number;
  /** As written, `%-8lu`, for messages. */
  spec: string;
  /** Offset of the `%` in the format string. */
  offset: number;
}

export type FormatPiece = TextPiece | ConversionPiece;

export interface FormatError {
  message: string;
  offset: number;
  length: number;
}

const CONVERSIONS = new Set<string>(['d', 'i', 'u', 'x', 'X', 'o', 'c', 's', 'p', 'r']);
const SPEC = /^%([-0+ #]*)(\d+)?(?:\.(\d+))?(hh|h|ll|l|z|j|t)?(.?)/;

export function parseFormat(format: string): FormatPiece[] | FormatError {
  const pieces: FormatPiece[] = [];
  let text = '';
  for (let i = 0; i < format.length; ) {
    const c = format[i];
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    if (format[i + 1] === '%') {
      text += '%';
      i += 2;
      continue;
    }
    const match = SPEC.exec(format.slice(i))!;
    const [written, flags, width, precision, , letter] = match;
    // %rx is the one conversion of two letters.
    const conversion = letter === 'r' && format[i + written.length] === 'x' ? 'rx' : letter;
    const spec = conversion === 'rx' ? `${written}x` : written;
    if (conversion === '') return { message: "the format string ends in the middle of a '%' conversion", offset: i, length: spec.length };
    if (!CONVERSIONS.has(letter)) {
      return { message: `'%${conversion}' is not a printf conversion nettrace knows`, offset: i, length: spec.length };
    }
    if (text) pieces.push({ kind: 'text', text });
    text = '';
    pieces.push({
      kind: 'conversion',
      conversion: conversion as Conversion,
      flags,
      width: width === undefined ? undefined : Number(width),
      precision: precision === undefined ? undefined : Number(precision),
      spec,
      offset: i,
    });
    i += spec.length;
  }
  if (text) pieces.push({ kind: 'text', text });
  return pieces;
}

export function isFormatError(p: FormatPiece[] | FormatError): p is FormatError {
  return !Array.isArray(p);
}

export function conversions(pieces: FormatPiece[]): ConversionPiece[] {
  return pieces.filter((p): p is ConversionPiece => p.kind === 'conversion');
}

/** Conversions that print a number: they need an integer or a boolean argument. */
export function isNumericConversion(c: Conversion): boolean {
  return c !== 's' && !isBufferConversion(c);
}

/** %r and %rx: they need a buf() value. */
export function isBufferConversion(c: Conversion): boolean {
  return c === 'r' || c === 'rx';
}
