// Every program in docs/language.md's probe, packet-model and action sections compiles
// and passes the kernel's verifier (nettrace --dry-run), on the test's own interface in
// place of the docs' eth0 and $1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docSection, dryRunExample, fencedBlocks, languageDoc } from '../../helpers/doc-examples.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';

const SECTIONS = ['## Probes', '## The packet model', '## Actions'];

/** Fenced code blocks of those sections that are programs, not shell lines. */
function examples(): string[] {
  const doc = languageDoc();
  return SECTIONS.flatMap((heading) => fencedBlocks(docSection(doc, heading))).filter(
    (program) => !program.split('\n').some((l) => l.startsWith('nettrace ')),
  );
}

let link: TestLink | undefined;
beforeAll(() => {
  link = createTestLink();
});
afterAll(() => link?.destroy());

describe('docs/language.md packet examples', () => {
  const programs = examples();

  it('there are examples to check', () => {
    expect(programs.length).toBeGreaterThanOrEqual(3);
  });

  it.each(programs)('%s', async (program) => {
    const { code, stdout, stderr } = await dryRunExample(program, link!, ['--unsafe']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ok: \d+ program\(s\) verified/);
  });
});
