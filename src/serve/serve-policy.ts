// Whether an endpoint may start: beyond loopback only with TLS or basic auth from a web
// config, or when the user says --serve-insecure. A diagnostic says why not.
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isLoopback, type ListenAddress } from './listen-address.js';
import type { WebConfig } from './web-config.js';

export function insecureServe(address: ListenAddress, webConfig: WebConfig | undefined, insecure: boolean): Diagnostic | undefined {
  if (insecure || isLoopback(address.host)) return undefined;
  if (webConfig && (webConfig.tls || webConfig.users.size > 0)) return undefined;
  return error(
    E.ServeInsecure,
    `--serve ${address.host}:${address.port} would let any machine that reaches this one read the maps, over plain HTTP and without a password`,
    undefined,
    'give --web-config FILE with tls_server_config and basic_auth_users (the Prometheus exporter-toolkit format), serve on 127.0.0.1, or pass --serve-insecure if the network is trusted',
  );
}
