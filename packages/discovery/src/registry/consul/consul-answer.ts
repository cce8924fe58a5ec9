import type { HealthStatus, ServiceInstance } from '../../interfaces/service-instance.interface.js';
import { isNumberIn, isObject } from '@nestmesh/common';
import { portsFromMeta } from '../../utils/transport-ports.js';
import type { ConsulRawResponse } from './consul-client.types.js';

/** What a Consul answer must look like to be believed. @internal */
export type ConsulAnswerKind = 'empty' | 'json';

const contentTypeOf = (response: ConsulRawResponse) => String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

const hasBody = (body: unknown) => body !== undefined && body !== '' && !(Buffer.isBuffer(body) && body.length === 0);

/**
 * Why `response` is not a Consul answer of `kind` (`undefined` when it is): Consul answers reads in
 * `application/json` and writes with an empty body, a proxy's error page or another server otherwise. @internal
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

/** One entry of `GET /v1/health/service/:name` (the fields we read). @internal */
export interface ConsulHealthEntry {
  Node?: { Node?: string; Address?: string };
  Service?: {
    ID?: string;
    Service?: string;
    Tags?: string[] | null;
    Address?: string;
    Port?: number;
    Meta?: Record<string, string> | null;
    Weights?: { Passing?: number; Warning?: number } | null;
  };
  Checks?: Array<{ Status?: string }> | null;
}

/**
 * The worst state of an instance's checks: Consul's own are passing, warning, critical and maintenance (critical);
 * checks that are not a list of objects are critical too.
 */
function worst(checks: unknown): HealthStatus {
  if (checks !== undefined && checks !== null && !(Array.isArray(checks) && checks.every(isObject))) return 'critical';
  const states = ((checks ?? []) as Array<{ Status?: unknown }>).map((check) => check.Status);
  if (states.some((state) => state !== 'passing' && state !== 'warning')) return 'critical';
  return states.includes('warning') ? 'warning' : 'passing';
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const textValues = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(isObject(value) ? value : {}).filter((pair): pair is [string, string] => typeof pair[1] === 'string'));

/**
 * Maps a Consul health entry to a {@link ServiceInstance}, sorted fields included for cheap comparison. What an
 * answer holds is input: a field of the wrong type is read as empty (an id or address then makes the instance
 * unusable, left out with a warning), never thrown on, so one bad entry cannot hide the others. @internal
 */
export function toServiceInstance(entry: ConsulHealthEntry, name: string): ServiceInstance {
  const service = entry.Service ?? {};
  const { Passing: passing, Warning: warning } = isObject(service.Weights) ? service.Weights : {};
  const meta = textValues(service.Meta);
  return {
    id: text(service.ID),
    name: text(service.Service) || name,
    address: text(service.Address) || text(entry.Node?.Address),
    port: service.Port ?? 0,
    tags: strings(service.Tags),
    meta,
    // Consul's defaults (1) stand in for odd weights: `Passing` is an integer >= 1, `Warning` >= 0 (0: no traffic).
    weight: isNumberIn(passing, { min: 1, integer: true }) ? passing : 1,
    warningWeight: isNumberIn(warning, { min: 0, integer: true }) ? warning : 1,
    ports: portsFromMeta(meta),
    health: worst(entry.Checks),
    stale: false,
    node: text(entry.Node?.Node) || undefined,
  };
}
