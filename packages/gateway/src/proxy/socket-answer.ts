import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemBody, type ProblemDetails } from './problem-details.js';

/** The head of an HTTP/1.1 answer from a flat `[name, value, ...]` list (values already free of CR and LF). @internal */
export function answerHead(status: number, headers: readonly string[]): string {
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  for (let index = 0; index < headers.length; index += 2) head += `${headers[index]}: ${headers[index + 1]}\r\n`;
  return `${head}\r\n`;
}

/** How long a peer has to take a raw-socket answer before its connection is cut anyway (ms). */
const CLOSE_AFTER_MS = 5_000;

/**
 * Writes a whole answer on a raw socket (an upgrade request the gateway does not tunnel, a request Node's parser
 * refused), then closes it: what the client still sends is read and dropped, so the close is not a reset that
 * could lose the answer, and a peer that never reads it does not hold the socket past {@link CLOSE_AFTER_MS}. @internal
 */
export function writeAndClose(socket: Duplex, status: number, headers: readonly string[], body: Buffer | string): void {
  if (socket.destroyed) return;
  socket.on('error', () => socket.destroy());
  socket.resume();
  const cutoff = setTimeout(() => socket.destroy(), CLOSE_AFTER_MS).unref();
  socket.once('close', () => clearTimeout(cutoff));
  socket.once('finish', () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(answerHead(status, [...headers, 'connection', 'close', 'content-length', String(Buffer.byteLength(body))]), 'latin1'), Buffer.from(body)]));
}

/** Answers `sendProblem()`'s problem+json on a raw socket (a refused upgrade or request), then closes it. @internal */
export function writeSocketProblem(socket: Duplex, problem: ProblemDetails, instance: string | undefined, requestId: string): void {
  const headers: string[] = [];
  for (const name of Object.keys(problem.headers ?? {})) headers.push(name, String(problem.headers![name]));
  headers.push('content-type', 'application/problem+json', 'cache-control', 'no-store', 'x-request-id', requestId, 'date', new Date().toUTCString());
  writeAndClose(socket, problem.status, headers, problemBody(problem, instance, requestId));
}
