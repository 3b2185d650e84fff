// Panel headers that say what a map holds: `@[ip.src]` rather than `@`, taken from the
// source text of the first place the program writes the map with keys.
import type { Program } from '../model/ast.js';

interface MapNode {
  kind: 'Map';
  name: string;
  keys: { span: { start: { offset: number }; end: { offset: number } } }[];
}

export function mapLabels(ast: Program, source: string): Map<string, string> {
  const labels = new Map<string, string>();
  walk(ast, (node) => {
    const displayName = `@${node.name}`;
    const existing = labels.get(displayName);
    if (existing !== undefined && existing !== displayName) return; // a keyed label is already known
    const keys = node.keys.map((k) => source.slice(k.span.start.offset, k.span.end.offset).replace(/\s+/g, ' '));
    labels.set(displayName, keys.length > 0 ? `${displayName}[${keys.join(', ')}]` : displayName);
  });
  return labels;
}

/** Visits every map reference, in source order, without knowing every node kind. */
function walk(node: unknown, visit: (m: MapNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.kind === 'Map' && typeof record.name === 'string' && Array.isArray(record.keys)) visit(record as unknown as MapNode);
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'span' && key !== 'nameSpan' && key !== 'calleeSpan') walk(value, visit);
  }
}
