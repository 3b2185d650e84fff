// `--serve ADDR:PORT`: where the metrics endpoint listens. `PORT` or `:PORT` alone means
// loopback (127.0.0.1): serving beyond this machine is something the user writes out.
import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/** The address, or why it is not one (a message for a usage error). */
export function parseListenAddress(text: string): ListenAddress | { error: string } {
  const bad = { error: `--serve takes ADDR:PORT (127.0.0.1:9464, [::1]:9464, 0.0.0.0:9464) or :PORT, not '${text}'` };
  const match = /^(?:(?:\[([^\]]+)\]|([^:]*)):)?(\d+)$/.exec(text);
  if (!match) return bad;
  const host = match[1] ?? (match[2] || '127.0.0.1');
  const port = Number(match[3]);
  if (port > 65535) return { error: `--serve: port ${port} is above 65535` };
  if (host !== 'localhost' && isIP(host) === 0) return { error: `--serve takes an IP address or localhost, not '${host}'` };
  if (match[1] !== undefined && isIP(host) !== 6) return bad;
  return { host, port };
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  return mapped !== null && mapped[1].startsWith('127.');
}

/** The URL the endpoint is reached at. */
export function metricsUrl(address: ListenAddress, tls: boolean): string {
  const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}/metrics`;
}
