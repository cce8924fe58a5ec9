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
  /** `EMBEDDED_ORDERS`, default `true`: run demo-orders instances in this process (`false`: the gateway alone). */
  embeddedOrders: boolean;
  /** `ORDERS_INSTANCES`, default `2`: how many embedded orders instances. */
  ordersInstances: number;
  /** `ORDERS_PORT`, default `3001`: HTTP port of the first embedded orders instance, the next ones count up (`0`: free ports). */
  ordersPort: number;
  /** `ORDERS_TCP_PORT`, default `ORDERS_PORT + 1000` (`4001`; free ports when ORDERS_PORT is 0): TCP port of the first embedded orders instance, the next ones count up (`0`: free ports). */
  ordersTcpPort: number;
  /**
   * `DRAIN_DELAY_MS`: on shutdown, how long each app of the process stays marked critical before it deregisters.
   * Default `2000` with Consul (other gateways need a watch round to notice), `100` with the in-memory registry
   * (every consumer is in this process and sees it at once).
   */
  drainDelayMs: number;
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

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${name} must be "true" or "false", got ${JSON.stringify(raw)}. Fix ${name} or unset it (default ${fallback}).`);
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
    ...embeddedOrders(env),
  };
}

function embeddedOrders(env: NodeJS.ProcessEnv): Pick<DemoGatewayConfig, 'embeddedOrders' | 'ordersInstances' | 'ordersPort' | 'ordersTcpPort' | 'drainDelayMs'> {
  const ordersInstances = integer(env, 'ORDERS_INSTANCES', 2, 1, 16);
  // The instances take consecutive ports from the first one, so the first leaves room for the others.
  const lastFirst = 65_535 - (ordersInstances - 1);
  const ordersPort = integer(env, 'ORDERS_PORT', 3001, 0, lastFirst);
  return {
    embeddedOrders: flag(env, 'EMBEDDED_ORDERS', true),
    ordersInstances,
    ordersPort,
    ordersTcpPort: integer(env, 'ORDERS_TCP_PORT', ordersPort === 0 || ordersPort + 1_000 > lastFirst ? 0 : ordersPort + 1_000, 0, lastFirst),
    drainDelayMs: integer(env, 'DRAIN_DELAY_MS', env.CONSUL_HTTP_ADDR ? 2_000 : 100, 0, 60_000),
  };
}
