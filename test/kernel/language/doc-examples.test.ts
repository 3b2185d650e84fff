// Every ```nettrace program in docs/language.md compiles and passes the kernel's
// verifier (nettrace --dry-run), on the test's own interface in place of the docs' eth0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRunExample, fencedBlocks, languageDoc } from '../../helpers/doc-examples.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';

const examples = () => fencedBlocks(languageDoc(), 'nettrace');

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
    const { code, stdout, stderr } = await dryRunExample(program, link!);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ok: \d+ program\(s\) verified/);
  });
});
