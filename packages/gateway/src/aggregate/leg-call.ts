import { isReplyTooLargeError, type ServiceResponse } from '@nestmesh/client';
import { lastValueUntilAborted } from '@nestmesh/common';
import { STATUS_CODES } from 'node:http';
import { addAbortSignal } from 'node:stream';
import { upstreamFailure } from '../pipeline/failure-problem.js';
import type { GatewayProxyDeps } from '../pipeline/gateway-proxy-deps.interface.js';
import type { CompiledLeg } from '../routing/compiled-route.js';
import { withLegHeaders } from './leg-request-headers.js';

/** Why a leg failed, as its entry under `errors` says it (never naming instances, addresses or upstream messages). @internal */
export interface LegFailure {
  /** 504 when the leg ran out of time, 502 for any other failure. */
  readonly status: 502 | 504;
  readonly detail: string;
}

/** What one leg gave: the JSON text of its value (and an HTTP leg's answer headers, for caching), or its failure. @internal */
export type LegOutcome =
  | { readonly name: string; readonly json: string; readonly headers?: Readonly<Record<string, string | string[] | undefined>>; readonly failure?: undefined }
  | { readonly name: string; readonly failure: LegFailure };

/** What the legs of one request share. @internal */
export interface LegContext extends Pick<GatewayProxyDeps, 'clients' | 'outages'> {
  readonly routeId: string;
  /** The headers of every HTTP leg (see `legRequestHeaders`), before each leg's own. */
  readonly headers: Record<string, string | string[]>;
  /** Largest body (HTTP) or reply JSON (TCP) of a leg, in bytes. */
  readonly maxBytes: number;
  /** Aborted when the client went away: every leg under way ends. */
  readonly cancel: AbortSignal;
}

/** A leg's time ran out (its own timer). */
class LegTimeoutError extends Error {
  override readonly name = 'LegTimeoutError';
}

/** A leg's answer cannot be used (status, media type, size, syntax): `detail` says which. */
class UnusableAnswerError extends Error {
  override readonly name = 'UnusableAnswerError';
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** Reads a 2xx JSON answer whole, within `maxBytes`, and returns its text once it parsed; anything else throws. */
async function jsonText(response: ServiceResponse, maxBytes: number, signal: AbortSignal): Promise<string> {
  const { status, headers, body } = response;
  const type = String(headers['content-type'] ?? '').split(';')[0].trim();
  const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  let refusal: string | undefined;
  if (status < 200 || status > 299) refusal = `The upstream answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd() + '.';
  else if (!JSON_MEDIA_TYPE.test(type)) refusal = `The upstream answered ${status} without a JSON body.`;
  else if (declared !== undefined && declared > maxBytes) refusal = `The upstream answer is larger than this gateway accepts (${maxBytes} bytes).`;
  if (refusal !== undefined) {
    // A small unread rest is read and dropped so the connection is kept; a large one closes it.
    body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    throw new UnusableAnswerError(refusal);
  }
  addAbortSignal(signal, body);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new UnusableAnswerError(`The upstream answer is larger than this gateway accepts (${maxBytes} bytes).`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    JSON.parse(text);
  } catch {
    throw new UnusableAnswerError(`The upstream answered ${status} with a body that is not valid JSON.`);
  }
  return text;
}

/** The entry of a failed leg: 504 for its own timeout or the client's deadline, else 502 with what went wrong. */
function failureOf(error: unknown, leg: CompiledLeg): LegFailure {
  if (error instanceof UnusableAnswerError) return { status: 502, detail: error.message };
  const problem = upstreamFailure(error);
  // The client's deadline is the leg's timeout: whichever of the two timers fires first, the leg ran out of time.
  if (error instanceof LegTimeoutError || problem.status === 504) {
    return { status: 504, detail: `The leg did not answer within ${leg.timeout} ms.` };
  }
  // A handler's own error (an RpcException) arrives as a plain object, not an Error; its text stays the service's.
  if (leg.kind === 'tcp' && typeof error === 'object' && error !== null && !(error instanceof Error) && !('stack' in error)) {
    return { status: 502, detail: 'The microservice answered the message with an error.' };
  }
  return { status: 502, detail: problem.detail };
}

/**
 * Runs one leg of an aggregation route within its timeout (the gateway's own timer aborts the HTTP call or
 * unsubscribes the TCP message) and never rejects: an HTTP leg's value is the JSON body of a 2xx answer, a TCP
 * leg's the handler's reply, each within `maxBytes`. `cancel` ends it early. Once it settled, its timer is cleared
 * and its listener on `cancel` removed. @internal
 */
export async function callLeg(context: LegContext, leg: CompiledLeg): Promise<LegOutcome> {
  const { clients, maxBytes, cancel, outages } = context;
  // The client the leg goes through, as the outage log keys it: a TCP proxy is a client of its own.
  const clientKey = leg.kind === 'tcp' ? `${leg.service}:tcp` : leg.clientKey;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new LegTimeoutError(`no answer within ${leg.timeout} ms`)), leg.timeout);
  const onCancel = () => controller.abort(cancel.reason);
  cancel.addEventListener('abort', onCancel, { once: true });
  try {
    cancel.throwIfAborted();
    if (leg.kind === 'tcp') {
      // The last value the handler emitted (the message is unsubscribed when the leg aborts); none is JSON null.
      const message = clients!.proxy(leg.service).send(leg.pattern, leg.data);
      const tooLarge = () => new UnusableAnswerError(`The microservice's reply is larger than this gateway accepts (${maxBytes} bytes).`);
      // A reply far past the limit is cut as it arrives (the service's maxReplySize, set by the gateway).
      const reply = await lastValueUntilAborted(message, controller.signal).catch((error: unknown) => Promise.reject(isReplyTooLargeError(error) ? tooLarge() : error));
      const json = JSON.stringify(reply) ?? 'null';
      outages.answered(clientKey);
      if (Buffer.byteLength(json) > maxBytes) throw tooLarge();
      return { name: leg.name, json };
    }
    // The client's deadline is the leg's timeout too, so the service hears it (x-nestmesh-deadline-ms); the timer above is exact.
    const response = await clients!.get(leg.clientKey).request({ method: leg.method, path: leg.path, headers: withLegHeaders(context.headers, leg.headers), signal: controller.signal, timeout: leg.timeout });
    outages.answered(clientKey);
    return { name: leg.name, json: await jsonText(response, maxBytes, controller.signal), headers: response.headers };
  } catch (error) {
    if (leg.service !== undefined) outages.failed(context.routeId, leg.service, clientKey, error, leg.name);
    return { name: leg.name, failure: failureOf(controller.signal.aborted && controller.signal.reason instanceof LegTimeoutError ? controller.signal.reason : error, leg) };
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener('abort', onCancel);
  }
}
