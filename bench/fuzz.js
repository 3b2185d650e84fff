#!/usr/bin/env node
// The long front-end fuzz run: generated and mutated programs through parse -> check ->
// codegen -> emitObject, with emitObject in child processes so that an LLVM abort (which
// kills its process) is caught and recorded instead of ending the run. Every input that
// breaks the contract (see test/fuzz/pipeline.js) is written to test/fuzz/fixtures/,
// where the unit test replays it forever after.
//
//   node bench/fuzz.js [--count 100000] [--seed 1] [--workers 2] [--in-process]
//
// Needs `npm run build` (imports dist/). The unit test (test/fuzz/) runs 10,000 inputs
// in-process on every `npm test`; this runs as many as you like.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator, mutate } from '../test/fuzz/generator.js';
import { createHarness } from '../test/fuzz/harness.js';
import { loadDist } from './lib/dist.js';

const FIXTURES = fileURLToPath(new URL('../test/fuzz/fixtures/', import.meta.url));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

/** A pool of child processes that run emitObject; a child that dies takes only its input with it. */
class EmitPool {
  constructor(size) {
    this.queue = [];
    this.workers = [];
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  spawn() {
    const child = fork(fileURLToPath(new URL('./lib/emit-worker.js', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    child.stderr.on('data', () => {}); // LLVM's last words on abort; the signal is what counts
    return { child, busy: false };
  }

  /** Resolves with { ok } | { error } | { died: signal }. */
  emit(job) {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  dispatch() {
    for (const worker of this.workers) {
      if (worker.busy || this.queue.length === 0) continue;
      const { job, resolve } = this.queue.shift();
      worker.busy = true;
      const onMessage = (msg) => finish(msg);
      const onExit = (code, signal) => {
        this.workers[this.workers.indexOf(worker)] = this.spawn();
        finish({ died: signal ?? `exit ${code}` });
      };
      const finish = (result) => {
        worker.child.off('message', onMessage);
        worker.child.off('exit', onExit);
        worker.busy = false;
        resolve(result);
        this.dispatch();
      };
      worker.child.on('message', onMessage);
      worker.child.on('exit', onExit);
      worker.child.send(job);
    }
  }

  close() {
    for (const w of this.workers) w.child.kill();
  }
}

function saveFixture(text, reason) {
  mkdirSync(FIXTURES, { recursive: true });
  const name = createHash('sha1').update(text).digest('hex').slice(0, 12);
  const file = `${FIXTURES}${name}.nt`;
  if (!existsSync(file)) writeFileSync(file, `${text}`);
  writeFileSync(`${FIXTURES}${name}.reason.txt`, `${reason}\n`);
  return file;
}

/** Runs the fuzz loop; returns the tally. Options default to the command line's. */
export async function fuzz({
  count = Number(option('count', '100000')),
  seed = Number(option('seed', '1')),
  workers = Number(option('workers', '2')),
  inProcess = process.argv.includes('--in-process'),
} = {}) {
  const dist = await loadDist();
  const harness = createHarness(dist, { emit: inProcess });
  const gen = createGenerator(seed, harness.vocabulary);
  const pool = inProcess ? undefined : new EmitPool(workers);
  const tally = { compiled: 0, diagnostic: 0, bug: 0 };
  const byCode = new Map();
  const bugs = [];
  const started = performance.now();
  // Emits run concurrently with generation; keep a bounded number in flight.
  const inflight = new Set();
  for (let i = 0; i < count; i++) {
    const text = gen.random.chance(0.5) ? gen.program() : mutate(gen.program(), gen.random);
    const result = harness.run(text);
    if (result.outcome === 'compiled' && pool) {
      const job = pool.emit({ ir: result.ir, sections: result.sections }).then((r) => {
        inflight.delete(job);
        if (r.ok) tally.compiled++;
        else {
          tally.bug++;
          const reason = r.died ? `LLVM killed the emit process (${r.died})` : `emit: ${r.error}`;
          bugs.push({ text, reason, file: saveFixture(text, reason) });
        }
      });
      inflight.add(job);
      if (inflight.size >= pool.workers.length * 4) await Promise.race(inflight);
      continue;
    }
    tally[result.outcome]++;
    if (result.outcome === 'diagnostic') for (const c of new Set(result.codes)) byCode.set(c, (byCode.get(c) ?? 0) + 1);
    if (result.outcome === 'bug') bugs.push({ text, reason: `${result.stage}: ${result.reason}`, file: saveFixture(text, `${result.stage}: ${result.reason}`) });
    if ((i + 1) % 10000 === 0) process.stderr.write(`fuzz: ${i + 1}/${count}\n`);
  }
  await Promise.all(inflight);
  pool?.close();
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${count} inputs (seed ${seed}) in ${seconds.toFixed(1)} s, ${(count / seconds).toFixed(0)}/s`);
  console.log(`  compiled ${tally.compiled}, diagnostics ${tally.diagnostic}, contract broken ${tally.bug}`);
  console.log(`  diagnostics by code: ${[...byCode].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  const distinct = new Map();
  for (const b of bugs) if (!distinct.has(b.reason)) distinct.set(b.reason, b);
  for (const b of distinct.values()) console.log(`  BUG ${b.reason}\n      input: ${JSON.stringify(b.text)}\n      saved: ${b.file}`);
  return { count, seconds, ...tally, distinctBugs: distinct.size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fuzz().then((r) => process.exit(r.bug > 0 ? 1 : 0));
}
