// Where each map is first assigned, as written: its keys' names, the statement's text and
// its block's probes. The compiled description carries these (MapDescription.origin) so
// that `--serve` can name labels and write HELP even for a program the cache handed back
// without parsing it again.
import type { Expr, Program, Stmt } from '../model/ast.js';
import type { MapOrigin } from '../model/compiled-program.js';

/** By map name ("" for `@`): the first assignment in source order. */
export function mapOrigins(ast: Program, text: string): Map<string, MapOrigin> {
  const origins = new Map<string, MapOrigin>();
  for (const block of ast.blocks) {
    const probes = block.probes.map((p) => p.text).join(', ');
    const visit = (stmts: Stmt[]) => {
      for (const s of stmts) {
        if (s.kind === 'MapAssign' && !origins.has(s.target.name)) {
          origins.set(s.target.name, { keys: s.target.keys.map(keyName), statement: statementText(text, s.span.start.offset, s.span.end.offset), probes });
        } else if (s.kind === 'If') {
          visit(s.then);
          if (s.else) visit(s.else);
        } else if (s.kind === 'Block') visit(s.body);
      }
    };
    visit(block.body);
  }
  return origins;
}

/** `ip.src`, `args.skb.len`, `$port`, `cpu`; undefined for anything computed. */
function keyName(e: Expr): string | undefined {
  if (e.kind === 'Var') return `$${e.name}`;
  if (e.kind === 'Ident') return e.name;
  if (e.kind === 'Field') {
    const object = keyName(e.object);
    return object === undefined || object.startsWith('$') ? undefined : `${object}.${e.name}`;
  }
  return undefined;
}

/** The statement on one line, whitespace runs folded (HELP text is one line). */
function statementText(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/\s+/g, ' ').trim();
}
