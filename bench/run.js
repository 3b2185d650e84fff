#!/usr/bin/env node
// nettrace's benchmarks: `npm run bench` (after `npm run build`, as root).
//
// One run measures everything against the peers in the same run (bpftrace, hand-written C
// compiled with clang-14, the empty program), prints each figure as it comes, and ends
// with a markdown table of medians, ratios and the targets. Nothing here fails on timing:
// a figure that cannot be measured (a peer missing, a feature not there yet) is printed
// as '-' with the reason.
//
//   node bench/run.js [--rounds N] [--only a,b] [--skip a,b] [--quick] [--json FILE]
//
// Sections (--only/--skip names): compile, launch, xdp, tracepoint, printf, rss, map,
// hist-print, repl-start, repl, kills, fuzz, big-programs. --quick: fewer rounds, a 10 s REPL measurement, 10 kills per signal.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadDist } from './lib/dist.js';
import { clangAvailable } from './lib/c-programs.js';
import { createBenchLink } from './lib/netns.js';

const SECTIONS = ['compile', 'launch', 'xdp', 'tracepoint', 'printf', 'rss', 'map', 'hist-print', 'repl-start', 'repl', 'kills', 'fuzz', 'big-programs'];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

function has(cmd, args = ['--version']) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ensurePeers() {
  if (has('bpftrace') && clangAvailable()) return;
  const setup = fileURLToPath(new URL('./setup.sh', import.meta.url));
  console.log(`bench: installing the peers (${setup})`);
  try {
    execFileSync(setup, { stdio: 'inherit' });
  } catch {
    console.log('bench: could not install the peers; their columns will be empty');
  }
}

/**
 * The bench measures nettrace as `npm run build` leaves it: dist/ and its bundle
 * (scripts/bundle.js), which bin/nettrace.js runs only when it is newer than dist/.
 */
function ensureBundle() {
  const bundle = fileURLToPath(new URL('../scripts/bundle.js', import.meta.url));
  try {
    execFileSync(process.execPath, [bundle], { stdio: 'inherit' });
  } catch {
    console.log('bench: could not bundle dist/; nettrace runs from dist/ unbundled');
  }
}

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} x${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}`;
}

function markdownTable(rows) {
  const header = ['item', 'nettrace', 'peer', 'ratio', 'target'];
  const esc = (s) => String(s ?? '').replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${header.map((h) => esc(r[h])).join(' | ')} |`),
  ].join('\n');
}

async function main() {
  if (process.getuid?.() !== 0) {
    console.error('bench: run as root (it loads BPF programs and creates a network namespace)');
    process.exit(1);
  }
  const quick = process.argv.includes('--quick');
  const only = option('only', undefined)?.split(',');
  const skip = option('skip', '').split(',');
  const selected = SECTIONS.filter((s) => (!only || only.includes(s)) && !skip.includes(s));
  ensurePeers();
  ensureBundle();
  const dist = await loadDist();
  const peers = { bpftrace: has('bpftrace'), clang: clangAvailable() };
  const started = new Date();
  console.log(`nettrace bench, ${started.toISOString()}\n${machine()}\npeers: bpftrace ${peers.bpftrace ? execFileSync('bpftrace', ['--version'], { encoding: 'utf8' }).trim() : 'missing'}, clang-14 ${peers.clang ? 'yes' : 'missing'}\n`);

  const link = createBenchLink();
  const cleanup = () => link.destroy();
  process.on('exit', cleanup);
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

  const ctx = {
    dist,
    native: dist.native,
    rounds: Number(option('rounds', quick ? '3' : '7')),
    quick,
    peers,
    link,
    log: (line) => console.log(line),
  };
  const rows = [];
  const figures = {};
  for (const name of selected) {
    const section = await import(`./sections/${name}.js`);
    console.log(`## ${section.title}`);
    const t0 = performance.now();
    try {
      const result = await section.run(ctx);
      rows.push(...result.rows);
      figures[name] = result.figures;
    } catch (e) {
      console.log(`  could not measure: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      rows.push({ item: section.title, nettrace: '-', peer: '-', ratio: '-', target: `not measured: ${String(e?.message ?? e).split('\n')[0].slice(0, 120)}` });
    }
    console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }

  console.log(`## Summary (${started.toISOString().slice(0, 10)}, ${machine()})\n`);
  console.log(markdownTable(rows));
  const json = option('json', undefined);
  if (json) writeFileSync(json, JSON.stringify({ date: started.toISOString(), machine: machine(), peers, rows, figures }, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
