// The endpoint as both entry points use it: check the address against the web config
// (NT0540, NT0541), listen (NT0542), serve whatever sources are running, warn once when
// the series limit drops series (NT0543). Problems are diagnostics, never stack traces.
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ListenAddress } from './listen-address.js';
import type { MetricsSource } from './metrics-source.js';
import { ListenError, MetricsServer } from './metrics-server.js';
import { DEFAULT_MAX_SERIES } from './series-budget.js';
import { insecureServe } from './serve-policy.js';
import { readWebConfig, WebConfigError, type WebConfig } from './web-config.js';

export interface EndpointRequest {
  address: ListenAddress;
  /** --web-config FILE. */
  webConfigFile?: string;
  maxSeries?: number;
  /** --serve-insecure. */
  insecure?: boolean;
}

/** Reads the web config and applies the loopback rule; throws DiagnosticError. */
export function checkEndpoint(request: EndpointRequest): WebConfig | undefined {
  let webConfig: WebConfig | undefined;
  if (request.webConfigFile !== undefined) {
    try {
      webConfig = readWebConfig(request.webConfigFile);
    } catch (e) {
      if (!(e instanceof WebConfigError)) throw e;
      throw new DiagnosticError([error(E.BadWebConfig, `--web-config: ${e.message}`, undefined, 'the format is that of the Prometheus exporter toolkit: tls_server_config (cert_file, key_file), basic_auth_users (user: bcrypt hash)')]);
    }
  }
  const refusal = insecureServe(request.address, webConfig, request.insecure === true);
  if (refusal) throw new DiagnosticError([refusal]);
  return webConfig;
}

/** Listens at the address; `sources()` is asked at every scrape. Throws DiagnosticError. */
export async function startEndpoint(
  request: EndpointRequest,
  sources: () => readonly MetricsSource[],
  warn: (diagnostic: Diagnostic) => void,
): Promise<MetricsServer> {
  const webConfig = checkEndpoint(request);
  let warned = false;
  try {
    return await MetricsServer.start(
      {
        address: request.address,
        webConfig,
        maxSeries: request.maxSeries ?? DEFAULT_MAX_SERIES,
        onDropped: (dropped, max) => {
          if (warned) return;
          warned = true;
          warn({
            code: E.SeriesDropped.code,
            severity: 'warning',
            message: `a scrape had more than ${max} series: ${dropped} were dropped (counted in nettrace_series_dropped_total; the smallest keys go first)`,
            hints: [`raise the limit with --serve-max-series ${max * 4}, or key the maps by fewer distinct values`],
          });
        },
      },
      sources,
    );
  } catch (e) {
    if (!(e instanceof ListenError)) throw e;
    throw new DiagnosticError([error(E.ServeListenFailed, `--serve: ${e.message}`, undefined, 'choose another port, or an address of this machine (ip -br addr)')]);
  }
}
