// Assertions for the cases, with nettrace's whole output in every failure message: the
// matrix runs where nobody can rerun a case by hand to look.
import assert from 'node:assert/strict';
import { mapLines } from './nettrace.js';

const shown = (r) => `status ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

export function expectSuccess(r) {
  assert.equal(r.code, 0, `nettrace failed: ${shown(r)}`);
}

/** Status 0 and exactly these map lines (sorted), nothing else. */
export function expectMaps(r, lines) {
  expectSuccess(r);
  assert.deepEqual(mapLines(r.stdout), [...lines].sort(), `expected the map lines:\n${lines.join('\n')}\ngot ${shown(r)}`);
}

/** Status 0 and exactly this standard output. */
export function expectStdout(r, text) {
  expectSuccess(r);
  assert.equal(r.stdout, text, `expected the output:\n${text}\ngot ${shown(r)}`);
}

/** `text` contains `part` (the whole text in the message). */
export function expectContains(text, part, what = 'output') {
  assert.ok(text.includes(part), `expected the ${what} to contain:\n${part}\ngot:\n${text}`);
}

export { assert };
