// A program found in the compiled-program cache runs without the compiler: the process
// loads neither chevrotain, nor llvm-bindings, nor nettrace_emit.node (LLVM), only the
// libbpf addon when it loads the program. Checked on dist/ in fresh Node processes that
// record every module resolved (ESM and CommonJS, through a resolve hook) and every
// native module opened (process.dlopen).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const cacheDir = mkdtempSync(join(tmpdir(), 'ntk-archcache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

interface Loads {
  modules: string[];
  dlopened: string[];
  result: unknown;
}

/** Runs `body` (top-level await, in ROOT) in a fresh process; `result` is what it assigns. */
async function loadsOf(body: string, env: Record<string, string> = {}): Promise<Loads> {
  const hook = `
    let port;
    export function initialize(data) { port = data.port; }
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      port.postMessage(r.url);
      return r;
    }`;
  const script = `
    import { register, createRequire } from 'node:module';
    import { MessageChannel } from 'node:worker_threads';
    const modules = [];
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (url) => modules.push(url));
    port1.unref();
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), { data: { port: port2 }, transferList: [port2] });
    const dlopened = [];
    const dlopen = process.dlopen;
    process.dlopen = function (module, filename, ...rest) {
      dlopened.push(filename);
      return dlopen.call(this, module, filename, ...rest);
    };
    let result;
    ${body}
    await new Promise((r) => setTimeout(r, 100)); // the hook's last messages
    modules.push(...Object.keys(createRequire(import.meta.url).cache));
    console.log(JSON.stringify({ modules, dlopened, result }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NETTRACE_CACHE_DIR: cacheDir, ...env },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const compilerParts = (loads: Loads) =>
  [...loads.modules, ...loads.dlopened].filter((p) => /chevrotain|llvm-bindings|nettrace_emit\.node|\/dist\/(parser|lexer|codegen)\/|\/dist\/compile\.js/.test(p));

// `lo` exists on every Linux machine; compiling needs no privileges.
const PROGRAM = 'xdp:lo { @[ip.src, tcp.dport] = count(); @len = hist(pkt.len) }';
const obtain = `
  const { obtainProgram } = await import('./dist/cli/program-source.js');
  const lines = [];
  const compiled = await obtainProgram(${JSON.stringify(PROGRAM)}, { compile: { params: [] }, noCache: false, log: (l) => lines.push(l) });
  result = { lines, programs: compiled.programs.length, objectBytes: compiled.object.length };
`;

describe('a cache hit without the compiler', () => {
  it('the first run compiles (and so loads the compiler) and saves the program', async () => {
    const loads = await loadsOf(obtain);
    expect(loads.result).toMatchObject({ lines: ['cache: miss (absent)', `cache: saved in ${cacheDir}`], programs: 1 });
    // The detector sees the compiler when it is there.
    expect(compilerParts(loads).some((p) => p.includes('chevrotain'))).toBe(true);
    expect(compilerParts(loads).some((p) => p.includes('nettrace_emit.node'))).toBe(true);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.ntc'))).toHaveLength(1);
  });

  it('the second run finds it and loads no part of the compiler', async () => {
    const loads = await loadsOf(obtain);
    expect(loads.result).toMatchObject({ lines: [`cache: hit in ${cacheDir}`], programs: 1 });
    expect((loads.result as { objectBytes: number }).objectBytes).toBeGreaterThan(0);
    expect(compilerParts(loads)).toEqual([]);
    expect(loads.dlopened).toEqual([]);
  });

  it("the command line's own modules load no part of the compiler until it is needed", async () => {
    const loads = await loadsOf(`await import('./dist/cli/main.js'); await import('./dist/runtime/run/program-run.js');`);
    expect(compilerParts(loads)).toEqual([]);
    expect(loads.dlopened).toEqual([]);
  });

  it('NETTRACE_DISABLE (features hidden from the checker) is part of the key', async () => {
    const loads = await loadsOf(obtain, { NETTRACE_DISABLE: 'kprobes' });
    expect((loads.result as { lines: string[] }).lines[0]).toBe('cache: miss (absent)');
  });

  it('--no-cache compiles even though the program is cached', async () => {
    const loads = await loadsOf(obtain.replace('noCache: false', 'noCache: true'));
    expect(loads.result).toMatchObject({ lines: [], programs: 1 });
    expect(compilerParts(loads).some((p) => p.includes('chevrotain'))).toBe(true);
  });
});
