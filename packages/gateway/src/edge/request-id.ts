import { randomUUID } from 'node:crypto';
import { headerValues, type HeaderMap } from './header-map.js';

/** The request-id header the gateway reads and sets. */
export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The request id to use and propagate: the incoming `X-Request-Id` when it is a single value of 1 to 128
 * safe characters (letters, digits, `._:@/+=-`), else a new UUID, so a client can correlate its requests
 * but never smuggle text into logs or headers.
 */
export function requestIdOf(headers: HeaderMap, trustIncoming = true): string {
  const values = headerValues(headers[REQUEST_ID_HEADER]);
  return trustIncoming && values.length === 1 && SAFE_REQUEST_ID.test(values[0]) ? values[0] : randomUUID();
}

/**
 * The incoming W3C `traceparent` when it is valid (version not `ff`, trace and parent ids not all zeros;
 * a future version may carry more fields), else `undefined`: propagate it as is, or drop it.
 */
export function validTraceparent(headers: HeaderMap): string | undefined {
  const values = headerValues(headers.traceparent);
  if (values.length !== 1) return undefined;
  const value = values[0].trim();
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, version, traceId, parentId, , rest] = match;
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  if (version === '00' && rest !== undefined) return undefined;
  return value;
}
