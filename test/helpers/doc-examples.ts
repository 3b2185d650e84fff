// The programs in docs/language.md, for tests that check every documented example
// passes the kernel's verifier. One reader for all of them, so the doc's conventions
// (```nettrace fences; plain fences in some sections) live in one place.
import { readFileSync } from 'node:fs';
import { runCli } from './cli.js';
import type { TestLink } from './netns.js';

export function languageDoc(): string {
  return readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
}

/** The text of the `## heading` section, up to the next `## `. */
export function docSection(doc: string, heading: string): string {
  return doc.split(/\n(?=## )/).find((s) => s.startsWith(heading)) ?? '';
}

/** Bodies of the fenced code blocks tagged `lang` ('' for untagged fences). */
export function fencedBlocks(text: string, lang = ''): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1].trim());
}

/** Runs `nettrace --dry-run` on a doc example, on the test's interface in place of eth0 and $1. */
export function dryRunExample(program: string, link: TestLink, extraArgs: string[] = []) {
  const text = program.replaceAll('eth0', link.rootIf).replaceAll('$1', link.rootIf);
  return runCli(['--dry-run', ...extraArgs, '-e', text]);
}
