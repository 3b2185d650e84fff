// Every ```nettrace program in docs/language.md compiles and passes the kernel's
// verifier (nettrace --dry-run), on the test's own interface in place of the docs' eth0.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';

function examples(): string[] {
  const doc = readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8');
  return [...doc.matchAll(/```nettrace\n([\s\S]*?)```/g)].map((m) => m[1].trim());
}

let link: TestLink | undefined;
beforeAll(() => {
  link = createTestLink();
});
afterAll(() => link?.destroy());

describe('docs/language.md nettrace examples', () => {
  const programs = examples();

  it('there are examples to check', () => {
    expect(programs.length).toBeGreaterThanOrEqual(3);
  });

  it.each(programs)('%s', async (program) => {
    const { code, stdout, stderr } = await runCli(['--dry-run', '-e', program.replaceAll('eth0', link!.rootIf)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ok: \d+ program\(s\) verified/);
  });
});
