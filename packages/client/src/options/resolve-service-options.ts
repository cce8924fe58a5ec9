import { MAX_TIMER_MS } from '@nestmesh/common';
import type { BulkheadOptions, CircuitBreakerOptions, RetryOptions } from '@nestmesh/resilience';
import type { OutlierDetectionOptions } from '../interfaces/outlier-detection-options.interface.js';
import type { PoolOptions } from '../interfaces/pool-options.interface.js';
import type { RetryBudgetOptions } from '../interfaces/retry-budget-options.interface.js';
import type { ServiceClientOptions } from '../interfaces/service-client-options.interface.js';
import { OUTLIER_DEFAULTS, type ResolvedOutlierOptions } from '../outlier/outlier-detector.js';
import { POOL_DEFAULTS } from '../pools/http-pool.factory.js';
import { MAX_BUDGET_WINDOW, RETRY_BUDGET_DEFAULTS } from '../retry-budget/retry-budget.js';
import { createStrategy } from '../strategies/create-strategy.js';
import type { LoadBalancingStrategy } from '../strategies/load-balancing-strategy.interface.js';
import { checkHeader, checkNumber, checkObject, invalid } from './option-checks.js';

/** @internal Default retry of a service client: quick, since every retry goes to another instance. */
export const RETRY_DEFAULTS: RetryOptions = { maxAttempts: 3, backoff: { initialDelay: 25, maxDelay: 1_000 } };

/** @internal Default overall deadline of a call, in ms. */
export const DEFAULT_DEADLINE = 10_000;

/** @internal Nest's own bound of a TCP reply frame, in characters (its JsonSocket's `maxBufferSize`). */
export const DEFAULT_MAX_REPLY_SIZE = 128 * 1024 * 1024;

/** @internal A service's options with defaults applied and every value checked. */
export interface ResolvedServiceOptions {
  readonly key: string;
  readonly serviceName: string;
  readonly tags: string[];
  /** The static origin, instead of discovery. */
  readonly origin: URL | undefined;
  readonly strategy: LoadBalancingStrategy;
  readonly deadline: number;
  readonly attemptTimeout: number | undefined;
  readonly retry: RetryOptions | false;
  readonly circuitBreaker?: CircuitBreakerOptions;
  readonly bulkhead?: BulkheadOptions;
  readonly policy?: string;
  readonly retryBudget: Required<RetryBudgetOptions> | false;
  readonly outlier: ResolvedOutlierOptions;
  readonly pool: Required<PoolOptions>;
  readonly headers: Readonly<Record<string, string>>;
  readonly maxReplySize: number;
}

/** @internal Merges `defaults` under a service's own options (section by section) and checks the result. */
export function resolveServiceOptions(key: string, defaults: ServiceClientOptions = {}, own: ServiceClientOptions = {}): ResolvedServiceOptions {
  const where = `ServiceClientModule (service "${key}")`;
  checkObject(where, `services.${key}`, own);
  const merged: ServiceClientOptions = { ...defaults, ...own };
  const serviceName = merged.serviceName ?? key;
  if (typeof serviceName !== 'string' || serviceName === '') invalid(where, 'serviceName', serviceName, 'Use the name the service registers under, e.g. "orders".');
  const tags = merged.tags ?? [];
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || tag === '')) invalid(where, 'tags', tags, 'Use an array of non-empty strings.');
  const origin = merged.origin === undefined ? undefined : resolveOrigin(where, merged.origin);
  const timeout = checkObject<{ ms: number }>(where, 'timeout', merged.timeout);
  // A key set to undefined keeps its default (a spread would let it erase it: no retry at all).
  const given = merged.retry === false ? false : Object.entries(checkObject<RetryOptions>(where, 'retry', merged.retry) ?? {}).filter(([, value]) => value !== undefined);
  const retry = given === false ? false : { ...RETRY_DEFAULTS, ...Object.fromEntries(given) };
  if (retry) checkNumber(where, 'retry.maxAttempts', retry.maxAttempts, 3, { min: 1, integer: true });
  return {
    key,
    serviceName,
    tags,
    origin,
    strategy: createStrategy(merged.strategy, where),
    deadline: checkNumber(where, 'deadline', merged.deadline, DEFAULT_DEADLINE, { min: 0, max: MAX_TIMER_MS, exclusiveMin: true }),
    attemptTimeout: timeout === undefined ? undefined : checkNumber(where, 'timeout.ms', timeout.ms, 0, { min: 0, max: MAX_TIMER_MS, exclusiveMin: true }),
    retry,
    circuitBreaker: checkObject<CircuitBreakerOptions>(where, 'circuitBreaker', merged.circuitBreaker),
    bulkhead: checkObject<BulkheadOptions>(where, 'bulkhead', merged.bulkhead),
    policy: merged.policy,
    retryBudget: merged.retryBudget === false ? false : resolveBudget(where, { ...defaults.retryBudget || {}, ...own.retryBudget || {} }),
    outlier: merged.outlierDetection === false ? { ...OUTLIER_DEFAULTS, enabled: false } : resolveOutlier(where, { ...defaults.outlierDetection || {}, ...own.outlierDetection || {} }),
    pool: resolvePool(where, { ...defaults.pool, ...own.pool }),
    headers: lowerCaseKeys(where, { ...defaults.headers, ...own.headers }),
    maxReplySize: checkNumber(where, 'maxReplySize', merged.maxReplySize, DEFAULT_MAX_REPLY_SIZE, { min: 1, integer: true }),
  };
}

