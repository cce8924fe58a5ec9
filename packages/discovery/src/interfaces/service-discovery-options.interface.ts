import type { HealthIndicatorFunction } from '@nestjs/terminus';
import type { ServiceRegistry } from '../registry/service-registry.interface.js';
import type { Duration } from '../utils/duration.js';
import type { DiscoverableOptions } from './discoverable-options.interface.js';

/** Where Consul is. Each field falls back to the standard Consul environment variable. */
export interface ConsulRegistryOptions {
  /** `host:port` or `http(s)://host:port`. Default: `CONSUL_HTTP_ADDR`, else `127.0.0.1:8500`. */
  address?: string;
  /** ACL token sent as `X-Consul-Token`. Default: `CONSUL_HTTP_TOKEN`. */
  token?: string;
  /** Use HTTPS when `address` has no scheme. Default: `CONSUL_HTTP_SSL` (`true`/`1`). */
  secure?: boolean;
  /** Datacenter to query. Default: the agent's. */
  datacenter?: string;
  /** HTTPS: PEM file of the CA that signed Consul's certificate. Default: `CONSUL_CACERT`, else the system CAs. */
  caFile?: string;
  /** HTTPS: verify Consul's certificate. Default: `CONSUL_HTTP_SSL_VERIFY` (`false` turns it off), else `true`. */
  verifyTls?: boolean;
  /** Timeout of every non-blocking request. Default `'5s'`. */
  requestTimeout?: Duration;
}

/** One instance of the static registry, in its long form (the short form is `'host:port'`). */
export interface StaticInstanceOptions extends Pick<DiscoverableOptions, 'tags' | 'meta' | 'weight'> {
  address: string;
  port: number;
  /** Default `<service>-<address>-<port>`. */
  id?: string;
  /** Transport ports, e.g. `{ tcp: 4001 }`, as `@Discoverable({ ports })`. Default `{}`. */
  ports?: Record<string, number>;
}

/** How the discovery cache follows the registry. */
export interface WatchOptions {
  /** Blocking-query wait: while nothing changes, about one request per service per `wait`. Default `'55s'`. */
  wait?: Duration;
  /** Minimum time between two requests of one watch, against churn. Default `'200ms'`. */
  minInterval?: Duration;
  /** First retry delay after an error; doubles (with jitter) up to `maxRetryDelay`. Default `'250ms'`. */
  retryDelay?: Duration;
  /** Default `'5s'`. */
  maxRetryDelay?: Duration;
  /** How long the first `getInstances()` of a service waits for the registry. Default `'5s'`. */
  initialTimeout?: Duration;
  /** How long a service stays watched after its last `watch()` subscriber and `getInstances()` call. Default `'5s'`. */
  linger?: Duration;
}

/** Health reporting: which terminus indicators decide this instance's health. */
export interface HealthReportingOptions {
  /** Indicators run at every heartbeat and by the health endpoint (e.g. `() => db.pingCheck('db')`). Default `[]`. */
  indicators?: HealthIndicatorFunction[];
  /** An indicator slower than this counts as down. Default `'5s'`. */
  timeout?: Duration;
}

/** Graceful shutdown (needs `app.enableShutdownHooks()`). */
export interface ShutdownOptions {
  /** After marking the instance critical, wait this long for consumers to notice and in-flight requests to end. Default `'2s'`. */
  drainDelay?: Duration;
  /** Upper bound of the whole drain-and-deregister sequence: a slow registry never hangs shutdown. Default `'10s'`. */
  timeout?: Duration;
}

/** Options of `ServiceDiscoveryModule.forRoot()` / `forRootAsync()`. All are optional: `forRoot({})` works. */
export interface ServiceDiscoveryModuleOptions {
  /**
   * `'consul'`, `'in-memory'` (one process: tests, the embedded demo), `'static'` (`staticServices`) or your own
   * {@link ServiceRegistry}. Default: Consul when `CONSUL_HTTP_ADDR` is set, else in-memory (logged at startup).
   */
  registry?: 'consul' | 'in-memory' | 'static' | ServiceRegistry;
  /** Consul connection; defaults come from `CONSUL_HTTP_ADDR`, `CONSUL_HTTP_TOKEN`, `CONSUL_HTTP_SSL`. */
  consul?: ConsulRegistryOptions;
  /** Instances of the static registry: `{ orders: ['10.0.0.5:3000', { address, port, tags, meta, weight, ports }] }`. */
  staticServices?: Record<string, Array<string | StaticInstanceOptions>>;
  /**
   * `true` (default, like Spring Cloud Consul): an unreachable registry at boot fails the bootstrap with an error
   * naming its address. `false`: start anyway, log a warning, register in the background once it answers.
   */
  failFast?: boolean;
  /** Overrides of the `@Discoverable()` options (e.g. from configuration); also enough on its own to register. */
  service?: Partial<DiscoverableOptions>;
  health?: HealthReportingOptions;
  shutdown?: ShutdownOptions;
  watch?: WatchOptions;
}
