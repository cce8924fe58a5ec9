import { ConsulApi } from './consul-api.js';
import type { ConsulEndpoint } from './consul-endpoint.js';
import { SharedByKey } from '../../utils/shared-by-key.js';
import { WatchSlots } from './watch-slots.js';

/**
 * Connections to one Consul endpoint per process: `requests` for calls and first reads, `watches` for blocking
 * queries. Consul refuses a client's 201st connection by default (`limits.http_max_conns_per_client`), so their sum
 * stays well under it however many services are watched.
 */
export const CONSUL_CONNECTION_LIMITS = { requests: 16, watches: 48 } as const;

/** Blocking-query wait while more services are watched than there are watch connections (they take turns). @internal */
export const CROWDED_WATCH_WAIT = 2_000;

/** The shared clients of one Consul endpoint. @internal */
export interface ConsulConnection {
  /** Short calls: registration, heartbeats, maintenance, the first read of a watch. */
  readonly requests: ConsulApi;
  /** Blocking queries only, one per slot. */
  readonly watches: ConsulApi;
  readonly slots: WatchSlots;
}

/** Endpoints are shared when everything that shapes a request or a TLS session is the same. @internal */
export function connectionKey({ baseUrl, token, datacenter, tls }: ConsulEndpoint): string {
  return JSON.stringify([baseUrl.origin, token ?? '', datacenter ?? '', tls?.rejectUnauthorized ?? null, tls?.ca?.toString('base64') ?? null]);
}

const shared = new SharedByKey<ConsulConnection>((connection) => {
  connection.requests.close();
  connection.watches.close();
});

/** The process-wide connection to `endpoint`, made on first use; the last `release` closes its sockets. @internal */
export function acquireConsulConnection(endpoint: ConsulEndpoint): { value: ConsulConnection; release: () => void } {
  return shared.acquire(connectionKey(endpoint), () => ({
    requests: new ConsulApi(endpoint, CONSUL_CONNECTION_LIMITS.requests),
    watches: new ConsulApi(endpoint, CONSUL_CONNECTION_LIMITS.watches),
    slots: new WatchSlots(CONSUL_CONNECTION_LIMITS.watches),
  }));
}
