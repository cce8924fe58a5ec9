import { Readable } from 'node:stream';
import type { ServiceRequestBody, ServiceRequestOptions } from '../interfaces/service-request.interface.js';
import { checkHeader, invalid } from '../options/option-checks.js';

/** @internal `path` with `query` appended, after checking that it is a path (not a URL). */
export function buildPath(path: unknown, query: ServiceRequestOptions['query'], where: string): string {
  const fix = 'Pass a path on the instance starting with "/", e.g. "/orders/42" (the client picks the host).';
  if (typeof path !== 'string' || !path.startsWith('/')) invalid(where, 'path', path, fix);
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  const search = params.toString();
  return search === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${search}`;
}

/**
 * @internal Outgoing headers, lower-case: service defaults, then propagated ones, then the request's own (checked
 * here: undici would refuse a bad one only once an instance was picked, as if that instance had failed).
 */
export function buildHeaders(
  defaults: Readonly<Record<string, string>>,
  propagated: Readonly<Record<string, string>> | undefined,
  own: Record<string, string | string[] | undefined> | undefined,
  contentType: string | undefined,
  where: string,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { ...defaults, ...propagated };
  if (own !== undefined) {
    for (const name of Object.keys(own)) {
      const value = own[name];
      if (value === undefined) continue;
      checkHeader(where, name, value);
      headers[name.toLowerCase()] = value;
    }
  }
  if (contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = contentType;
  return headers;
}

/** @internal A body ready for undici: `replayable` (sent again as it is), or a stream, sent once as it is read. */
export type PreparedBody =
  | { readonly body: string | Uint8Array | undefined; readonly contentType?: string; readonly replayable: true }
  | { readonly body: Readable; readonly contentType?: undefined; readonly replayable: false };

/** No body (most calls: one object for all). */
const NO_BODY: PreparedBody = Object.freeze({ body: undefined, replayable: true });

/** @internal Whether nothing was read from a stream body yet (a connect failure leaves it intact). */
export const untouched = (stream: Readable): boolean => !stream.readableDidRead && !stream.destroyed;

/** @internal Normalises a request body: bytes and strings as they are, streams streamed, plain objects as JSON. */
export function prepareBody(body: ServiceRequestBody | undefined, where: string): PreparedBody {
  if (body === undefined || body === null) return NO_BODY;
  if (typeof body === 'string' || body instanceof Uint8Array) return { body, replayable: true };
  if (body instanceof Readable || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    const stream = body instanceof Readable ? body : Readable.from(body as AsyncIterable<Uint8Array>, { objectMode: false });
    return { body: stream, replayable: false };
  }
  const proto: unknown = Object.getPrototypeOf(body);
  if (Array.isArray(body) || proto === Object.prototype || proto === null) {
    return { body: JSON.stringify(body), contentType: 'application/json', replayable: true };
  }
  const fix = 'Send a string, a Buffer or Uint8Array, a readable stream, or a plain object (sent as JSON).';
  invalid(where, 'body', body, fix);
}

const ignore = (): void => undefined;

/**
 * @internal The body of an attempt whose stream another attempt may still need: it reads `source` only once undici
 * does (once a connection took the request). undici destroys a failed request's body (a refused connection too):
 * destroying this one leaves an unread `source` whole for a retry elsewhere; once read, `source` shares its fate.
 */
export class UntilSentBody extends Readable {
  private started = false;
  private readonly onData = (chunk: Buffer): void => {
    if (!this.push(chunk)) this.source.pause();
  };
  private readonly onEnd = (): void => void this.push(null);
  private readonly onError = (error: Error): void => void this.destroy(error);

  constructor(private readonly source: Readable) {
    super();
  }

  override _read(): void {
    if (this.started) this.source.resume();
    else this.source.on('data', this.onData).once('end', this.onEnd).once('error', this.onError);
    this.started = true;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const { source } = this;
    source.off('data', this.onData).off('end', this.onEnd).off('error', this.onError);
    // As undici does with a body it destroys: the call reports the failure, the stream must not crash the process.
    if (this.started && !source.readableEnded) source.on('error', ignore).destroy(error ?? undefined);
    callback(error);
  }
}
