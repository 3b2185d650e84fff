// The metrics endpoint: GET /metrics answers with a scrape (Scraper) of whatever sources
// are running at that moment, over HTTP or, with a web config's tls_server_config, HTTPS;
// with basic_auth_users every request must carry one of the users. Reading happens in
// the request, so Prometheus sees the maps as they are at its scrape.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { BasicAuth } from './basic-auth.js';
import { negotiateFormat } from './content-type.js';
import { CONTENT_TYPES } from './exposition.js';
import { metricsUrl, type ListenAddress } from './listen-address.js';
import type { MetricsSource } from './metrics-source.js';
import { Scraper } from './scrape.js';
import type { WebConfig } from './web-config.js';

export interface ServeOptions {
  address: ListenAddress;
  webConfig?: WebConfig;
  maxSeries: number;
  /** A scrape dropped series over the limit: the caller warns (NT0543). */
  onDropped?: (dropped: number, max: number) => void;
}

/** Listening failed: in use, not an address of this machine, or not allowed. */
export class ListenError extends Error {}

export class MetricsServer {
  private constructor(
    private readonly server: Server,
    /** With the port the kernel chose when 0 was asked for. */
    readonly address: ListenAddress,
    readonly url: string,
  ) {}

  /** Listens; `sources()` gives what is running at each request (none: 503). */
  static async start(options: ServeOptions, sources: () => readonly MetricsSource[]): Promise<MetricsServer> {
    const { webConfig } = options;
    const scraper = new Scraper(options.maxSeries, options.onDropped);
    const auth = webConfig && webConfig.users.size > 0 ? new BasicAuth(webConfig.users) : undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      answer(req, res, { scraper, auth, webConfig, sources }).catch((e: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`nettrace: ${e.message}\n`);
      });
    };
    const tls = webConfig?.tls;
    const server = tls
      ? createHttpsServer(
          {
            cert: tls.cert,
            key: tls.key,
            ca: tls.clientCa,
            requestCert: tls.clientAuth !== 'NoClientCert',
            rejectUnauthorized: tls.clientAuth === 'RequireAndVerifyClientCert',
            minVersion: tls.minVersion,
            maxVersion: tls.maxVersion,
          },
          handler,
        )
      : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new ListenError(listenFailure(e, options.address))));
      server.listen(options.address.port, options.address.host, () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    const address = { host: options.address.host, port };
    return new MetricsServer(server, address, metricsUrl(address, tls !== undefined));
  }

  /** Stops listening and drops open connections (Prometheus keeps them alive). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

interface Context {
  scraper: Scraper;
  auth?: BasicAuth;
  webConfig?: WebConfig;
  sources: () => readonly MetricsSource[];
}

async function answer(req: IncomingMessage, res: ServerResponse, { scraper, auth, webConfig, sources }: Context): Promise<void> {
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...webConfig?.headers, ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const clientCertRefusal = clientCertificateProblem(req, webConfig);
  if (clientCertRefusal) return send(403, `${clientCertRefusal}\n`);
  if (auth && !(await auth.allows(req.headers.authorization))) return send(401, 'Unauthorized\n', { 'WWW-Authenticate': 'Basic realm="nettrace"' });
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics' && path !== '/') return send(404, 'not found: metrics are at /metrics\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'only GET\n', { Allow: 'GET, HEAD' });
  if (path === '/') return send(200, 'nettrace: metrics are at /metrics\n');
  const running = sources();
  if (running.length === 0) return send(503, 'no program is running\n');
  const format = negotiateFormat(req.headers.accept);
  send(200, scraper.scrape(running, format), { 'Content-Type': CONTENT_TYPES[format] });
}

/** RequireAnyClientCert wants a certificate; VerifyClientCertIfGiven one that verifies, if any. */
function clientCertificateProblem(req: IncomingMessage, webConfig: WebConfig | undefined): string | undefined {
  const mode = webConfig?.tls?.clientAuth;
  if (mode !== 'RequireAnyClientCert' && mode !== 'VerifyClientCertIfGiven') return undefined;
  const socket = req.socket as TLSSocket;
  const given = Object.keys(socket.getPeerCertificate?.() ?? {}).length > 0;
  if (mode === 'RequireAnyClientCert' && !given) return 'a client certificate is required';
  if (mode === 'VerifyClientCertIfGiven' && given && !socket.authorized) return `the client certificate does not verify: ${socket.authorizationError}`;
  return undefined;
}

function listenFailure(e: NodeJS.ErrnoException, address: ListenAddress): string {
  const where = `${address.host}:${address.port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return `${where} is in use by another program`;
    case 'EADDRNOTAVAIL':
      return `${address.host} is not an address of this machine`;
    case 'EACCES':
      return `not allowed to listen on ${where}`;
    default:
      return `cannot listen on ${where}: ${e.message}`;
  }
}
