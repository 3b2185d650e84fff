// Reading chevrotain CST nodes: children by label, tokens vs nodes, and offsets (CST
// locations have inclusive ends; spans have exclusive ones).
import type { CstElement, CstNode, IToken } from 'chevrotain';

export function isToken(e: CstElement): e is IToken {
  return (e as IToken).tokenType !== undefined;
}

export function one(elements: CstElement[] | undefined): CstNode {
  const e = elements?.[0];
  if (e === undefined || isToken(e)) throw new Error('internal: expected a CST node');
  return e;
}

export function nodes(elements: CstElement[] | undefined): CstNode[] {
  return (elements ?? []).filter((e): e is CstNode => !isToken(e));
}

export function token(elements: CstElement[] | undefined): IToken {
  const e = elements?.[0];
  if (e === undefined || !isToken(e)) throw new Error('internal: expected a token');
  return e;
}

export function tokens(elements: CstElement[] | undefined): IToken[] {
  return (elements ?? []).filter(isToken);
}

/** Exclusive end offset of a token. */
export function end(t: IToken): number {
  return t.startOffset + t.image.length;
}

export function startOf(e: CstElement): number {
  return isToken(e) ? e.startOffset : e.location!.startOffset;
}

/** Exclusive end offset (chevrotain's endOffset is inclusive). */
export function endOf(e: CstElement): number {
  return isToken(e) ? end(e) : e.location!.endOffset! + 1;
}

/** The first token of a CST element: follow the earliest child down. */
export function firstToken(e: CstElement): IToken {
  let current = e;
  while (!isToken(current)) {
    let earliest: CstElement | undefined;
    for (const children of Object.values(current.children)) {
      for (const child of children) {
        if (earliest === undefined || startOf(child) < startOf(earliest)) earliest = child;
      }
    }
    if (earliest === undefined) throw new Error('internal: empty CST node');
    current = earliest;
  }
  return current;
}
