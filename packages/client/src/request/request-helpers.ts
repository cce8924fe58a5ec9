import { Readable } from 'node:stream';
import type { ServiceRequestBody, ServiceRequestOptions } from '../interfaces/service-request.interface.js';
import { invalid } from '../options/option-checks.js';
import { UntilSentBody } from './until-sent-body.js';

/** @internal `path` with `query` appended, after checking that it is a path (not a URL). */
export function buildPath(path: unknown, query: ServiceRequestOptions['query'], where: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    invalid(where, 'path', path, 'Pass a path on the instance starting with "/", e.g. "/orders/42" (the client picks the host).');
  }
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  const search = params.toString();
  if (search === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${search}`;
}

/** @internal Outgoing headers, lower-case: service defaults, then propagated ones, then the request's own. */
export function buildHeaders(
  defaults: Readonly<Record<string, string>>,
  propagated: Readonly<Record<string, string>> | undefined,
  own: Record<string, string | string[] | undefined> | undefined,
  contentType: string | undefined,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { ...defaults, ...propagated };
  if (own !== undefined) {
    for (const name of Object.keys(own)) {
      const value = own[name];
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
  }
  if (contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = contentType;
  return headers;
}

/** @internal A body ready for undici, and whether it can be sent again. */
export interface PreparedBody {
  readonly body: string | Buffer | Uint8Array | Readable | undefined;
  readonly contentType?: string;
  /** True when the body can be sent again as it is (not a stream). */
  readonly replayable: boolean;
  /** For a stream: true while nothing has been read from it yet (a connect failure left it intact). */
  untouched(): boolean;
  /** For a stream: a body for one attempt that reads it only once a connection took the request ({@link UntilSentBody}). */
  untilSent(): Readable;
}

const always = () => true;
const notAStream = (): never => {
  throw new Error('untilSent() is for stream bodies');
};

/** No body (most calls: one object for all). */
const NO_BODY: PreparedBody = Object.freeze({ body: undefined, replayable: true, untouched: always, untilSent: notAStream });

/** @internal Normalises a request body: bytes and strings as they are, streams streamed, plain objects as JSON. */
export function prepareBody(body: ServiceRequestBody | undefined, where: string): PreparedBody {
  if (body === undefined || body === null) return NO_BODY;
  if (typeof body === 'string' || body instanceof Uint8Array) return { body, replayable: true, untouched: always, untilSent: notAStream };
  if (body instanceof Readable || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    const stream = body instanceof Readable ? body : Readable.from(body as AsyncIterable<Uint8Array>, { objectMode: false });
    return { body: stream, replayable: false, untouched: () => !stream.readableDidRead && !stream.destroyed, untilSent: () => new UntilSentBody(stream) };
  }
  const proto: unknown = Object.getPrototypeOf(body);
  if (Array.isArray(body) || proto === Object.prototype || proto === null) {
    return { body: JSON.stringify(body), contentType: 'application/json', replayable: true, untouched: always, untilSent: notAStream };
  }
  invalid(where, 'body', body, 'Send a string, a Buffer or Uint8Array, a readable stream, or a plain object (sent as JSON).');
}
