// Issues 3 and 6.2: the cost per event of the generated program for the same tracepoint
// one-liner, against bpftrace's and a hand-written C version, with the empty program as
// the floor. All four are attached to the tracepoint at once and see the same events;
// cost = run_time_ns / run_cnt under kernel.bpf_stats_enabled=1 (restored afterwards).
// The kernel runs a tracepoint's programs in attach order, and the first to read the trace
// entry pays its cache misses (~3-5 ns; measured 2026-11-26: swapping nettrace and C
// swapped the extra cost, and an empty leader did not take it), so a copy of the C
// program is attached before all of them and left out of the figures.
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

export async function run({ native, rounds, log, link, peers }) {
  const rows = [];
  const figures = {};
  const packets = 20_000;
  for (const one of TRACEPOINT_ONE_LINERS) {
    await withBpfStats(async () => {
      const tools = [];
      const stops = [];
      let ntError;
      try {
        if (peers.clang) stops.push(attachLeader(native, one));
        const nt = launch(process.execPath, nettraceArgs('-e', one.nettrace), { line: 'Attaching ' });
        stops.push(() => nt.stop());
        try {
          await nt.ready;
          tools.push({ name: 'nettrace', ids: tracerProgs(native, nt.child.pid) });
        } catch (e) {
          ntError = e.message.split('\n').find((l) => l.includes('error')) ?? e.message.split('\n')[0];
        }
        if (peers.bpftrace) {
          const bt = launch('bpftrace', ['-e', one.bpftrace], { line: 'Attaching ' });
          stops.push(() => bt.stop());
          await bt.ready;
          await new Promise((r) => setTimeout(r, 300)); // "Attaching" comes before bpftrace attaches
          tools.push({ name: 'bpftrace', ids: tracerProgs(native, bt.child.pid) });
        }
        if (peers.clang) {
          const c = attachC(native, one);
          stops.push(() => c.close());
          for (const p of c.programs) tools.push({ name: p.name, ids: [p.id] });
        }
        const perEvent = Object.fromEntries(tools.map((t) => [t.name, []]));
        const events = Object.fromEntries(tools.map((t) => [t.name, 0]));
        for (let r = 0; r < rounds; r++) {
          const before = progStats(native, tools.flatMap((t) => t.ids));
          sendUdp(link, link.rootAddr, { count: packets, firstPort: 9 });
          const after = progStats(native, tools.flatMap((t) => t.ids));
          for (const t of tools) {
            let ns = 0;
            let cnt = 0;
            for (const id of t.ids) {
              ns += (after.get(id)?.runTimeNs ?? 0) - (before.get(id)?.runTimeNs ?? 0);
              cnt += (after.get(id)?.runCnt ?? 0) - (before.get(id)?.runCnt ?? 0);
            }
            perEvent[t.name].push(cnt ? ns / cnt : NaN);
            events[t.name] += cnt;
          }
        }
        const m = Object.fromEntries(Object.entries(perEvent).map(([k, v]) => [k, median(v)]));
        const insns = Object.fromEntries(tools.map((t) => [t.name, [...progStats(native, t.ids).values()].reduce((s, p) => s + p.xlatedInsns, 0)]));
        figures[one.event] = { nsPerEvent: m, rounds: perEvent, events, xlatedInsns: insns, nettraceError: ntError };
        log(`  ${one.name}: ${tools.map((t) => `${t.name} ${fmt(m[t.name], 'ns')} (${insns[t.name]} insns)`).join(', ')}${ntError ? `; nettrace not measured: ${ntError}` : ''}`);
        log(`    events seen per tool: ${Object.entries(events).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        rows.push({
          item: `cost per event, ${one.name}`,
          nettrace: ntError ? '-' : fmt(m.nettrace, 'ns'),
          peer: `bpftrace ${fmt(m.bpftrace, 'ns')}; C ${fmt(m.C, 'ns')}; empty ${fmt(m.empty, 'ns')}`,
          ratio: `${fmtRatio(ratio(m.nettrace, m.bpftrace))} bpftrace; above empty ${fmtRatio(ratio(m.nettrace - m.empty, m.C - m.empty))} C`,
          target: '≤ 1.1x C above empty',
        });
      } finally {
        for (const stop of stops.reverse()) await stop();
      }
    });
  }
  return { rows, figures };
}
