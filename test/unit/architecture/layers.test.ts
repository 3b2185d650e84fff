// The compiler's folders form layers, and an import only goes down (or sideways within a
// layer): a lower layer never loads a higher one, and no folders import each other in a
// circle. Type-only imports are exempt (tsc erases them, so they load nothing), except on
// the ground floor, which names nothing above it at all. docs/architecture.md shows the
// same order.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderCircles, folderOf, importEdges, sourceFiles } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/**
 * Low to high. Why this order:
 * - util and version know nothing of nettrace; btf reads the kernel's BTF file format and
 *   knows nothing of nettrace either, which is what lets the model name its Btf type.
 * - model is the ground floor of nettrace itself: the types and records every stage shares
 *   (AST, types, the checked and the compiled program, kernel-read plans, event records,
 *   map readings, uapi numbers). diagnostics hang off the model's spans.
 * - Services and tables each stage may use: tracefs, the packet model, the lexer, the
 *   native addon's wrapper (below codegen, which emits through it, and the runtime, which
 *   loads through it), events (printf format strings), cache (compiled programs
 *   saved on disk; model data and files only) and capture (pcapng blocks and files).
 * - parser and probes build on those; aggregations, functions and builtins are records
 *   (check, emit, merge, print) that reach codegen only through types and context objects.
 * - format prints maps and values, and asks each aggregation record for its own text, so
 *   it sits above the records.
 * - Then the stages in pipeline order: check, codegen, runtime; serve, the metrics
 *   endpoint, which reads a running program (runtime) for the two entry points that
 *   offer it; lesson, the self-running lessons (sandbox, traffic, a nettrace child per
 *   lesson), which the CLI offers; and the entry points.
 */
const LAYERS: string[][] = [
  ['util', 'version'],
  ['btf'],
  ['model'],
  ['diagnostics'],
  ['tracefs', 'packet', 'lexer', 'native', 'events', 'cache', 'capture'],
  ['parser', 'probes'],
  ['aggregations', 'functions', 'builtins'],
  ['format'],
  ['check'],
  ['codegen'],
  ['runtime'],
  ['serve'],
  ['lesson'],
  ['compile', 'cli', 'repl', 'journey'],
];

/** Folders that may not even name a type from a higher layer. */
const GROUND_FLOOR = ['util', 'version', 'btf', 'model'];

const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((f) => [f, layer] as const)));

describe('import layering', () => {
  const edges = importEdges(SRC);

  it('every folder of src/ has a place in the layers', () => {
    const unplaced = [...new Set(sourceFiles(SRC).map(folderOf))].filter((f) => !layerOf.has(f));
    expect(unplaced, 'add the new folder to LAYERS (and to docs/architecture.md)').toEqual([]);
  });

  it('no import goes from a lower layer to a higher one (type-only imports aside)', () => {
    const upward = edges.filter((e) => !e.typeOnly && layerOf.get(folderOf(e.to))! > layerOf.get(folderOf(e.from))!);
    expect(upward.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('the ground floor names nothing above it, not even a type', () => {
    const upward = edges.filter((e) => GROUND_FLOOR.includes(folderOf(e.from)) && layerOf.get(folderOf(e.to))! > layerOf.get(folderOf(e.from))!);
    expect(upward.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('no folders import each other in a circle', () => {
    const circles = folderCircles(edges).map((folders) => {
      const inside = edges.filter((e) => !e.typeOnly && folderOf(e.from) !== folderOf(e.to) && folders.includes(folderOf(e.from)) && folders.includes(folderOf(e.to)));
      return `${folders.join(' <-> ')}: ${inside.map((e) => `${e.from} -> ${e.to}`).join(', ')}`;
    });
    expect(circles).toEqual([]);
  });

  it('finds the imports it checks (the graph reader works)', () => {
    expect(edges.some((e) => e.from === 'compile.ts' && e.to === 'check/index.ts' && !e.typeOnly)).toBe(true);
    expect(edges.some((e) => e.from === 'aggregations/aggregation.ts' && e.to === 'codegen/function-context.ts' && e.typeOnly)).toBe(true);
    expect(folderCircles([
      { from: 'a/x.ts', to: 'b/y.ts', typeOnly: false },
      { from: 'b/y.ts', to: 'a/z.ts', typeOnly: false },
      { from: 'c/w.ts', to: 'a/x.ts', typeOnly: true },
      { from: 'a/x.ts', to: 'c/w.ts', typeOnly: false },
    ])).toEqual([['a', 'b']]);
  });
});
