// The exposition as Prometheus' own tools judge it: `promtool check metrics` accepts a
// program using every aggregation (and a plain map); TLS with basic auth from an
// exporter-toolkit web config refuses a scrape without the password (401) and serves one
// with it, with a certificate made by openssl and a hash made by htpasswd; and a
// non-loopback address without a web config is refused (NT0540).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, sleep } from '../../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';
import { pollUntil, startPrometheus, type PrometheusServer } from './prometheus-server.js';
import { startServing, stopServing, type ServingCli } from './serving.js';

let link: TestLink | undefined;
let run: ServingCli | undefined;
let prometheus: PrometheusServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  await prometheus?.stop();
  await stopServing(run);
  link?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
  [link, run, prometheus, dir] = [undefined, undefined, undefined, undefined];
});

const EVERY_AGGREGATION = (ifname: string) => `xdp:${ifname} /udp.dport == 9/ {
  @packets[ip.src, ip.proto] = count();
  @bytes[udp.dport] = sum(pkt.len);
  @offset = sum((s64)pkt.len - 100);
  @average_len = avg(pkt.len);
  @smallest = min(pkt.len);
  @largest = max(pkt.len);
  @len_stats = stats(pkt.len);
  @size = hist(pkt.len);
  @linear = lhist(pkt.len, 0, 1000, 100);
  @last_dst[ip.src] = ip.dst;
  @ttl = ip.ttl;
}`;

describe('the exposition', () => {
  it('promtool check metrics accepts a program using every aggregation', async () => {
    link = createTestLink('ntp');
    run = await startServing(['--serve', '127.0.0.1:0', '-e', EVERY_AGGREGATION(link.rootIf)]);
    sendUdpFromNamespace(link, link.rootAddr, 9, 5, 30);
    sendUdpFromNamespace(link, link.rootAddr, 9, 5, 300);
    await sleep(300);
    const text = await (await fetch(run.url)).text();
    // Every aggregation is there, each as its kind of metric.
    for (const type of ['nettrace_packets_total counter', 'nettrace_bytes_total counter', 'nettrace_offset gauge', 'nettrace_average_len gauge', 'nettrace_smallest gauge', 'nettrace_largest gauge', 'nettrace_len_stats summary', 'nettrace_size histogram', 'nettrace_linear histogram', 'nettrace_last_dst gauge', 'nettrace_ttl gauge']) {
      expect(text).toContain(`# TYPE ${type}\n`);
    }
    expect(text).toContain(`nettrace_packets_total{ip_src="${link.nsAddr}",ip_proto="udp"} 10\n`);
    expect(text).toContain('nettrace_linear_bucket{le="+Inf"} 10\n');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: '' });
    // OpenMetrics when asked for, closed by # EOF.
    const open = await fetch(run.url, { headers: { Accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' } });
    expect(open.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const openText = await open.text();
    expect(openText).toContain('# TYPE nettrace_packets counter\n');
    expect(openText.endsWith('# EOF\n')).toBe(true);
  });
});

describe('contrib/', () => {
  it('the example scrape configuration is one promtool accepts', () => {
    const check = spawnSync('promtool', ['check', 'config', fileURLToPath(new URL('../../../contrib/prometheus.yml', import.meta.url))], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});

describe('TLS and basic auth from a web config', () => {
  it('refuses a scrape without the password (401) and serves one with it, to curl-like clients and to Prometheus', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ntp-webconfig-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    // htpasswd -nbBC 10 prints `user:$2y$10$...`: a bcrypt hash made by a tool other than nettrace.
    const hash = execFileSync('htpasswd', ['-nbBC', '10', 'scraper', 'p4ss:word'], { encoding: 'utf8' }).trim().split(':').slice(1).join(':');
    expect(hash).toMatch(/^\$2y\$10\$/);
    writeFileSync(join(dir, 'web.yml'), `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  scraper: '${hash}'\n`);

    link = createTestLink('ntp');
    run = await startServing(['--serve', '127.0.0.1:0', '--web-config', join(dir, 'web.yml'), '-e', `xdp:${link.rootIf} /udp.dport == 9/ { @packets = count() }`]);
    expect(run.url.startsWith('https://')).toBe(true);
    sendUdpFromNamespace(link, link.rootAddr, 9, 7);
    await sleep(300);

    const ca = readFileSync(cert);
    expect((await get(run.url, ca)).status).toBe(401);
    expect((await get(run.url, ca, 'scraper:wrong')).status).toBe(401);
    expect((await get(run.url, ca, 'nobody:p4ss:word')).status).toBe(401);
    const ok = await get(run.url, ca, 'scraper:p4ss:word');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('nettrace_packets_total 7\n');

    // Prometheus scrapes it with the same credentials over TLS.
    writeFileSync(join(dir, 'password'), 'p4ss:word');
    prometheus = await startPrometheus(
      `  - job_name: nettrace\n    scheme: https\n    tls_config:\n      ca_file: ${cert}\n    basic_auth:\n      username: scraper\n      password_file: ${join(dir, 'password')}\n    static_configs:\n      - targets: ['${run.target}']\n`,
    );
    const total = await pollUntil(() => prometheus!.query('nettrace_packets_total'), (r) => r[0]?.value[1] === '7');
    expect(total.map((r) => r.value[1]), prometheus.log()).toEqual(['7']);
  });

  it('a web config that cannot be read (NT0541) or a port in use (NT0542) stops the start, nothing attached', async () => {
    const missing = await runCli(['--serve', ':0', '--web-config', '/nonexistent/web.yml', '-e', 'BEGIN { @x = count() }']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error[NT0541]');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = busy.address() as { port: number };
      const inUse = await runCli(['--serve', `127.0.0.1:${port}`, '-e', 'BEGIN { @x = count() }']);
      expect(inUse.code).toBe(1);
      expect(inUse.stderr).toContain('error[NT0542]');
      expect(inUse.stdout).not.toContain('Attaching');
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('refuses a non-loopback address without a web config (NT0540)', async () => {
    const { code, stderr } = await runCli(['--serve', '0.0.0.0:0', '-e', 'BEGIN { @x = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain('error[NT0540]');
    expect(stderr).toContain('--serve-insecure');
  });
});

function get(url: string, ca: Buffer, credentials?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = credentials ? { Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } : undefined;
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
