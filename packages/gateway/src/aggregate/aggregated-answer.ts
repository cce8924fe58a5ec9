import { STATUS_CODES } from 'node:http';
import { problemBody } from '../proxy/problem-details.js';
import { ERRORS_MEMBER } from '../routing/compile-aggregate.js';
import { aggregateCacheHeaders } from './aggregate-cache-control.js';
import type { LegOutcome } from './leg-call.js';

/** The header of an aggregated answer: `true` when every leg answered, `false` when some failed (as KrakenD's `X-KrakenD-Completed`). */
export const AGGREGATE_COMPLETED_HEADER = 'x-nestmesh-completed';

/** An aggregation route's answer, whole: status, headers (no `Content-Length` yet) and body. @internal */
export interface AggregatedAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Merges the outcomes of an aggregation route's legs (in the route's order) into its answer:
 * - every leg answered: `200` `{ "<leg>": <value>, ... }`, `X-Nestmesh-Completed: true`, with the caching the
 *   legs allow ({@link aggregateCacheHeaders});
 * - some failed: `200` with the legs that answered and `"errors": { "<leg>": { status, title, detail } }`,
 *   `X-Nestmesh-Completed: false` and `Cache-Control: no-store` (a partial answer is never cached);
 * - every leg failed: a problem+json `504` when each one ran out of time, else `502`, its `detail` naming the
 *   legs and its `errors` member listing them, `X-Nestmesh-Completed: false`.
 * Values go in as the JSON text the legs gave (already parsed once), not parsed and written again. @internal
 */
export function aggregatedAnswer(outcomes: readonly LegOutcome[], instance: string | undefined, requestId: string): AggregatedAnswer {
  let errors: Record<string, { status: number; title: string; detail: string }> | undefined;
  const parts: string[] = [];
  const legHeaders: Array<Readonly<Record<string, string | string[] | undefined>>> = [];
  for (const outcome of outcomes) {
    if (outcome.failure) {
      errors ??= {};
      errors[outcome.name] = { status: outcome.failure.status, title: STATUS_CODES[outcome.failure.status]!, detail: outcome.failure.detail };
      continue;
    }
    parts.push(`${JSON.stringify(outcome.name)}:${outcome.json}`);
    if (outcome.headers) legHeaders.push(outcome.headers);
  }
  if (parts.length === 0) {
    const failed = Object.keys(errors!);
    const status = outcomes.every((outcome) => outcome.failure?.status === 504) ? 504 : 502;
    const detail = `Every leg of this aggregation route failed: ${failed.map((name) => JSON.stringify(name)).join(', ')} (see "errors").`;
    return {
      status,
      headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', [AGGREGATE_COMPLETED_HEADER]: 'false' },
      body: Buffer.from(problemBody({ status, detail, extensions: { [ERRORS_MEMBER]: errors } }, instance, requestId)),
    };
  }
  if (errors) parts.push(`${JSON.stringify(ERRORS_MEMBER)}:${JSON.stringify(errors)}`);
  const caching = errors ? { 'cache-control': 'no-store' } : aggregateCacheHeaders(legHeaders);
  return {
    status: 200,
    headers: { 'content-type': 'application/json', ...caching, [AGGREGATE_COMPLETED_HEADER]: errors ? 'false' : 'true' },
    body: Buffer.from(`{${parts.join(',')}}`),
  };
}
