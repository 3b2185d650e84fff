// -d, --dry-run and -v work for everything the language core added.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NETTRACE_BIN, runCli } from '../../helpers/cli.js';

const PROGRAM = 'BEGIN { printf("begin %s\\n", comm) } interval:s:1 { @t = count(); print(@t) } END { @h = hist(5); exit() }';

describe('stages and checks', () => {
  it('-d ir shows one function per probe and the ring buffer output', async () => {
    const { code, stdout } = await runCli(['-d', 'ir', '-e', PROGRAM]);
    expect(code).toBe(0);
    expect(stdout.match(/^define i32 @prog\d\(/gm)).toHaveLength(3);
    expect(stdout).toContain('inttoptr (i64 130 to'); // bpf_ringbuf_output
  });

  it('-d asm disassembles every program', async () => {
    const { code, stdout } = await runCli(['-d', 'asm', '-e', PROGRAM]);
    expect(code).toBe(0);
    for (const section of ['xdp/prog0', 'perf_event/prog1', 'xdp/prog2']) expect(stdout).toContain(section);
  });

  it('--dry-run verifies every program and runs none (BEGIN prints nothing)', async () => {
    const { code, stdout } = await runCli(['--dry-run', '-e', PROGRAM]);
    expect(code).toBe(0);
    expect(stdout).toBe('-e: ok: 3 program(s) verified, nothing attached\n');
  });

  it('-v prints the verifier log of each program and how it attached', async () => {
    const { code, stdout, stderr } = await runCli(['-v', '-e', 'BEGIN { printf("x\\n") } interval:ms:100 { exit() }']);
    expect(code).toBe(0);
    expect(stdout).toBe('Attaching 2 probes...\nx\n\n\n');
    expect(stderr).toContain('verifier log for BEGIN:');
    expect(stderr).toContain('verifier log for interval:ms:100:');
    expect(stderr).toContain('attached BEGIN (runs at start)');
    expect(stderr).toContain('attached interval:ms:100 (every 100 ms on CPU 0)');
  });
});

describe('.nt files', () => {
  const SCRIPT = '#!/usr/bin/env nettrace\n// a line comment\nBEGIN {\n  /* a block\n     comment */\n  printf("hello from %s\\n", "a file");\n  exit()\n}\n';

  it('run as nettrace FILE.nt, and as an executable through the shebang', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-script-'));
    try {
      const script = join(dir, 'hello.nt');
      writeFileSync(script, SCRIPT);
      chmodSync(script, 0o755);
      const direct = spawnSync(process.execPath, [NETTRACE_BIN, script], { encoding: 'utf8' });
      expect(direct.stdout).toBe('Attaching 1 probe...\nhello from a file\n\n\n');
      expect(direct.status).toBe(0);
      // `#!/usr/bin/env nettrace` finds nettrace on PATH, as after npm install -g.
      symlinkSync(NETTRACE_BIN, join(dir, 'nettrace'));
      const shebang = spawnSync(script, [], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
      expect(shebang.stdout).toBe('Attaching 1 probe...\nhello from a file\n\n\n');
      expect(shebang.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
