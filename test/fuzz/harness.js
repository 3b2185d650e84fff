// Wires the fuzz pieces to a build of the compiler: the unit test passes modules from src/
// (through vitest), bench/fuzz.js passes the same modules from dist/.
import { runPipeline } from './pipeline.js';
import { buildVocabulary } from './vocabulary.js';

/**
 * A kernel environment for the checker that needs no privileges: two interfaces, and
 * nothing else the KernelEnv interface makes optional (probe kinds that need tracefs or
 * BTF then answer with their diagnostics, which is fuzzed too).
 */
export const FAKE_ENV = {
  interfaces: () => ['eth0', 'lo'],
};

/**
 * @param {object} m  modules: { parser, check, codegen, native, diagnostic, catalogue, builtins, model }
 * @param {{ env?: object, emit?: boolean }} options
 */
export function createHarness(m, options = {}) {
  const env = options.env ?? FAKE_ENV;
  const stages = {
    parse: m.parser.parse,
    check: m.check.check,
    generate: m.codegen.generate,
    emitObject: m.native.emitObject,
    env,
    DiagnosticError: m.diagnostic.DiagnosticError,
    catalogue: new Set(m.catalogue.allCatalogueEntries().map((e) => e.code)),
    emit: options.emit,
  };
  const contextOf = (probeText) => {
    try {
      const checked = m.check.check(m.parser.parse(`${probeText} { }`), env);
      return checked.blocks[0]?.probes[0]?.context;
    } catch {
      return undefined;
    }
  };
  const vocabulary = buildVocabulary({
    HEADERS: m.model.HEADERS,
    BUILTIN_VALUES: m.builtins.BUILTIN_VALUES,
    PKT_FIELDS: m.builtins.PKT_FIELDS,
    AGGREGATIONS: m.builtins.AGGREGATIONS,
    contextOf,
  });
  return { stages, vocabulary, run: (text) => runPipeline(text, stages) };
}
