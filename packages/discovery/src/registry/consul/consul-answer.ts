import type { ConsulHealthEntry } from './consul-health-entry.js';
import type { ConsulRawResponse } from './consul-client.types.js';

/** What a Consul answer must look like to be believed. @internal */
export type ConsulAnswerKind = 'empty' | 'json';

const contentTypeOf = (response: ConsulRawResponse) => String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

const hasBody = (body: unknown) => body !== undefined && body !== '' && !(Buffer.isBuffer(body) && body.length === 0);

/**
 * Why `response` is not a Consul answer of `kind`, or `undefined` when it is one. Consul answers reads with
 * `application/json` and writes with an empty body; a proxy's error page or another server answers otherwise.
 * @internal
 */
export function notConsulReason(response: ConsulRawResponse, kind: ConsulAnswerKind): string | undefined {
  const type = contentTypeOf(response);
  if (kind === 'json' && type !== 'application/json') return `HTTP ${response.statusCode} with content type ${JSON.stringify(type || '(none)')} instead of application/json`;
  if (kind === 'empty' && hasBody(response.body) && type !== 'application/json') {
    return `HTTP ${response.statusCode} with a ${JSON.stringify(type || '(none)')} body where Consul answers with an empty one`;
  }
  return undefined;
}

/** The `X-Consul-Index` of a blocking-query answer, or `undefined` when it is missing or not a number. @internal */
export function consulIndexOf(response: ConsulRawResponse): number | undefined {
  const header = response.headers['x-consul-index'];
  return typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
}

/** Checks the shape of `GET /v1/health/service/:name`: an array of entries that each have a `Service`. @internal */
export function asHealthEntries(body: unknown): ConsulHealthEntry[] | undefined {
  if (!Array.isArray(body)) return undefined;
  const wellFormed = body.every((entry) => typeof entry === 'object' && entry !== null && typeof (entry as ConsulHealthEntry).Service === 'object' && (entry as ConsulHealthEntry).Service !== null);
  return wellFormed ? (body as ConsulHealthEntry[]) : undefined;
}

/** Text of an error answer's body, for messages. @internal */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return body === undefined ? '' : JSON.stringify(body);
}
