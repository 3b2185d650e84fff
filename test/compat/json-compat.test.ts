// `--json-compat bpftrace` (issue 11): corpus programs with every kind of output line
// (attached_probes, printf, value, map, hist, stats) run through `bpftrace -f json` and
// `nettrace --json-compat bpftrace` side by side on the same traffic (side-by-side.ts);
// nettrace's standard output must be bpftrace's, byte for byte.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestLink, type TestLink } from '../helpers/netns.js';
import { corpus, instantiate, linesOf, requireBpftrace, runSideBySide } from './side-by-side.js';

let link: TestLink | undefined;

afterEach(() => {
  link?.destroy();
  link = undefined;
});

beforeAll(() => requireBpftrace());

/** One program per kind of line, and keys of strings, numbers, several fields and none. */
const CHOSEN = ['03-hist.bt', '04-lhist.bt', '05-sum-min-max-avg-stats.bt', '06-printf-per-event.bt', '08-begin-end.bt', '18-string-and-int-key.bt', '36-print-value.bt'];

const randomPort = () => 20000 + Math.floor(Math.random() * 30000);

describe('-f json as bpftrace writes it', () => {
  const programs = corpus().filter((p) => CHOSEN.includes(p.file));

  it('the chosen programs are in the corpus, unedited', () => {
    expect(programs.map((p) => p.file)).toEqual(CHOSEN);
    for (const p of programs) expect(p.edit ?? p.prints, p.file).toBeUndefined();
  });

  it.each(programs.map((p) => [p.file, p] as const))('%s', async (_file, program) => {
    link = createTestLink('nbo');
    const ports = { udp: randomPort(), tcp: randomPort() };
    const text = instantiate(program.text, link, ports);
    const { bpftrace, nettrace } = await runSideBySide(text, text, link, ports, {
      bpftrace: ['-f', 'json'],
      nettrace: ['--json-compat', 'bpftrace'],
      attachedMark: '"attached_probes"',
    });
    expect(nettrace.stderr).toBe('');
    expect([nettrace.code, bpftrace.code]).toEqual([0, 0]);
    // bpftrace's output is the expected text; it must hold more than its attached_probes line.
    expect(linesOf(bpftrace.stdout).length, bpftrace.stdout + bpftrace.stderr).toBeGreaterThan(1);
    expect(nettrace.stdout).toBe(bpftrace.stdout);
  }, 90_000);
});
