import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { ProblemDetails } from '../proxy/problem-details.js';
import { writeSocketProblem } from '../proxy/socket-answer.js';

/** A connection-level error as a server's `clientError` event passes it (Node's parser errors carry `code` and `reason`). */
type ClientError = Error & { code?: string };

/** The socket of a `clientError`, with the response Node may have in flight on it (`_headerSent` once its head is written). */
type ClientSocket = Duplex & { _httpMessage?: { _headerSent?: boolean } | null };

/**
 * The problem the gateway answers for a request Node's HTTP parser refused (or a client too slow to send its
 * headers), as Node itself would choose the status: 431 for headers over the parser's limit, 413 for chunk
 * extensions over it, 408 for `headersTimeout` / `requestTimeout`, 400 for every other parse error (ambiguous
 * framing, a malformed request line or header). `undefined` for errors that are not a request to answer
 * (a reset or aborted connection). @internal
 */
export function clientErrorProblem(error: ClientError): ProblemDetails | undefined {
  const code = error?.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, detail: "The request headers exceed the server's limit.", close: true };
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return { status: 413, detail: "The request's chunk extensions exceed the server's limit.", close: true };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, detail: 'The request was not sent in time.', close: true };
  if (code === 'HPE_UNEXPECTED_CONTENT_LENGTH' || code === 'HPE_INVALID_TRANSFER_ENCODING' || code === 'HPE_INVALID_CONTENT_LENGTH') {
    return { status: 400, detail: 'The request body framing is ambiguous.', close: true };
  }
  if (code.startsWith('HPE_')) return { status: 400, detail: 'The request is not valid HTTP/1.1.', close: true };
  return undefined;
}

/**
 * The server's `clientError` listener of the gateway, in place of Node's default answer (a bare status line)
 * and Fastify's (its own JSON): the same problem+json on Express and Fastify, with a generated request id
 * (the request's own headers were never parsed, so none is trusted). Node's rules are kept: answer only when
 * the socket is writable and nothing of a response in flight on it was written yet (an answer must never land
 * inside another), and always close the connection: what follows a refused request cannot be framed. @internal
 */
export function answerClientError(error: ClientError, socket: ClientSocket): void {
  if (socket.listenerCount('error') === 0) socket.on('error', () => socket.destroy()); // a later error must not go uncaught
  if (socket.writableEnded) return; // answered already; the parser may report more of the same bytes
  const problem = clientErrorProblem(error);
  if (!problem || !socket.writable || socket._httpMessage?._headerSent === true) socket.destroy();
  else writeSocketProblem(socket, problem, undefined, randomUUID());
}
