// Issues 2 and 3: the time of each compile stage (parse, check, codegen, emit) for a
// 1-line and a 50-line program, cold (a fresh process, as each launch compiles once) and
// warm (median of rounds in one process), and the kernel's part: creating maps, loading
// (the verifier), attaching (Session.start on the bench's veth).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median } from '../lib/stats.js';

export const title = 'Compile stages';

const COLD = fileURLToPath(new URL('../lib/cold-compile.js', import.meta.url));
const FIFTY = fileURLToPath(new URL('../programs/fifty-lines.nt', import.meta.url));

export function programs(ifname) {
  return {
    '1-line': `xdp:${ifname} { @[ip.src] = count() }`,
    '50-line': readFileSync(FIFTY, 'utf8').replaceAll('IFACE', ifname),
  };
}

const STAGES = ['parseMs', 'checkMs', 'codegenMs', 'emitMs'];

export async function run({ dist, rounds, log, link }) {
  const rows = [];
  const figures = {};
  const dir = mkdtempSync(join(tmpdir(), 'nettrace-bench-'));
  for (const [name, text] of Object.entries(programs(link.rootIf))) {
    const lines = text.trim().split('\n').length;
    // Cold: a fresh process per round.
    const file = join(dir, `${name}.nt`);
    writeFileSync(file, text);
    const cold = [];
    for (let r = 0; r < rounds; r++) cold.push(JSON.parse(execFileSync(process.execPath, [COLD, file], { encoding: 'utf8' })));
    // Warm: the same process compiling again.
    const warm = [];
    for (let r = 0; r < rounds * 4; r++) warm.push(dist.compile.compileStages(text, dist.liveEnv.liveEnv).timings);
    // The kernel's part.
    const kernel = [];
    for (let r = 0; r < rounds; r++) {
      const compiled = dist.compile.compile(text, dist.liveEnv.liveEnv);
      const t0 = performance.now();
      const session = dist.session.Session.start(compiled);
      const total = performance.now() - t0;
      // BEGIN and END are loaded but never attached (they run once): no attachMs.
      const loadMs = session.probes.reduce((s, p) => s + (p.loadMs ?? 0), 0);
      const attachMs = session.probes.reduce((s, p) => s + (p.attachMs ?? 0), 0);
      session.close();
      kernel.push({ loadMs, attachMs, mapsMs: total - loadMs - attachMs, totalMs: total, probes: compiled.programs.length });
    }
    const m = (list, key) => median(list.map((x) => x[key]));
    const f = {
      lines,
      cold: Object.fromEntries(['importMs', ...STAGES].map((k) => [k, m(cold, k)])),
      warm: Object.fromEntries(STAGES.map((k) => [k, m(warm, k)])),
      kernel: Object.fromEntries(['mapsMs', 'loadMs', 'attachMs', 'totalMs', 'probes'].map((k) => [k, m(kernel, k)])),
    };
    figures[name] = f;
    log(`  ${name} (${lines} lines, ${f.kernel.probes} probe(s)):`);
    log(`    cold: modules ${fmt(f.cold.importMs, 'ms')}, ${STAGES.map((k) => `${k.replace('Ms', '')} ${fmt(f.cold[k], 'ms')}`).join(', ')}`);
    log(`    warm: ${STAGES.map((k) => `${k.replace('Ms', '')} ${fmt(f.warm[k], 'ms')}`).join(', ')}`);
    log(`    kernel: maps and the rest of the set-up (BEGIN, ring buffer) ${fmt(f.kernel.mapsMs, 'ms')}, load ${fmt(f.kernel.loadMs, 'ms')}, attach ${fmt(f.kernel.attachMs, 'ms')}`);
    const stageText = (s) => STAGES.map((k) => fmt(s[k], '')).join(' / ');
    rows.push({
      item: `compile ${name}: parse / check / codegen / emit (ms, cold)`,
      nettrace: stageText(f.cold),
      peer: `modules load ${fmt(f.cold.importMs, 'ms')}`,
      ratio: '',
      target: '',
    });
    rows.push({ item: `compile ${name}: same stages, warm (ms)`, nettrace: stageText(f.warm), peer: '', ratio: '', target: '' });
    rows.push({
      item: `${name}: set-up (maps, BEGIN, ring buffer) / load / attach (ms)`,
      nettrace: `${fmt(f.kernel.mapsMs, '')} / ${fmt(f.kernel.loadMs, '')} / ${fmt(f.kernel.attachMs, '')}`,
      peer: '',
      ratio: '',
      target: '',
    });
  }
  return { rows, figures };
}
