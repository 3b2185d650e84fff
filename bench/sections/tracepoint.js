// Issues 3 and 6.2: the cost per event of the generated program for the same tracepoint
// one-liner, against bpftrace's and a hand-written C version, with the empty program as
// the floor. Each is measured alone (behind the leader below), in one order and then the
// reverse; cost = run_time_ns / run_cnt under kernel.bpf_stats_enabled=1 (restored).
// The kernel runs a tracepoint's programs in attach order, and the first to read the trace
// entry pays its cache misses (~3-5 ns; measured 2026-11-26: swapping nettrace and C
// swapped the extra cost, and an empty leader did not take it), so a copy of the C
// program is attached before the measured one and left out of the figures. (All four
// attached at once, as before, gave nettrace's `sum` 2-5x C's few ns by position alone.)
import { compileC } from '../lib/c-programs.js';
import { progIdsOfPid, progStats, tracepointOffsets, withBpfStats } from '../lib/kernel.js';
import { loadC } from '../lib/load.js';
import { sendUdp } from '../lib/netns.js';
import { TRACEPOINT_ONE_LINERS } from '../lib/one-liners.js';
import { launch, nettraceArgs } from '../lib/procs.js';
import { fmt, fmtRatio, median, ratio } from '../lib/stats.js';

export const title = 'Tracepoint cost per event (bpf stats)';

const TRACEPOINT = 5;
const PERCPU_HASH = 5;
const PERCPU_ARRAY = 6;

/** The C programs of a one-liner, loaded and attached in this process. */
function attachC(native, one) {
  const offset = tracepointOffsets(one.category, one.event)[one.field].offset;
  const map = one.c === 'tp_sum_field'
    ? { type: PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 }
    : { type: PERCPU_HASH, keySize: 4, valueSize: 8, maxEntries: 10240 };
  const programs = [
    { name: 'C', loaded: loadC(native, compileC(one.c, { FIELD_OFFSET: offset }), { section: 'tracepoint', progType: TRACEPOINT, maps: [map], name: 'bench_c' }) },
    { name: 'empty', loaded: loadC(native, compileC('tp_empty'), { section: 'tracepoint', progType: TRACEPOINT, name: 'bench_empty' }) },
  ];
  for (const p of programs) {
    p.link = native.attachTracepoint(p.loaded.program.fd, one.category, one.event);
    p.id = native.progInfo(p.loaded.program.fd).id;
  }
  return {
    programs,
    close() {
      for (const p of programs) {
        native.closeFd(p.link);
        p.loaded.close();
      }
    },
  };
}

/** A copy of the C program attached first, to take the first runner's extra cost (the trace entry's cache misses). */
function attachLeader(native, one) {
  const leader = attachC(native, one).programs;
  return () => {
    for (const p of leader) {
      native.closeFd(p.link);
      p.loaded.close();
    }
  };
}

/** Program ids of a tracer process once it has attached: its tracepoint programs. */
function tracerProgs(native, pid) {
  const ids = [...progIdsOfPid(pid)];
  return [...progStats(native, ids)].filter(([, s]) => s.type === TRACEPOINT).map(([id]) => id);
}

/** Starts one tool on the one-liner; returns its program ids and how to stop it. */
async function startTool(name, native, one) {
  if (name === 'nettrace' || name === 'bpftrace') {
    const proc = name === 'nettrace'
      ? launch(process.execPath, nettraceArgs('-e', one.nettrace), { line: 'Attaching ' })
      : launch('bpftrace', ['-e', one.bpftrace], { line: 'Attaching ' });
    try {
      await proc.ready;
    } catch (e) {
      await proc.stop();
      throw e;
    }
    if (name === 'bpftrace') await new Promise((r) => setTimeout(r, 300)); // "Attaching" comes before bpftrace attaches
    return { ids: tracerProgs(native, proc.child.pid), stop: () => proc.stop() };
  }
  const c = attachC(native, one);
  const p = c.programs.find((q) => q.name === name);
  for (const q of c.programs) if (q !== p) { native.closeFd(q.link); q.loaded.close(); }
  return { ids: [p.id], stop: async () => { native.closeFd(p.link); p.loaded.close(); } };
}

/** ns per event of `ids` over one round of traffic, and how many events they saw. */
function measureRound(native, ids, link, packets) {
  const before = progStats(native, ids);
  sendUdp(link, link.rootAddr, { count: packets, firstPort: 9 });
  const after = progStats(native, ids);
  let ns = 0;
  let cnt = 0;
  for (const id of ids) {
    ns += (after.get(id)?.runTimeNs ?? 0) - (before.get(id)?.runTimeNs ?? 0);
    cnt += (after.get(id)?.runCnt ?? 0) - (before.get(id)?.runCnt ?? 0);
  }
  return { perEvent: cnt ? ns / cnt : NaN, events: cnt };
}

export async function run({ native, rounds, log, link, peers }) {
  const rows = [];
  const figures = {};
  const packets = 20_000;
  const names = ['nettrace', ...(peers.bpftrace ? ['bpftrace'] : []), ...(peers.clang ? ['C', 'empty'] : [])];
  for (const one of TRACEPOINT_ONE_LINERS) {
    await withBpfStats(async () => {
      const perEvent = Object.fromEntries(names.map((n) => [n, []]));
      const events = Object.fromEntries(names.map((n) => [n, 0]));
      const insns = {};
      let ntError;
      // Each tool alone behind the leader, in one order and then the reverse, so neither
      // the position among the tracepoint's programs nor drift over the run favours one.
      for (const order of [names, [...names].reverse()]) {
        for (const name of order) {
          if (name === 'nettrace' && ntError) continue;
          const leader = peers.clang ? attachLeader(native, one) : () => {};
          let tool;
          try {
            tool = await startTool(name, native, one);
          } catch (e) {
            leader();
            if (name !== 'nettrace') throw e;
            ntError = e.message.split('\n').find((l) => l.includes('error')) ?? e.message.split('\n')[0];
            continue;
          }
          try {
            for (let r = 0; r < Math.ceil(rounds / 2); r++) {
              const { perEvent: ns, events: cnt } = measureRound(native, tool.ids, link, packets);
              perEvent[name].push(ns);
              events[name] += cnt;
            }
            insns[name] = [...progStats(native, tool.ids).values()].reduce((sum, p) => sum + p.xlatedInsns, 0);
          } finally {
            await tool.stop();
            leader();
          }
        }
      }
      const m = Object.fromEntries(Object.entries(perEvent).map(([k, v]) => [k, median(v)]));
      figures[one.event] = { nsPerEvent: m, rounds: perEvent, events, xlatedInsns: insns, nettraceError: ntError };
      log(`  ${one.name}: ${names.map((n) => `${n} ${fmt(m[n], 'ns')} (${insns[n]} insns)`).join(', ')}${ntError ? `; nettrace not measured: ${ntError}` : ''}`);
      log(`    events seen per tool: ${Object.entries(events).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      rows.push({
        item: `cost per event, ${one.name}`,
        nettrace: ntError ? '-' : fmt(m.nettrace, 'ns'),
        peer: `bpftrace ${fmt(m.bpftrace, 'ns')}; C ${fmt(m.C, 'ns')}; empty ${fmt(m.empty, 'ns')}`,
        ratio: `${fmtRatio(ratio(m.nettrace, m.bpftrace))} bpftrace; above empty ${fmtRatio(ratio(m.nettrace - m.empty, m.C - m.empty))} C`,
        target: '≤ 1.1x C above empty',
      });
    });
  }
  return { rows, figures };
}
