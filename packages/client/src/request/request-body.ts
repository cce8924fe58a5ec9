import { Readable } from 'node:stream';
import { ServiceClientConfigurationError } from '../errors/service-client-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { UntilSentBody } from './until-sent-body.js';
import type { ServiceRequestBody } from '../interfaces/service-request.interface.js';

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
  throw new ServiceClientConfigurationError(
    messages.invalidOption(where, 'body', body, 'Send a string, a Buffer or Uint8Array, a readable stream, or a plain object (sent as JSON).'),
  );
}
