// Every program in docs/language.md's probe, packet-model and action sections compiles
// and passes the kernel's verifier (nettrace --dry-run), on the test's own interface in
// place of the docs' eth0 and $1.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';

const SECTIONS = ['## Probes', '## The packet model', '## Actions'];

/** Fenced code blocks of the given top-level sections that are programs, not shell lines. */
function examples(): string[] {
  const doc = readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8');
  const out: string[] = [];
  for (const section of doc.split(/\n(?=## )/)) {
    if (!SECTIONS.some((s) => section.startsWith(s))) continue;
    for (const m of section.matchAll(/```\n([\s\S]*?)```/g)) {
      const program = m[1].trim();
      if (!program.split('\n').some((l) => l.startsWith('nettrace '))) out.push(program);
    }
  }
  return out;
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
    const text = program.replaceAll('eth0', link!.rootIf).replaceAll('$1', link!.rootIf);
    const { code, stdout, stderr } = await runCli(['--dry-run', '--unsafe', '-e', text]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ok: \d+ program\(s\) verified/);
  });
});
