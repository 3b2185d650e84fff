// `nettrace lesson` lists the lessons; `nettrace lesson NAME` runs one.
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/did-you-mean.js';
import { LESSONS, findLesson } from './registry.js';
import { runLesson } from './run-lesson.js';

export type LessonOutcome = { ok: true; status: number } | { ok: false; diagnostics: Diagnostic[] };

export function lessonList(): string {
  const width = Math.max(...LESSONS.map((l) => l.name.length));
  const rows = LESSONS.map((l) => `  ${l.name.padEnd(width)}  ${l.title}`);
  return `Lessons (run one: nettrace lesson NAME; each builds its own sandbox and traffic):\n\n${rows.join('\n')}\n`;
}

export async function lessonCommand(args: string[], out: NodeJS.WritableStream): Promise<LessonOutcome> {
  if (args.length === 0) {
    out.write(lessonList());
    return { ok: true, status: 0 };
  }
  if (args.length > 1) return { ok: false, diagnostics: [error(E.BadOption, `nettrace lesson takes one lesson name, not ${args.length}`, undefined, 'nettrace lesson lists them')] };
  const lesson = findLesson(args[0]);
  if (!lesson) {
    const close = closest(args[0], LESSONS.map((l) => l.name));
    return { ok: false, diagnostics: [error(E.UnknownLesson, `no lesson named '${args[0]}'`, undefined, close ? `did you mean '${close}'? (nettrace lesson lists them)` : 'nettrace lesson lists them')] };
  }
  try {
    return { ok: true, status: (await runLesson(lesson, out)) ? 0 : 1 };
  } catch (e) {
    return { ok: false, diagnostics: [error(E.LessonFailed, `lesson ${lesson.name} could not run: ${(e as Error).message}`, undefined, 'the sandbox was removed; run it again, or nettrace --info to see what the kernel offers')] };
  }
}
