// Integers, casts, booleans, strings, variables and plain maps, run in the kernel (BEGIN
// runs once, so every value is known).
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

async function begin(body: string): Promise<string> {
  const { code, stdout, stderr } = await runCli(['-e', `BEGIN { ${body}; exit() }`]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout.replace(/^Attaching 1 probe\.\.\.\n/, '');
}

describe('values', () => {
  it('integer casts truncate and take the target signedness', async () => {
    expect(await begin('printf("%d %d %d %u %d %d\\n", (u8)300, (s8)200, (s16)-1, (u16)-1, (u32)4294967297, (bool)7)')).toBe('44 -56 -1 65535 1 1\n\n\n');
  });

  it('signed arithmetic divides toward zero; unsigned stays unsigned', async () => {
    const out = await begin('$a = -7; $b = 2; printf("%d %d %d %d %u\\n", $a / $b, $a % $b, $a >> 1, -$a * 3, (u64)1 - 2)');
    expect(out).toBe('-3 -1 -4 21 18446744073709551615\n\n\n');
  });

  it('comparisons: signed when a side is signed, strings as strcmp() == 0', async () => {
    const out = await begin('$n = -1; $s = "abc"; printf("%d %d %d %d %d\\n", $n < 0, (u64)$n > 0, $s == "abc", $s == "ab", $s != "abd")');
    expect(out).toBe('1 1 1 0 1\n\n\n');
  });

  it('variables keep their type; a string variable holds its longest value', async () => {
    const out = await begin('$s = "a"; $t = $s; $s = "a longer one"; $i = 1; $i += 41; $i <<= 1; printf("%s|%s|%d\\n", $t, $s, $i)');
    expect(out).toBe('a|a longer one|84\n\n\n');
  });

  it('plain maps: assign, compound assign, increment, read, and zero for absent keys', async () => {
    const out = await begin('@m["x"] = 5; @m["x"] += 10; @m["y"]++; @m["y"]++; @r = @m["x"] * 2; @none = @m["nope"]; @who = comm; @flag = 3 > 2; @net[10.0.0.1, 53] = 1');
    expect(out).toBe('\n\n@flag: true\n@m[y]: 2\n@m[x]: 15\n@net[10.0.0.1, 53]: 1\n@none: 0\n@r: 30\n@who: node\n');
  });

  it('uid, gid and bswap(), as bpftrace has them', async () => {
    const out = await begin('printf("%u %u %x %x\\n", uid, gid, bswap((u16)0x1234), bswap((u32)0x12345678))');
    expect(out).toBe(`${process.getuid!()} ${process.getgid!()} 3412 78563412\n\n\n`);
  });

  it('if / else if / else and the ternary operator', async () => {
    const out = await begin('$x = 7; if ($x < 5) { printf("small\\n") } else if ($x < 10) { printf("medium\\n") } else { printf("large\\n") } printf("%s\\n", $x > 5 ? "yes" : "no")');
    expect(out).toBe('medium\nyes\n\n\n');
  });
});