function resolveOrigin(where: string, origin: unknown): URL {
  const url = typeof origin === 'string' ? URL.parse(origin) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    return invalid(where, 'origin', origin, 'Use an http(s) origin such as "http://10.0.0.5:8080" (no path, query, fragment or credentials).');
  }
  return url;
}

function resolveBudget(where: string, options: RetryBudgetOptions): Required<RetryBudgetOptions> {
  const d = RETRY_BUDGET_DEFAULTS;
  return {
    percent: checkNumber(where, 'retryBudget.percent', options.percent, d.percent, { min: 0, max: 100 }),
    minRetriesPerSecond: checkNumber(where, 'retryBudget.minRetriesPerSecond', options.minRetriesPerSecond, d.minRetriesPerSecond, { min: 0 }),
    window: checkNumber(where, 'retryBudget.window', options.window, d.window, { min: 1_000, max: MAX_BUDGET_WINDOW }),
  };
}

function resolveOutlier(where: string, options: OutlierDetectionOptions): ResolvedOutlierOptions {
  const d = OUTLIER_DEFAULTS;
  const base = checkNumber(where, 'outlierDetection.baseEjectionTime', options.baseEjectionTime, d.baseEjectionTime, { min: 0, exclusiveMin: true });
  const panicMode = options.panicMode ?? d.panicMode;
  if (typeof panicMode !== 'boolean') invalid(where, 'outlierDetection.panicMode', panicMode, 'Use true or false.');
  return {
    enabled: true,
    consecutiveFailures: checkNumber(where, 'outlierDetection.consecutiveFailures', options.consecutiveFailures, d.consecutiveFailures, { min: 1, integer: true }),
    baseEjectionTime: base,
    maxEjectionTime: checkNumber(where, 'outlierDetection.maxEjectionTime', options.maxEjectionTime, Math.max(d.maxEjectionTime, base), { min: base }),
    maxEjectionPercent: checkNumber(where, 'outlierDetection.maxEjectionPercent', options.maxEjectionPercent, d.maxEjectionPercent, { min: 0, max: 100 }),
    panicMode,
  };
}

function resolvePool(where: string, options: PoolOptions): Required<PoolOptions> {
  const d = POOL_DEFAULTS;
  return {
    connections: checkNumber(where, 'pool.connections', options.connections, d.connections, { min: 1, integer: true }),
    keepAliveTimeout: checkNumber(where, 'pool.keepAliveTimeout', options.keepAliveTimeout, d.keepAliveTimeout, { min: 1, max: MAX_TIMER_MS }),
    connectTimeout: checkNumber(where, 'pool.connectTimeout', options.connectTimeout, d.connectTimeout, { min: 1, max: MAX_TIMER_MS }),
    closeTimeout: checkNumber(where, 'pool.closeTimeout', options.closeTimeout, d.closeTimeout, { min: 0, max: MAX_TIMER_MS }),
  };
}

function lowerCaseKeys(where: string, headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    checkHeader(where, name, value);
    out[name.toLowerCase()] = value;
  }
  return out;
}
