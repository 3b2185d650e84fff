// Without -e or a file, and not on a terminal, nettrace reads its program from stdin.
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';

describe('a program on standard input', () => {
  it('runs like a script', async () => {
    const cli = startCli([]);
    cli.child.stdin.end('BEGIN { printf("from stdin %d\\n", 6 * 7); exit() }\n');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain('from stdin 42\n');
  });

  it('reports errors against <stdin>', async () => {
    const cli = startCli([]);
    cli.child.stdin.end('BEGIN { @x = nosuchname }\n');
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/^<stdin>:1:14: error\[NT0301\]/);
  });
});
