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
