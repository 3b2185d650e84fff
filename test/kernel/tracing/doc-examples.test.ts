// Every program in docs/language.md's "Kernel probes" section compiles and passes the
// kernel's verifier (nettrace --dry-run). Each line of those examples is a program of
// its own. fentry/fexit and kprobe examples verify where the feature probe says the
// kernel has trampolines / kprobes, and end in the kernel's refusal, NT0206, elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docSection, dryRunExample, fencedBlocks, languageDoc } from '../../helpers/doc-examples.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';
import { hasFeature } from '../../../src/runtime/features.js';

function examples(): string[] {
  const programs: string[] = [];
  for (const block of fencedBlocks(docSection(languageDoc(), '## Kernel probes'))) {
    for (const line of block.split('\n')) {
      const text = line.trim();
      if (text === '' || text.startsWith('nettrace ') || text.startsWith('error[') || text.startsWith('hint:')) continue;
      programs.push(text);
    }
  }
  return programs;
}

let link: TestLink | undefined;
beforeAll(() => {
  link = createTestLink();
});
afterAll(() => link?.destroy());

describe('docs/language.md kernel probe examples', () => {
  const programs = examples();

  it('there are examples to check', () => {
    expect(programs.length).toBeGreaterThanOrEqual(8);
  });

  it.each(programs)('%s', async (program) => {
    const { code, stdout, stderr } = await dryRunExample(program, link!);
    const refused = (/^(fentry|fexit|kfunc|kretfunc):/.test(program) && !hasFeature('trampolines')) || (/^(kprobe|kretprobe):/.test(program) && !hasFeature('kprobes'));
    if (refused) {
      expect(code, stderr).toBe(1);
      expect(stderr).toContain('error[NT0206]');
      return;
    }
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('verified');
  });
});
