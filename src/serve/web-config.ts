// `--web-config FILE`: TLS and basic auth for the metrics endpoint, in the YAML format of
// Prometheus' exporter toolkit, so an operator reuses the file the node exporter already
// has. Paths are relative to the file, as there. What nettrace does not implement
// (cipher_suites, curve_preferences, client_allowed_sans, http2) is refused by name,
// never silently ignored: a security setting that is not applied must not look applied.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export type ClientAuthType = 'NoClientCert' | 'RequestClientCert' | 'RequireAnyClientCert' | 'VerifyClientCertIfGiven' | 'RequireAndVerifyClientCert';

export interface TlsConfig {
  cert: Buffer;
  key: Buffer;
  clientAuth: ClientAuthType;
  clientCa?: Buffer;
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

export interface WebConfig {
  tls?: TlsConfig;
  /** User name to bcrypt hash. */
  users: Map<string, string>;
  /** http_server_config.headers: sent with every answer. */
  headers: Record<string, string>;
}

export class WebConfigError extends Error {}

const TOP_KEYS = ['tls_server_config', 'http_server_config', 'basic_auth_users'];
const TLS_KEYS = ['cert_file', 'key_file', 'cert', 'key', 'client_auth_type', 'client_ca_file', 'client_ca', 'min_version', 'max_version'];
const TLS_UNSUPPORTED = ['cipher_suites', 'curve_preferences', 'prefer_server_cipher_order', 'client_allowed_sans'];
const HTTP_KEYS = ['headers'];
const CLIENT_AUTH: ClientAuthType[] = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'];
const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

export function readWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new WebConfigError(`cannot read '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new WebConfigError(`'${file}' is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return webConfigOf(doc ?? {}, dirname(file));
}

/** A parsed web config document; `base` is the directory relative paths start from. */
export function webConfigOf(doc: unknown, base: string): WebConfig {
  const top = mapping(doc, 'the web config');
  onlyKeys(top, TOP_KEYS, [], 'the web config');
  const users = new Map<string, string>();
  if (top.basic_auth_users != null) {
    for (const [user, hash] of Object.entries(mapping(top.basic_auth_users, 'basic_auth_users'))) {
      if (typeof hash !== 'string' || !/^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) {
        throw new WebConfigError(`basic_auth_users: the password of '${user}' must be a bcrypt hash ($2y$10$...), as htpasswd -nBC 10 makes`);
      }
      users.set(user, hash);
    }
  }
  const headers: Record<string, string> = {};
  if (top.http_server_config != null) {
    const http = mapping(top.http_server_config, 'http_server_config');
    onlyKeys(http, HTTP_KEYS, ['http2'], 'http_server_config');
    if (http.headers != null) for (const [k, v] of Object.entries(mapping(http.headers, 'http_server_config.headers'))) headers[k] = String(v);
  }
  const tls = top.tls_server_config == null ? undefined : tlsConfig(mapping(top.tls_server_config, 'tls_server_config'), base);
  return { tls, users, headers };
}

function tlsConfig(t: Record<string, unknown>, base: string): TlsConfig {
  onlyKeys(t, TLS_KEYS, TLS_UNSUPPORTED, 'tls_server_config');
  const pem = (fileKey: string, inlineKey: string, required: boolean): Buffer | undefined => {
    if (t[inlineKey] != null) return Buffer.from(String(t[inlineKey]));
    if (t[fileKey] == null) {
      if (required) throw new WebConfigError(`tls_server_config needs ${fileKey} (or ${inlineKey})`);
      return undefined;
    }
    const path = resolve(base, String(t[fileKey]));
    try {
      return readFileSync(path);
    } catch (e) {
      throw new WebConfigError(`tls_server_config.${fileKey}: cannot read '${path}': ${(e as Error).message}`);
    }
  };
  const clientAuth = (t.client_auth_type ?? 'NoClientCert') as ClientAuthType;
  if (!CLIENT_AUTH.includes(clientAuth)) throw new WebConfigError(`tls_server_config.client_auth_type takes one of ${CLIENT_AUTH.join(', ')}, not '${clientAuth}'`);
  const clientCa = pem('client_ca_file', 'client_ca', false);
  if ((clientAuth === 'VerifyClientCertIfGiven' || clientAuth === 'RequireAndVerifyClientCert') && !clientCa) {
    throw new WebConfigError(`tls_server_config.client_auth_type ${clientAuth} needs client_ca_file`);
  }
  const version = (key: 'min_version' | 'max_version') => {
    if (t[key] == null) return undefined;
    const v = TLS_VERSIONS[String(t[key]) as keyof typeof TLS_VERSIONS];
    if (!v) throw new WebConfigError(`tls_server_config.${key} takes one of ${Object.keys(TLS_VERSIONS).join(', ')}, not '${t[key]}'`);
    return v;
  };
  return { cert: pem('cert_file', 'cert', true)!, key: pem('key_file', 'key', true)!, clientAuth, clientCa, minVersion: version('min_version'), maxVersion: version('max_version') };
}

function mapping(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WebConfigError(`${where} must be a mapping of keys to values`);
  return v as Record<string, unknown>;
}

/** Unknown keys are errors (as in the exporter toolkit); `unsupported` ones get their own message. */
function onlyKeys(m: Record<string, unknown>, known: string[], unsupported: string[], where: string): void {
  for (const key of Object.keys(m)) {
    if (unsupported.includes(key)) throw new WebConfigError(`${where}.${key} is not supported by nettrace; remove it`);
    if (!known.includes(key)) throw new WebConfigError(`${where} has no setting '${key}' (it knows ${known.join(', ')})`);
  }
}
