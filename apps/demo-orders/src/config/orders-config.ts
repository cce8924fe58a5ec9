/** The orders service's settings, read from the environment (each variable is documented in apps/README.md). */
export interface OrdersConfig {
  /** `PORT`: the HTTP port. Default `3001`; `0` picks a free port. */
  port: number;
  /** `HOST`: the address both listeners bind. Default `0.0.0.0`. */
  host: string;
  /**
   * `TCP_PORT`: the `@nestjs/microservices` TCP listener (`orders.get`, `orders.stats`). Default `PORT + 1000`
   * (`4001` with the default PORT), `0` (a free port) when PORT is 0 or above 64535; `0` picks a free port.
   */
  tcpPort: number;
  /** `PAYMENT_FAILURE_RATE`: share of the simulated payment provider's calls that fail, `0` to `1`. Default `0.2`. */
  paymentFailureRate: number;
  /** `PAYMENT_LATENCY_MS`: how long each simulated payment call takes. Default `50`. */
  paymentLatencyMs: number;
  /** `PAYMENT_TIMEOUT_MS`: deadline of each payment attempt (the `@Timeout` of the `payment` policy). Default `1000`. */
  paymentTimeoutMs: number;
  /** `REDIS_URL`: keep orders in that Redis, shared by every instance. Default unset: in memory, shared by the instances of this process. */
  redisUrl: string | undefined;
  /** `DRAIN_DELAY_MS`: on shutdown, how long the instance stays marked critical before it deregisters. Default `2000`. */
  drainDelayMs: number;
}

/** The defaults of {@link OrdersConfig}. */
export const ORDERS_CONFIG_DEFAULTS = {
  port: 3001,
  host: '0.0.0.0',
  paymentFailureRate: 0.2,
  paymentLatencyMs: 50,
  paymentTimeoutMs: 1_000,
  drainDelayMs: 2_000,
} as const;

/**
 * The TCP port that goes with an HTTP port: 1000 above it (3001 -> 4001), or 0 (a free port) when the HTTP port
 * is 0 or leaves no room, so that `PORT=0` alone never binds a fixed TCP port.
 */
export function defaultTcpPort(httpPort: number): number {
  return httpPort === 0 || httpPort > 64_535 ? 0 : httpPort + 1_000;
}

function raw(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, meaning: string): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max} (${meaning}), got ${JSON.stringify(env[name])}. Fix ${name} or unset it (default ${fallback}).`);
  }
  return value;
}

function rate(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) || value > 1) {
    throw new Error(`${name} must be a number from 0 to 1 (the share of payment calls that fail, e.g. 0.2), got ${JSON.stringify(env[name])}. Fix ${name} or unset it (default ${fallback}).`);
  }
  return value;
}

function redisUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = raw(env, name);
  if (text === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new Error(`${name} must be a redis: or rediss: URL such as redis://127.0.0.1:6379, got ${JSON.stringify(env[name])}. Fix ${name}, or unset it to keep orders in memory.`);
  }
  return text;
}

/**
 * Reads and checks the orders service's environment. A bad value throws an error naming the variable, the value
 * and the fix, before anything starts.
 *
 * @example
 * const config = readOrdersConfig(); // PORT, HOST, TCP_PORT, PAYMENT_*, REDIS_URL, DRAIN_DELAY_MS
 */
export function readOrdersConfig(env: NodeJS.ProcessEnv = process.env): OrdersConfig {
  const defaults = ORDERS_CONFIG_DEFAULTS;
  const port = integer(env, 'PORT', defaults.port, 0, 65_535, 'the HTTP port, 0 for any free port');
  return {
    port,
    host: raw(env, 'HOST') ?? defaults.host,
    tcpPort: integer(env, 'TCP_PORT', defaultTcpPort(port), 0, 65_535, 'the TCP microservice port, 0 for any free port'),
    paymentFailureRate: rate(env, 'PAYMENT_FAILURE_RATE', defaults.paymentFailureRate),
    paymentLatencyMs: integer(env, 'PAYMENT_LATENCY_MS', defaults.paymentLatencyMs, 0, 60_000, 'milliseconds each payment call takes'),
    paymentTimeoutMs: integer(env, 'PAYMENT_TIMEOUT_MS', defaults.paymentTimeoutMs, 1, 60_000, 'deadline of each payment attempt in milliseconds'),
    redisUrl: redisUrl(env, 'REDIS_URL'),
    drainDelayMs: integer(env, 'DRAIN_DELAY_MS', defaults.drainDelayMs, 0, 60_000, 'milliseconds to stay critical before deregistering'),
  };
}
