/** Injection token of the resolved {@link ServiceDiscoveryModuleOptions}. @internal */
export const DISCOVERY_OPTIONS = 'NESTMESH:DISCOVERY_OPTIONS';

/** Environment variable that sets the address an instance registers with (else: a non-loopback IPv4). */
export const SERVICE_ADDRESS_ENV = 'NESTMESH_SERVICE_ADDRESS';

/** Path of the health endpoint the module exposes for Consul HTTP checks (and for people). */
export const DEFAULT_HEALTH_PATH = '/_nestmesh/health';

/** Meta key of a token unique to the app that registered an instance, so an app only removes its own registration. */
export const OWNER_META_KEY = 'nestmesh-owner';

/** Defaults, in milliseconds unless named otherwise. */
export const DEFAULTS = {
  ttl: 10_000,
  httpCheckInterval: 10_000,
  httpCheckTimeout: 5_000,
  deregisterCriticalServiceAfter: 60_000,
  drainDelay: 2_000,
  shutdownTimeout: 10_000,
  requestTimeout: 5_000,
  watchWait: 55_000,
  watchMinInterval: 200,
  watchRetryInitial: 250,
  watchRetryMax: 5_000,
  healthTimeout: 5_000,
  initialFetchTimeout: 5_000,
  watchLinger: 5_000,
} as const;
