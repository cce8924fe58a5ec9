/** The demo gateway's settings, read from the environment (each variable documented with its default in the README). */
export interface DemoGatewayConfig {
  /** `PORT`, default `3000`. */
  port: number;
  /** `HOST`, default `0.0.0.0`. */
  host: string;
  /** `CONSUL_HTTP_ADDR`, default unset: the in-memory registry, with demo-orders embedded in this process. */
  consulAddr: string | undefined;
  /** `REDIS_URL`, default unset: throttling counters in memory (this instance only). */
  redisUrl: string | undefined;
  /** `JWT_JWKS_URL`, default unset: the built-in demo key (and `GET /demo/token`). */
  jwksUrl: string | undefined;
  /** `JWT_ISSUER`, default `nestmesh-demo`. */
  issuer: string;
  /** `JWT_AUDIENCE`, default `nestmesh-demo-api`. */
  audience: string;
  /** `RATE_LIMIT`, default `100` requests per window per user. */
  rateLimit: number;
  /** `RATE_WINDOW_MS`, default `60000`. */
  rateWindowMs: number;
  /** `TRUSTED_PROXIES`, default none: `X-Forwarded-*` from nobody is believed. */
  trustedProxies: string;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}. Fix ${name} or unset it (default ${fallback}).`);
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !protocols.includes(parsed.protocol)) throw new Error(`${name} must be a ${protocols.join(' or ')} URL, got ${JSON.stringify(raw)}. Fix ${name} or unset it.`);
  return raw;
}

/** Reads and checks the environment; a bad value throws an error naming the variable, the value and the fix. */
export function readDemoGatewayConfig(env: NodeJS.ProcessEnv = process.env): DemoGatewayConfig {
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host: env.HOST || '0.0.0.0',
    consulAddr: env.CONSUL_HTTP_ADDR || undefined,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    jwksUrl: url(env, 'JWT_JWKS_URL', ['http:', 'https:']),
    issuer: env.JWT_ISSUER || 'nestmesh-demo',
    audience: env.JWT_AUDIENCE || 'nestmesh-demo-api',
    rateLimit: integer(env, 'RATE_LIMIT', 100, 1, 1_000_000_000),
    rateWindowMs: integer(env, 'RATE_WINDOW_MS', 60_000, 1, 86_400_000),
    trustedProxies: env.TRUSTED_PROXIES ?? '',
  };
}
