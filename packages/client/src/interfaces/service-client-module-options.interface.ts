import type { ServiceClientOptions } from './service-client-options.interface.js';

/**
 * Options of `ServiceClientModule.register()` / `registerAsync()`.
 *
 * @example
 * ServiceClientModule.register({ services: { orders: {}, billing: { strategy: 'round-robin' } }, defaults: { deadline: 5_000 } })
 */
export interface ServiceClientModuleOptions {
  /** One client per key, injectable with `@InjectServiceClient(key)`. Required (may be `{}`). */
  services: Record<string, ServiceClientOptions>;
  /** Options under every service's own. Default `{}`. */
  defaults?: ServiceClientOptions;
  /**
   * Headers copied from the incoming HTTP request (read by a global interceptor into an AsyncLocalStorage) onto
   * every outgoing call made while handling it; `false` to copy none. Default `['x-request-id', 'traceparent', 'tracestate']`.
   */
  propagateHeaders?: string[] | false;
  /**
   * Services that `ServiceClients.get(name)` may follow besides the configured ones (clients created on demand
   * with `defaults`, e.g. by a gateway routing by name). Default `64`; `0` allows only configured services.
   */
  maxServices?: number;
}
