import { describeValue, isObject, withTimeout } from '@nestmesh/common';
import type { HealthIndicatorFunction, HealthIndicatorResult } from '@nestjs/terminus';
import type { HealthStatus } from '../interfaces/service-instance.interface.js';

/** The app's health as the terminus indicators report it, mapped to a registry status. */
export interface HealthEvaluation {
  /** `passing` when every indicator is up, `warning` when one is degraded, `critical` when one is down. */
  readonly status: HealthStatus;
  /** One line for the registry's check output, e.g. `down: db (connection refused); up: memory`. */
  readonly output: string;
  /** Per-indicator results, as terminus reports them. */
  readonly details: HealthIndicatorResult;
}

type Details = Record<string, { status: string; [key: string]: unknown }>;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runIndicator(indicator: HealthIndicatorFunction, index: number, timeout: number): Promise<Details> {
  try {
    // A function may return a result, a promise, or terminus' thenable HealthCheckAttempt; awaiting unwraps all three.
    const run = Promise.resolve().then(() => (typeof indicator === 'function' ? indicator() : indicator) as unknown) as Promise<Details>;
    return await withTimeout(run, timeout, () => {
      throw new Error(`no answer within ${timeout} ms`);
    });
  } catch (error) {
    // Terminus' legacy HealthCheckError carries the indicator's own result in `causes`.
    const causes = (error as { causes?: Details }).causes;
    if (causes && typeof causes === 'object') {
      return Object.fromEntries(Object.entries(causes).map(([key, value]) => [key, { ...value, status: 'down', message: value.message ?? describeError(error) }]));
    }
    return { [`indicator-${index}`]: { status: 'down', message: describeError(error) } };
  }
}

/** Runs terminus indicators in parallel, each within `timeout`: any down (throw, timeout) is critical. Never throws. */
export async function evaluateHealth(indicators: readonly HealthIndicatorFunction[], timeout: number): Promise<HealthEvaluation> {
  const results = await Promise.all(indicators.map((indicator, index) => runIndicator(indicator, index, timeout)));
  const merged: Record<string, unknown> = Object.assign({}, ...results);
  // A buggy indicator may return an entry that is no result object (`{ db: undefined }`): that entry is down.
  const notResult = (value: unknown) => ({ status: 'down', message: `the indicator returned ${describeValue(value)}, not a result object` });
  const details = Object.fromEntries(Object.entries(merged).map(([key, value]) => [key, isObject(value) ? value : notResult(value)])) as Details;
  const byStatus = { down: [] as string[], degraded: [] as string[], up: [] as string[] };
  for (const [key, value] of Object.entries(details)) {
    const bucket = value.status === 'up' ? 'up' : value.status === 'degraded' ? 'degraded' : 'down';
    const message = typeof value.message === 'string' ? ` (${value.message})` : '';
    byStatus[bucket].push(bucket === 'up' ? key : `${key}${message}`);
  }
  const status: HealthStatus = byStatus.down.length > 0 ? 'critical' : byStatus.degraded.length > 0 ? 'warning' : 'passing';
  const output =
    (['down', 'degraded', 'up'] as const)
      .filter((bucket) => byStatus[bucket].length > 0)
      .map((bucket) => `${bucket}: ${byStatus[bucket].join(', ')}`)
      .join('; ') || 'no health indicators configured: up';
  return { status, output, details: details as HealthIndicatorResult };
}
