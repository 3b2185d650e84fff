// Issue 12, items 3 and 4: big programs load and count exactly. 200 predicated blocks on
// one xdp:IF (one program: the verifier's work must grow linearly, so the prologue's
// paths are merged once, codegen/packet-state-barrier.ts), and one block of 100
// string-keyed statements (their keys share stack bytes: 512 bytes is the whole stack).
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, macAddress, requireRoot, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';

requireRoot();

let link: TestLink | undefined;
let cli: RunningCli | undefined;

afterEach(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  link = undefined;
  cli = undefined;
});

/** The kernel allows 64 maps per program: 200 blocks share 50 maps, block i counts into @m(i % 50). */
function twoHundredBlocks(ifname: string): string {
  let text = '';
  for (let i = 0; i < 200; i++) text += `xdp:${ifname} /udp.dport == ${1000 + i}/ { @m${i % 50}[eth.src] = count() }\n`;
  return text;
}

function processedInsns(stdout: string): number {
  const m = /processed (\d+) insns/.exec(stdout);
  if (!m) throw new Error(`no verifier summary in:\n${stdout.slice(-2000)}`);
  return Number(m[1]);
}

describe('big programs', () => {
  it('200 predicated blocks on one xdp:IF load, count exactly, and verify in linear work', async () => {
    link = createTestLink('npf');
    const program = twoHundredBlocks(link.rootIf);
    // Before the barrier: ~890,000 instructions processed for this program (1M is the limit).
    const verified = await runCli(['-d', 'verifier', '-e', program]);
    expect(verified.code).toBe(0);
    const processed200 = processedInsns(verified.stdout);
    expect(processed200).toBeLessThan(200_000);
    const fifty = await runCli(['-d', 'verifier', '-e', twoHundredBlocks(link.rootIf).split('\n').slice(0, 50).join('\n')]);
    expect(processed200).toBeLessThan(6 * processedInsns(fifty.stdout));

    cli = startCli(['-e', program]);
    await cli.waitFor('Attaching 1 probe...'); // one program for the interface
    sendUdpFromNamespace(link, link.rootAddr, 1000, 7); // block 0 -> @m0
    sendUdpFromNamespace(link, link.rootAddr, 1050, 4); // block 50 -> @m0 as well
    sendUdpFromNamespace(link, link.rootAddr, 1123, 5); // block 123 -> @m23
    sendUdpFromNamespace(link, link.rootAddr, 1199, 3); // block 199 -> @m49
    sendUdpFromNamespace(link, link.rootAddr, 1200, 6); // no block
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const mac = macAddress(link.nsIf, link.ns);
    const counts = cli
      .stdout()
      .split('\n')
      .filter((l) => /^@m\d+\[/.test(l))
      .sort();
    expect(counts).toEqual([`@m0[${mac}]: 11`, `@m23[${mac}]: 5`, `@m49[${mac}]: 3`]);
  }, 120_000);

  it('more than 64 maps on one xdp:IF: NT0460 names the limit, not a nettrace bug', async () => {
    link = createTestLink('npf');
    let text = '';
    for (let i = 0; i < 70; i++) text += `xdp:${link.rootIf} { @m${i}[ip.src] = count() }\n`;
    const result = await runCli(['--dry-run', '-e', text]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error[NT0460]: the program for xdp:${link.rootIf} uses more than the 64 maps the kernel allows one program`);
    expect(result.stderr).not.toContain('nettrace bug');
  }, 60_000);

  it('one block of 100 string-keyed statements fits the stack and counts each', async () => {
    link = createTestLink('npf');
    // Warm the neighbour entry first, so only the measured datagrams (58 bytes on the wire) pass the predicate.
    sendUdpFromNamespace(link, link.rootAddr, 9, 1);
    let text = `tracepoint:net:net_dev_queue /args.name == "${link.nsIf}" && args.len == 58/ {\n`;
    for (let i = 0; i < 100; i++) text += `  @m${i % 50}[args.name, ${i}] = count();\n`;
    text += '}\n';
    cli = startCli(['-e', text]);
    await cli.waitFor('Attaching 1 probe...');
    sendUdpFromNamespace(link, link.rootAddr, 9, 9);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const lines = cli.stdout().split('\n').filter((l) => /^@m\d+\[/.test(l));
    expect(lines).toHaveLength(100);
    for (let i = 0; i < 100; i++) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^@m${i % 50}\\["?${link.nsIf}"?, ${i}\\]: 9$`)));
    }
  }, 120_000);
});
