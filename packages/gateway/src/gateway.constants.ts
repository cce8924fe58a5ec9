/** Defaults of `GatewayModuleOptions.limits`. */
export const DEFAULT_LIMITS = {
  maxBodySize: 10 * 1024 * 1024,
  maxResponseSize: 1024 * 1024 * 1024,
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  bodyTimeout: 30_000,
} as const;

/** Defaults of `GatewayModuleOptions.cache`. */
export const DEFAULT_CACHE = {
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024,
  maxVariants: 8,
  keyPrefix: 'nestmesh:cache:',
  timeout: 250,
} as const;

/** Default of `GatewayModuleOptions.auth.failureLimit`: 20 refused credentials per client address per minute, then blocked for a minute. */
export const DEFAULT_AUTH_FAILURE_LIMIT = {
  limit: 20,
  ttl: 60_000,
} as const;

/** Default time limit of each leg of an aggregation route (`aggregate.timeout`), in ms. */
export const DEFAULT_AGGREGATE_TIMEOUT = 3_000;

/**
 * Largest body of one leg of an aggregation route when the route sets no `maxResponseSize` (a leg's body is read
 * whole to be parsed, so the gateway's streaming limit, `limits.maxResponseSize`, applies only when it is smaller).
 */
export const DEFAULT_AGGREGATE_LEG_SIZE = 1024 * 1024;

/** What Nest's TCP framing adds around a leg's reply JSON (the message id, `isDisposed`), well within 1 KiB. @internal */
export const TCP_REPLY_FRAMING = 1024;
