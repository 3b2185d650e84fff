// The compat corpus (issue 11): bpftrace programs, tracepoint-based since this kernel has
// no kprobes, each run through bpftrace 0.17 and nettrace side by side on the same
// traffic (side-by-side.ts), the outputs compared byte for byte. A program runs in
// nettrace unchanged, or with the one edit its `// nettrace-edit:` line names and its
// `// difference:` line explains (test/compat/README.md).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestLink, type TestLink } from '../helpers/netns.js';
import { corpus, instantiate, linesOf, requireBpftrace, runSideBySide } from './side-by-side.js';

let link: TestLink | undefined;

afterEach(() => {
  link?.destroy();
  link = undefined;
});

beforeAll(() => requireBpftrace());

/** The program with one edit made in its code, not in its `//` comments (which name the edit). */
function editCode(text: string, from: string, to: string): string {
  return text.split('\n').map((line) => (line.startsWith('//') ? line : line.replace(from, to))).join('\n');
}

const randomPort = () => 20000 + Math.floor(Math.random() * 30000);

describe('bpftrace programs run side by side with bpftrace', () => {
  const programs = corpus();

  it('the corpus has its programs, and a difference is always explained', () => {
    expect(programs.length).toBeGreaterThanOrEqual(16);
    for (const p of programs) {
      if (p.edit || p.prints) expect(p.difference, p.file).toBeTruthy();
      expect(p.edit && p.prints, `${p.file}: one difference at most`).toBeFalsy();
    }
  });

  it.each(programs.map((p) => [p.file, p] as const))('%s', async (_file, program) => {
    link = createTestLink('ntf');
    const ports = { udp: randomPort(), tcp: randomPort() };
    const text = instantiate(program.text, link, ports);
    const nettraceText = program.edit ? editCode(text, program.edit.from, program.edit.to) : text;
    if (program.edit) expect(nettraceText, 'the edit applies to the program').not.toBe(text);
    const { bpftrace, nettrace } = await runSideBySide(text, nettraceText, link, ports);
    expect(nettrace.stderr).toBe('');
    expect(nettrace.code).toBe(0);
    expect(bpftrace.code).toBe(0);
    // bpftrace's output is the expected text; it must have traced something besides its "Attaching" line.
    expect(linesOf(bpftrace.stdout).length, bpftrace.stdout + bpftrace.stderr).toBeGreaterThan(1);
    // Byte for byte: every line, blank lines and trailing spaces included.
    const expected = bpftrace.stdout;
    if (program.prints) {
      expect(expected, 'the printed difference is in bpftrace\'s output').toContain(program.prints.from);
      expect(nettrace.stdout).toBe(expected.replaceAll(program.prints.from, program.prints.to));
    } else {
      expect(nettrace.stdout).toBe(expected);
    }
  }, 90_000);
});
