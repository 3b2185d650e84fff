// tc probes through a clsact qdisc and cls_bpf filters, the way nettrace attaches them on
// kernels without tcx links (before 6.6). This kernel has tcx, so the tests ask for the
// fallback with NETTRACE_DISABLE=tcx; the kernel matrix (test/kernels) runs the same
// path on 5.10 and 6.1, where it is the only one. Filters are not links: these tests
// check that nettrace removes what it made, only what it made, and, after a SIGKILL,
// that the next start removes what the killed run left.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NETTRACE_BIN, runCli, sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, pingFromNamespace, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;
const clis: RunningCli[] = [];
// Records of this file's runs go to a folder of its own, so that other test files'
// nettrace runs (and their cleanup at start) never see them.
const runDir = mkdtempSync(join(tmpdir(), 'nt-tc-classic-'));
const ENV = { NETTRACE_DISABLE: 'tcx', NETTRACE_RUN_DIR: runDir };

afterEach(() => {
  for (const cli of clis.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  // A test that failed half-way may have left a filter: the cleanup under test removes it.
  execFileSync(process.execPath, ['bin/nettrace.js', '--cleanup'], { env: { ...process.env, ...ENV }, stdio: 'ignore' });
  link?.destroy();
  link = undefined;
});

function tc(...args: string[]): string {
  return execFileSync('tc', args, { encoding: 'utf8' });
}

function qdiscs(ifname: string): string[] {
  return tc('qdisc', 'show', 'dev', ifname).split('\n').filter((l) => l.includes('clsact'));
}

function filters(ifname: string): string[] {
  return ['ingress', 'egress'].flatMap((d) => tc('filter', 'show', 'dev', ifname, d).split('\n').filter((l) => l.includes(' bpf ') && l.includes('handle')));
}

async function start(program: string, probes: number): Promise<RunningCli> {
  const cli = startCli(['-v', '-e', program], ENV);
  clis.push(cli);
  await cli.waitFor(`Attaching ${probes} probe${probes === 1 ? '' : 's'}...`);
  return cli;
}

async function stop(cli: RunningCli): Promise<string> {
  cli.child.kill('SIGINT');
  expect(await cli.exited, cli.stderr()).toBe(0);
  return cli.stdout();
}

describe('tc without tcx: clsact and cls_bpf', () => {
  it('counts both directions exactly, then removes its filters and the qdisc it made', async () => {
    link = createTestLink();
    const l = link;
    const cli = await start(`tc:${l.rootIf} /icmp/ { @[direction, icmp.type] = count() }`, 2);
    expect(cli.stderr()).toContain(`attached tc:${l.rootIf}:ingress (clsact filter)`);
    expect(qdiscs(l.rootIf)).toHaveLength(1);
    expect(filters(l.rootIf)).toHaveLength(2);
    expect(filters(l.rootIf).every((f) => / nt_prog\d:\[\d+\] direct-action/.test(f))).toBe(true);
    expect(pingFromNamespace(l, l.rootAddr, 6)).toBe(6);
    await sleep(300);
    const out = await stop(cli);
    expect(out).toContain('@[ingress, 8]: 6');
    expect(out).toContain('@[egress, 0]: 6');
    expect(filters(l.rootIf)).toEqual([]);
    expect(qdiscs(l.rootIf)).toEqual([]);
    expect(readdirSync(join(runDir, 'tc'))).toEqual([]);
  });

  it('a clsact qdisc that was there before stays, with the filters of others on it', async () => {
    link = createTestLink();
    const l = link;
    tc('qdisc', 'add', 'dev', l.rootIf, 'clsact');
    const first = await start(`tc:${l.rootIf}:ingress { @a = count() }`, 1);
    const second = await start(`tc:${l.rootIf}:ingress /icmp/ { @b = count() }`, 1);
    expect(filters(l.rootIf)).toHaveLength(2);
    await stop(first);
    // The second run's filter still counts after the first has gone.
    expect(pingFromNamespace(l, l.rootAddr, 4)).toBe(4);
    await sleep(300);
    expect(await stop(second)).toContain('@b: 4');
    expect(filters(l.rootIf)).toEqual([]);
    expect(qdiscs(l.rootIf)).toHaveLength(1);
  });

  it('the run that made the qdisc leaves it while another run still has a filter on it', async () => {
    link = createTestLink();
    const l = link;
    const maker = await start(`tc:${l.rootIf}:egress { @a = count() }`, 1);
    const other = await start(`tc:${l.rootIf}:ingress { @b = count() }`, 1);
    await stop(maker);
    expect(qdiscs(l.rootIf)).toHaveLength(1);
    expect(filters(l.rootIf)).toHaveLength(1);
    await stop(other);
    // The last one out removes the qdisc nettrace made, though another run made it.
    expect(filters(l.rootIf)).toEqual([]);
    expect(qdiscs(l.rootIf)).toEqual([]);
  });

  it('after SIGKILL, the next start removes the filters and the qdisc, and says so', async () => {
    link = createTestLink();
    const l = link;
    const killed = await start(`tc:${l.rootIf} { @ = count() }`, 2);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(filters(l.rootIf)).toHaveLength(2);
    expect(qdiscs(l.rootIf)).toHaveLength(1);
    const next = await runCli(['-e', 'BEGIN { exit() }'], ENV);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`nettrace: removed tc filter nt_prog0:[`);
    expect(next.stderr).toContain(`from ${l.rootIf} ingress, left by nettrace process ${killed.child.pid}, which is gone`);
    expect(next.stderr).toContain(`nettrace: removed the clsact qdisc of ${l.rootIf}, made by nettrace process ${killed.child.pid}, which is gone`);
    expect(filters(l.rootIf)).toEqual([]);
    expect(qdiscs(l.rootIf)).toEqual([]);
  });

  it('nettrace journey, like every start, first removes what a killed run left', async () => {
    link = createTestLink();
    const l = link;
    const killed = await start(`tc:${l.rootIf} { @ = count() }`, 2);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(filters(l.rootIf)).toHaveLength(2);
    const journey = await runCli(['journey', l.rootIf, '--timeout', '1'], ENV);
    expect(journey.code).toBe(0);
    expect(journey.stderr).toContain(`from ${l.rootIf} ingress, left by nettrace process ${killed.child.pid}, which is gone`);
    expect(filters(l.rootIf)).toEqual([]);
    expect(qdiscs(l.rootIf)).toEqual([]);
  });

  it('nettrace --cleanup without privileges is a diagnostic, not a stack trace', () => {
    // setpriv drops every capability while staying uid 0.
    const r = spawnSync('setpriv', ['--inh-caps=-all', '--bounding-set=-all', process.execPath, NETTRACE_BIN, '--cleanup'], { encoding: 'utf8', env: { ...process.env, ...ENV } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[NT0501]: nettrace --cleanup needs');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('nettrace --cleanup removes what a killed run left, and a second time finds nothing', async () => {
    link = createTestLink();
    const l = link;
    const killed = await start(`tc:${l.rootIf}:egress { @ = count() }`, 1);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const first = await runCli(['--cleanup'], ENV);
    expect(first.code).toBe(0);
    expect(first.stderr.trim().split('\n')).toHaveLength(2);
    expect(filters(l.rootIf)).toEqual([]);
    expect(qdiscs(l.rootIf)).toEqual([]);
    const second = await runCli(['--cleanup'], ENV);
    expect(second.stdout).toBe('nettrace: nothing left behind by earlier runs\n');
  });
});

afterAll(() => rmSync(runDir, { recursive: true, force: true }));
