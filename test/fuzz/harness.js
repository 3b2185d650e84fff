// Wires the fuzz pieces to a build of the compiler: the unit test passes modules from src/
// (through vitest), bench/fuzz.js passes the same modules from dist/.
import { readdirSync, readFileSync } from 'node:fs';
import { runPipeline } from './pipeline.js';
import { buildVocabulary } from './vocabulary.js';

/** Tracepoint format files kept as fixtures by the tracefs unit tests: CATEGORY-NAME.format. */
const FORMATS_DIR = new URL('../unit/tracefs/fixtures/', import.meta.url);

function fixtureFormats() {
  const formats = {};
  for (const file of readdirSync(FORMATS_DIR)) {
    const m = /^([^-]+)-(.+)\.format$/.exec(file);
    if (m) formats[`${m[1]}:${m[2]}`] = readFileSync(new URL(file, FORMATS_DIR), 'utf8');
  }
  return formats;
}

/**
 * A kernel environment for the checker that needs no privileges: two interfaces, the
 * tracepoints whose format files are fixtures, the running kernel's BTF when the caller
 * passes a reader for it (/sys/kernel/btf/vmlinux is world-readable), and no kprobes.
 */
export function fakeEnv(vmlinuxBtf) {
  const formats = fixtureFormats();
  return {
    interfaces: () => ['eth0', 'lo'],
    tracepoints: () => Object.keys(formats),
    tracepointFormat: (category, name) => formats[`${category}:${name}`],
    btf: () => vmlinuxBtf?.(),
    kprobesAvailable: () => false,
  };
}

/**
 * The generator's vocabulary from the checker alone: which candidate probes resolve in
 * `env`, and how the checker types each candidate expression. Needs no codegen, so it
 * loads no LLVM (test/unit/architecture/checker-without-llvm.test.ts builds it that way).
 * @param {object} m  modules: { parser, check, builtins, aggregations, model }: builtins and
 *   aggregations are the registries (src/builtins/registry, src/aggregations/registry)
 * @param {object} env  a KernelEnv
 */
export function checkerVocabulary(m, env) {
  const contextOf = (probeText) => {
    try {
      const checked = m.check.check(m.parser.parse(`${probeText} { }`), env);
      return checked.blocks[0]?.probes[0]?.context;
    } catch {
      return undefined;
    }
  };
  /** The type the checker gives `expr` in `probeText`'s block, or undefined when it refuses it. */
  const typeOf = (probeText, expr) => {
    try {
      const checked = m.check.check(m.parser.parse(`${probeText} { $x = ${expr} }`), env);
      const body = checked.blocks[0]?.block.body[0];
      return body?.kind === 'VarAssign' ? checked.types.get(body.value) : undefined;
    } catch {
      return undefined;
    }
  };
  return buildVocabulary({
    HEADERS: m.model.HEADERS,
    VALUE_BUILTINS: m.builtins.VALUE_BUILTINS,
    PKT_FIELDS: m.model.PKT_FIELDS,
    AGGREGATIONS: m.aggregations.AGGREGATION_RECORDS.map((a) => a.name),
    contextOf,
    typeOf,
  });
}

/**
 * @param {object} m  modules: { parser, check, codegen, emitter, diagnostic, catalogue, builtins, aggregations, model, vmlinux? }
 * @param {{ env?: object, emit?: boolean }} options
 */
export function createHarness(m, options = {}) {
  const env = options.env ?? fakeEnv(m.vmlinux?.vmlinuxBtf);
  const stages = {
    parse: m.parser.parse,
    check: m.check.check,
    generate: m.codegen.generate,
    emitObject: m.emitter.emitObject,
    env,
    DiagnosticError: m.diagnostic.DiagnosticError,
    catalogue: new Set(m.catalogue.allCatalogueEntries().map((e) => e.code)),
    emit: options.emit,
  };
  return { stages, vocabulary: checkerVocabulary(m, env), run: (text) => runPipeline(text, stages) };
}
