// Every program in docs/language.md's "Kernel probes" section compiles and passes the
// kernel's verifier (nettrace --dry-run). Each line of those examples is a program of
// its own. fentry/fexit/kprobe examples must end in this kernel's refusal, NT0206.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';

function examples(): string[] {
  const doc = readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8');
  const section = doc.split(/\n(?=## )/).find((s) => s.startsWith('## Kernel probes'));
  if (!section) return [];
  const programs: string[] = [];
  for (const m of section.matchAll(/```\n([\s\S]*?)```/g)) {
    for (const line of m[1].split('\n')) {
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
    const text = program.replaceAll('eth0', link!.rootIf);
    const { code, stdout, stderr } = await runCli(['--dry-run', '-e', text]);
    if (/^(fentry|fexit|kprobe|kretprobe|kfunc|kretfunc):/.test(text)) {
      expect(code, stderr).toBe(1);
      expect(stderr).toContain('error[NT0206]');
      return;
    }
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('verified');
  });
});
