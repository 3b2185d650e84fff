// The endpoint's security: where it may listen, the exporter-toolkit web config, and
// basic auth against bcrypt hashes made by Apache's htpasswd (not by nettrace's code).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BasicAuth, parseBasic } from '../../../src/serve/basic-auth.js';
import { isLoopback, metricsUrl, parseListenAddress } from '../../../src/serve/listen-address.js';
import { insecureServe } from '../../../src/serve/serve-policy.js';
import { readWebConfig, WebConfigError, webConfigOf } from '../../../src/serve/web-config.js';

// `htpasswd -nbBC 10 scraper 'correct horse'` and `htpasswd -nbBC 4 ops 'pa:ss'` (apache2-utils 2.4).
const SCRAPER_HASH = '$2y$10$/zatWgD5EGIQtUMX0YZP4utweVXlXLKK9.voxtW1fmY3Ff8YXa/Ka';
const OPS_HASH = '$2y$04$eCT8ZCL0wuRmVqzxKOtsKeq.XF4224Zkkw/pKQEZVi8IDuAHj/9v2';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('--serve addresses', () => {
  it('ADDR:PORT, [v6]:PORT, and :PORT or PORT alone on loopback', () => {
    expect(parseListenAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListenAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('localhost:0')).toEqual({ host: 'localhost', port: 0 });
  });

  it('refuses what is not an address and port', () => {
    for (const bad of ['eth0', 'example.com:80', '1.2.3.4:70000', '[1.2.3.4]:80', '1.2.3.4']) expect(parseListenAddress(bad)).toHaveProperty('error');
  });

  it('loopback is 127.0.0.0/8, ::1 and localhost', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.1', '198.18.0.1'].map(isLoopback)).toEqual([false, false, false, false]);
    expect(metricsUrl({ host: '::1', port: 80 }, true)).toBe('https://[::1]:80/metrics');
  });

  it('beyond loopback only with TLS or basic auth, or --serve-insecure (NT0540)', () => {
    const everywhere = { host: '0.0.0.0', port: 9464 };
    expect(insecureServe(everywhere, undefined, false)).toMatchObject({ code: 'NT0540', severity: 'error' });
    expect(insecureServe(everywhere, { users: new Map(), headers: {} }, false)).toMatchObject({ code: 'NT0540' });
    expect(insecureServe(everywhere, { users: new Map([['a', SCRAPER_HASH]]), headers: {} }, false)).toBeUndefined();
    expect(insecureServe(everywhere, undefined, true)).toBeUndefined();
    expect(insecureServe({ host: '127.0.0.1', port: 1 }, undefined, false)).toBeUndefined();
  });
});

describe('the web config (exporter-toolkit format)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ntp-unit-webconfig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads TLS files relative to itself, users and headers', () => {
    writeFileSync(join(dir, 'c.pem'), 'CERT');
    writeFileSync(join(dir, 'k.pem'), 'KEY');
    writeFileSync(
      join(dir, 'web.yml'),
      `# as the node exporter has it\ntls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n  min_version: TLS12\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\nbasic_auth_users:\n  scraper: ${SCRAPER_HASH}\n`,
    );
    const config = readWebConfig(join(dir, 'web.yml'));
    expect(config.tls).toMatchObject({ clientAuth: 'NoClientCert', minVersion: 'TLSv1.2' });
    expect(config.tls!.cert.toString()).toBe('CERT');
    expect(config.tls!.key.toString()).toBe('KEY');
    expect([...config.users]).toEqual([['scraper', SCRAPER_HASH]]);
    expect(config.headers).toEqual({ 'X-Frame-Options': 'deny' });
  });

  it('refuses unknown settings, unsupported ones by name, and passwords that are not bcrypt hashes', () => {
    const refusal = (doc: unknown) => {
      try {
        webConfigOf(doc, dir);
      } catch (e) {
        if (e instanceof WebConfigError) return e.message;
        throw e;
      }
      return 'accepted';
    };
    expect(refusal({ basic_auth_user: {} })).toContain("no setting 'basic_auth_user'");
    expect(refusal({ tls_server_config: { cert_file: 'c.pem', key_file: 'k.pem', cipher_suites: ['TLS_AES_128_GCM_SHA256'] } })).toContain('cipher_suites is not supported');
    expect(refusal({ basic_auth_users: { scraper: 'plain-text' } })).toContain('must be a bcrypt hash');
    expect(refusal({ tls_server_config: { cert_file: 'c.pem' } })).toContain('needs key_file');
    expect(refusal({ tls_server_config: { cert_file: 'c.pem', key_file: 'k.pem', client_auth_type: 'RequireAndVerifyClientCert' } })).toContain('needs client_ca_file');
    expect(refusal({})).toBe('accepted');
  });

  it('a missing file or bad YAML is a WebConfigError', () => {
    expect(() => readWebConfig(join(dir, 'none.yml'))).toThrow(/no such file/);
    writeFileSync(join(dir, 'bad.yml'), 'tls_server_config: [unclosed\n');
    expect(() => readWebConfig(join(dir, 'bad.yml'))).toThrow(WebConfigError);
  });
});

describe('basic auth', () => {
  const auth = new BasicAuth(new Map([['scraper', SCRAPER_HASH], ['ops', OPS_HASH]]));

  it('accepts the password htpasswd hashed, and a password with colons', async () => {
    expect(await auth.allows(basic('scraper:correct horse'))).toBe(true);
    expect(await auth.allows(basic('scraper:correct horse'))).toBe(true); // remembered
    expect(await auth.allows(basic('ops:pa:ss'))).toBe(true);
  });

  it('refuses a wrong password, an unknown user, no header and other schemes', async () => {
    expect(await auth.allows(basic('scraper:wrong'))).toBe(false);
    expect(await auth.allows(basic('nobody:correct horse'))).toBe(false);
    expect(await auth.allows(basic('ops:correct horse'))).toBe(false);
    expect(await auth.allows(undefined)).toBe(false);
    expect(await auth.allows('Bearer abc')).toBe(false);
  });

  it('parses user:password, the password up to the end', () => {
    expect(parseBasic(basic('a:b:c'))).toEqual({ user: 'a', password: 'b:c' });
    expect(parseBasic(basic('nocolon'))).toBeUndefined();
  });
});
