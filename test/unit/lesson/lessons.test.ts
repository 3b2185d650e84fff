// The lesson records against their scripts and docs: every lesson names a stdlib script
// that exists and opens with where its hooks sit and how to read it, names are unique,
// docs/lessons.md has a section for each, and the list and unknown names behave.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessonCommand, lessonList } from '../../../src/lesson/command.js';
import { LESSONS } from '../../../src/lesson/registry.js';
import { sandboxNames, sandboxSubnet } from '../../../src/lesson/sandbox.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('lessons', () => {
  it('are the twelve of the issue and latency, with unique names', () => {
    expect(LESSONS).toHaveLength(13);
    expect(new Set(LESSONS.map((l) => l.name)).size).toBe(13);
  });

  it('each runs a stdlib script that explains its hooks and its output', () => {
    for (const lesson of LESSONS) {
      const text = read(`stdlib/${lesson.script}`);
      expect(text.startsWith('//'), lesson.script).toBe(true);
      expect(text, lesson.script).toMatch(/Where the hooks? sits?[:,]/);
      expect(text, lesson.script).toContain('How to read it:');
      // Run on a real interface the same way: the usage line names the script.
      expect(text, lesson.script).toContain(`nettrace ${lesson.unsafe ? '--unsafe ' : ''}stdlib/${lesson.script}`);
    }
  });

  it('docs/lessons.md has a section for each, with what it teaches and its script', () => {
    const doc = read('docs/lessons.md');
    for (const lesson of LESSONS) {
      const section = doc.split(/^### /m).find((s) => s.startsWith(`\`${lesson.name}\``));
      expect(section, lesson.name).toBeDefined();
      expect(section, lesson.name).toContain(`stdlib/${lesson.script}`);
    }
  });

  it('`nettrace lesson` lists every lesson with its title', async () => {
    const text = lessonList();
    for (const lesson of LESSONS) expect(text).toContain(`${lesson.name.padEnd(13)}  ${lesson.title}`);
    let out = '';
    const outcome = await lessonCommand([], { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream);
    expect(outcome).toEqual({ ok: true, status: 0 });
    expect(out).toBe(text);
  });

  it('an unknown name is NT0560 with the closest name; two names are NT0505', async () => {
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const unknown = await lessonCommand(['tcp-state'], sink);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.diagnostics[0].code).toBe('NT0560');
      expect(unknown.diagnostics[0].hints[0]).toContain("did you mean 'tcp-states'");
    }
    const two = await lessonCommand(['drops', 'arp'], sink);
    expect(!two.ok && two.diagnostics[0].code).toBe('NT0505');
  });

  it('sandboxes are named by pid and get a /28 of 198.18.0.0/15 of their own', () => {
    expect(sandboxNames(4242)).toEqual({ nsA: 'ntl-4242-a', nsB: 'ntl-4242-b', ifA: 'ntl4242a', ifB: 'ntl4242b' });
    // Interface names fit IFNAMSIZ (15 characters) for any pid up to 2^22.
    expect(sandboxNames(4194304).ifA.length).toBeLessThanOrEqual(15);
    const seen = new Set<string>();
    for (let pid = 0; pid < 8192; pid++) {
      const [a, b, c, d] = sandboxSubnet(pid);
      expect(a).toBe(198);
      expect([18, 19]).toContain(b);
      expect(d % 16).toBe(0);
      seen.add(`${b}.${c}.${d}`);
    }
    expect(seen.size).toBe(8192);
  });
});
