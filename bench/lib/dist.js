// The compiler and runtime as built in dist/ (`npm run build`): the bench measures what
// users run, and needs no TypeScript at bench time.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = new URL('../../dist/', import.meta.url);

export async function loadDist() {
  if (!existsSync(fileURLToPath(new URL('compile.js', DIST)))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const load = (path) => import(new URL(path, DIST).href);
  const [parser, check, codegen, native, emitter, diagnostic, catalogue, builtins, aggregations, model, compile, session, liveEnv, readMaps, mapsText, vmlinux] = await Promise.all([
    load('parser/index.js'),
    load('check/index.js'),
    load('codegen/index.js'),
    load('native/bpf.js'),
    load('native/emitter.js'),
    load('diagnostics/diagnostic.js'),
    load('diagnostics/catalogue.js'),
    load('builtins/registry.js'),
    load('aggregations/registry.js'),
    load('packet/model.js'),
    load('compile.js'),
    load('runtime/session.js'),
    load('runtime/live-env.js'),
    load('runtime/read-maps.js'),
    load('format/maps-text.js'),
    load('btf/vmlinux.js'),
  ]);
  return { parser, check, codegen, native, emitter, diagnostic, catalogue, builtins, aggregations, model, compile, session, liveEnv, readMaps, mapsText, vmlinux };
}
