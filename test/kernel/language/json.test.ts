// -f json: every line parses and follows the schema documented in docs/output.md, and
// carries the same values the text output would.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { validate, type Schema } from '../../helpers/json-schema.js';
import { TraceRun } from './trace.js';

const run = new TraceRun();
afterEach(() => run.cleanup());

function documentedSchema(): Schema {
  const doc = readFileSync(new URL('../../../docs/output.md', import.meta.url), 'utf8');
  const block = /### Schema[\s\S]*?```json\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/output.md has no ```json schema block under ### Schema');
  return JSON.parse(block[1]) as Schema;
}

describe('-f json', () => {
  it('prints one schema-valid object per line with the values of the run', async () => {
    const schema = documentedSchema();
    const link = run.newLink();
    await run.start(
      ['-f', 'json', '-e', `BEGIN { printf("start %d\\n", 1) }
        xdp:${link.rootIf} /udp.dport == 9/ {
          @c[ip.src] = count(); @h = hist(pkt.len); @l = lhist(pkt.len, 0, 100, 25); @st = stats(pkt.len);
          @a = avg(pkt.len); @last = pkt.len; @proto = ip.proto; @ok = true; @name = "nettrace"
        }
        END { print(@c, 1) }`],
      '"type":"attached"',
    );
    run.udp(9, 3);
    const { code, stdout } = await run.stop();
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, o] of objects.entries()) expect(validate(o, schema), `line ${i + 1}: ${lines[i]}`).toEqual([]);

    expect(objects[0]).toEqual({ type: 'attached', probes: 3 });
    expect(objects[1]).toEqual({ type: 'printf', probe: 'BEGIN', text: 'start 1\n' });
    // END's print(@c, 1), then every map at exit in name order.
    expect(objects[2]).toEqual({ type: 'map', name: '@c', aggregation: 'count', top: 1, entries: [{ key: [link.nsAddr], value: 3 }] });
    const maps = Object.fromEntries(objects.slice(3).map((o) => [o.name as string, o]));
    expect(Object.keys(maps)).toEqual(['@a', '@c', '@h', '@l', '@last', '@name', '@ok', '@proto', '@st']);
    expect(maps['@a'].entries).toEqual([{ key: [], value: 58 }]);
    expect(maps['@h'].entries).toEqual([{ key: [], value: [{ min: 32, max: 64, count: 3 }] }]);
    expect(maps['@l'].entries).toEqual([{ key: [], value: [{ min: 50, max: 75, count: 3 }] }]);
    expect(maps['@st'].entries).toEqual([{ key: [], value: { count: 3, average: 58, total: 174, min: 58, max: 58 } }]);
    expect(maps['@last']).toEqual({ type: 'map', name: '@last', aggregation: null, entries: [{ key: [], value: 58 }] });
    expect(maps['@proto'].entries).toEqual([{ key: [], value: 'udp' }]);
    expect(maps['@ok'].entries).toEqual([{ key: [], value: true }]);
    expect(maps['@name'].entries).toEqual([{ key: [], value: 'nettrace' }]);
  });

  it('the schema rejects what it should (the checker is not vacuous)', () => {
    const schema = documentedSchema();
    expect(validate({ type: 'attached', probes: 1 }, schema)).toEqual([]);
    expect(validate({ type: 'attached' }, schema)).not.toEqual([]);
    expect(validate({ type: 'map', name: '@x', aggregation: 'count', entries: [{ key: [], value: 'x', extra: 1 }] }, schema)).not.toEqual([]);
    expect(validate({ type: 'printf', probe: 'BEGIN', text: 3 }, schema)).not.toEqual([]);
  });
});
