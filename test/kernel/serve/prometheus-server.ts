// A real Prometheus server (Debian's `prometheus` package) for one test: a loopback port
// nobody uses, a temporary data directory, a 1 s scrape interval, and stop() that ends
// the process and removes the directory. Queries go through its HTTP API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrometheusServer {
  url: string;
  /** An instant query's vector result. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** What Prometheus printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `scrapeConfigs`: the YAML of the scrape_configs list, indented by two. */
export async function startPrometheus(scrapeConfigs: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ntp-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${scrapeConfigs}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const server: PrometheusServer = {
    url,
    log: () => output,
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Ready once its readiness endpoint answers.
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return server;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() - started > 30_000) {
      await server.stop();
      throw new Error(`prometheus did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Polls `read` until `done` holds or `timeoutMs` passes; returns the last value read. */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() - started > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
}
