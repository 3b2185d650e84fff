// Front-end fuzzing: 10,000 generated and mutated programs (seeded, so a failure
// reproduces) through parse -> check -> codegen -> emitObject. Each must compile or get
// positioned diagnostics from the catalogue; no other exception, no internal error, no IR
// that LLVM refuses (emitObject validates IR before LLVM could abort the process; the
// bench's fuzz run also isolates emitObject in child processes). Inputs that once broke
// the contract live in fixtures/ and are replayed here.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as aggregations from '../../src/aggregations/registry.js';
import * as builtins from '../../src/builtins/registry.js';
import * as check from '../../src/check/index.js';
import * as codegen from '../../src/codegen/index.js';
import * as catalogue from '../../src/diagnostics/catalogue.js';
import * as diagnostic from '../../src/diagnostics/diagnostic.js';
import * as model from '../../src/packet/model.js';
import * as parser from '../../src/parser/index.js';
import * as emitter from '../../src/native/emitter.js';
import * as vmlinux from '../../src/btf/vmlinux.js';
import { createGenerator, mutate } from './generator.js';
import { createHarness } from './harness.js';

const INPUTS = 10_000;
const FIXTURES = new URL('./fixtures/', import.meta.url);

const harness = createHarness({ parser, check, codegen, emitter, diagnostic, catalogue, builtins, aggregations, model, vmlinux });

interface Broken {
  text: string;
  reason: string;
}

function report(broken: Broken[]): string {
  const distinct = new Map<string, string>();
  for (const b of broken) if (!distinct.has(b.reason)) distinct.set(b.reason, b.text);
  return [...distinct].map(([reason, text]) => `${reason}\n    input: ${JSON.stringify(text)}`).join('\n');
}

describe('front-end fuzzing', () => {
  // One seeded stream, consumed in chunks so the worker reports progress between them.
  const gen = createGenerator(20240601, harness.vocabulary);
  const tally = { inputs: 0, compiled: 0, diagnostic: 0, seconds: 0 };
  const CHUNK = 2_000;

  for (let chunk = 0; chunk < INPUTS / CHUNK; chunk++) {
    it(`programs ${chunk * CHUNK + 1}..${(chunk + 1) * CHUNK}: each compiles or gets positioned diagnostics`, async () => {
      const broken: Broken[] = [];
      const started = performance.now();
      for (let i = 0; i < CHUNK; i++) {
        // Let the worker answer vitest's RPC now and then: a long synchronous loop on a
        // loaded machine makes it time out ("Timeout calling onTaskUpdate").
        if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
        // 40% as generated (mostly valid: they reach codegen and LLVM), 60% mutated.
        const program = gen.program();
        const text = gen.random.chance(0.4) ? program : mutate(program, gen.random);
        const result = harness.run(text);
        if (result.outcome === 'bug') broken.push({ text, reason: `${result.stage}: ${result.reason}` });
        else tally[result.outcome]++;
      }
      tally.inputs += CHUNK;
      tally.seconds += (performance.now() - started) / 1000;
      expect(broken, report(broken)).toEqual([]);
    }, 90_000);
  }

  it(`the ${INPUTS} inputs reached LLVM often enough to mean something`, () => {
    expect(tally.inputs).toBe(INPUTS);
    // The generator must keep reaching codegen and LLVM, or the run proves little.
    expect(tally.compiled, JSON.stringify(tally)).toBeGreaterThan(INPUTS / 20);
    console.log(`fuzz: ${tally.inputs} inputs in ${tally.seconds.toFixed(1)} s: ${tally.compiled} compiled to BPF, ${tally.diagnostic} got diagnostics`);
  });

  it('every input that once broke the contract now meets it', () => {
    let files: string[] = [];
    try {
      files = readdirSync(FIXTURES).filter((f) => f.endsWith('.nt'));
    } catch {
      // no fixtures directory: nothing has broken yet
    }
    const broken: Broken[] = [];
    for (const f of files) {
      const text = readFileSync(new URL(f, FIXTURES), 'utf8');
      const result = harness.run(text);
      if (result.outcome === 'bug') broken.push({ text, reason: `${f}: ${result.stage}: ${result.reason}` });
    }
    expect(broken, report(broken)).toEqual([]);
  });

  it('the generator is reproducible and the mutator changes programs', () => {
    const a = createGenerator(7, harness.vocabulary);
    const b = createGenerator(7, harness.vocabulary);
    const programs = Array.from({ length: 20 }, () => a.program());
    expect(programs).toEqual(Array.from({ length: 20 }, () => b.program()));
    const changed = programs.filter((p) => mutate(p, a.random) !== p).length;
    expect(changed).toBeGreaterThan(15);
  });
});
