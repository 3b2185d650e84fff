// Runs the real REPL (dist/, live kernel engine) inside the bench's tmux terminal and
// records what it costs: every map read's duration (onRead) and every frame's render time
// (onRender). Its pid and the figures so far go to the file given as argv[2] once a
// second, so the bench can read them while this runs and after it is stopped.
import { writeFileSync } from 'node:fs';

const out = process.argv[2];
const reads = [];
const renders = [];
const save = () => writeFileSync(out, JSON.stringify({ pid: process.pid, reads, renders }));
save();
const timer = setInterval(save, 1000);
timer.unref();
process.on('exit', save);

const { startRepl } = await import('../../dist/repl/index.js');
await startRepl({
  historyFile: '/dev/null',
  onRead: (readMs) => reads.push({ at: Date.now(), ms: readMs }),
  onRender: ({ renderTime }) => renders.push({ at: Date.now(), ms: renderTime }),
});
save();
process.exit(0);
