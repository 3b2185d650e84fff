// Runs one lesson from start to end: sandbox, script, traffic, reading, and the sandbox
// removed on every way out (an error, Ctrl-C, SIGTERM, SIGHUP, the process exiting).
import type { Lesson } from './lesson.js';
import { LessonMaps, mapLine, mapsText } from './maps.js';
import { killScript, startScript } from './run-script.js';
import { createSandbox, removeStaleSandboxes, type Sandbox } from './sandbox.js';
import { killTraffic, pause } from './traffic.js';

/** Time for the last packets to pass every hook before the script is stopped. */
const SETTLE_MS = 300;

/** Runs the lesson, printing as it goes; resolves true when every figure matched its traffic. */
export async function runLesson(lesson: Lesson, out: NodeJS.WritableStream): Promise<boolean> {
  for (const name of removeStaleSandboxes()) out.write(`(removed ${name}, left by a lesson that was killed)\n`);
  let sandbox: Sandbox | undefined;
  const teardown = () => {
    killScript();
    killTraffic();
    sandbox?.destroy();
    sandbox = undefined;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    teardown();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  process.on('exit', teardown);
  try {
    const s = createSandbox({ staticNeighbours: lesson.staticNeighbours ?? true });
    sandbox = s;
    out.write(`Lesson ${lesson.name}: ${lesson.title}\n\n`);
    out.write(`sandbox: ${s.nsA} (${s.ifA} ${s.addrA}) <-veth-> ${s.nsB} (${s.ifB} ${s.addrB})\n`);
    const prepared = await lesson.prepare?.(s);
    if (prepared) out.write(`${prepared}\n`);
    out.write(`running: nettrace ${lesson.unsafe ? '--unsafe ' : ''}stdlib/${lesson.script} ${s.ifA}   (in ${s.nsA})\n`);
    const script = startScript(s.nsA, lesson.script, [s.ifA], lesson.unsafe ?? false);
    await script.attached;
    const figures = await lesson.traffic(s);
    out.write(`traffic: ${lesson.describe(s, figures)}\n`);
    await pause(SETTLE_MS);
    const maps = await script.stop();
    const { findings, explanation } = lesson.read(s, new LessonMaps(maps), figures);
    // Maps in the order the findings name them: the order of the packet's way.
    const rank = (name: string) => ((i) => (i < 0 ? findings.length : i))(findings.findIndex((f) => f.map === name));
    const ordered = [...maps].sort((a, b) => rank(a.name) - rank(b.name));
    out.write(`\n${mapsText(ordered, (map, key) => lesson.keep(s, map, key))}\n\n`);
    out.write('What the figures show:\n');
    let allMatched = true;
    for (const f of findings) {
      const line = mapLine(f.map, f.key);
      if (f.actual === f.expected) {
        out.write(`  ${f.traffic}; ${line} shows ${f.actual}.\n`);
      } else {
        allMatched = false;
        out.write(`  ${f.traffic}, but ${line} shows ${f.actual}, not ${f.expected}.\n`);
      }
    }
    out.write('\n' + explanation.map((l) => `  ${l}`).join('\n') + '\n');
    out.write(`\nOn a real interface: nettrace ${lesson.unsafe ? '--unsafe ' : ''}stdlib/${lesson.script} eth0\n`);
    return allMatched;
  } finally {
    teardown();
    for (const s of signals) process.off(s, onSignal);
    process.off('exit', teardown);
  }
}
