import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProblemDetails } from './problem-details.js';

/** RFC 6455 §1.3: the GUID a server appends to the client's key to prove it read the handshake. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A `Sec-WebSocket-Key`: 16 random bytes in base64 (RFC 6455 §4.1), so 22 characters and `==`. */
const KEY = /^[A-Za-z0-9+/]{22}==$/;

/** The refusal of an upgrade on a route that did not opt in with `websocket: true`. @internal */
export const NOT_A_WEBSOCKET_ROUTE: ProblemDetails = { status: 400, detail: 'This route does not accept WebSocket upgrades.', close: true };

/**
 * The refusal of an upgrade request that is not a valid WebSocket opening handshake (RFC 6455 §4.2.1), or
 * `undefined`: `GET`, `Upgrade: websocket`, a `Sec-WebSocket-Key` of 16 bytes in base64, and
 * `Sec-WebSocket-Version: 13` (another version is a 426 naming the one supported, RFC 6455 §4.4). @internal
 */
export function checkUpgradeRequest(method: string | undefined, headers: IncomingHttpHeaders): ProblemDetails | undefined {
  if (method !== 'GET') return { status: 400, detail: `A WebSocket upgrade must be a GET request, not ${method}.`, close: true };
  if (String(headers.upgrade).trim().toLowerCase() !== 'websocket') return { status: 400, detail: 'Only "Upgrade: websocket" is accepted here.', close: true };
  const key = headers['sec-websocket-key'];
  if (typeof key !== 'string' || !KEY.test(key.trim())) return { status: 400, detail: 'The Sec-WebSocket-Key header is missing or not 16 bytes in base64.', close: true };
  // Its body would reach the upstream only after the 101, as tunnel bytes: two readings of one message.
  if ((headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined) {
    return { status: 400, detail: 'A WebSocket upgrade carries no body: send it without Content-Length or Transfer-Encoding.', close: true };
  }
  if (headers['sec-websocket-version'] !== '13') {
    return { status: 426, detail: 'This gateway speaks WebSocket version 13 only.', headers: { 'sec-websocket-version': 13 }, close: true };
  }
  return undefined;
}

/**
 * The `Sec-WebSocket-Accept` an upstream that accepted the handshake of `key` answers: base64(sha1(key + GUID)).
 *
 * @example
 * websocketAccept('dGhlIHNhbXBsZSBub25jZQ==') // 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
 */
export function websocketAccept(key: string): string {
  return createHash('sha1').update(key.trim() + WEBSOCKET_GUID).digest('base64');
}

/**
 * True when an upstream's `101` answer completes the handshake of `key`: `Upgrade: websocket` and the
 * `Sec-WebSocket-Accept` that proves it read this key. Anything else is not a WebSocket server. @internal
 */
export function acceptsHandshake(key: string, headers: IncomingHttpHeaders): boolean {
  return String(headers.upgrade).trim().toLowerCase() === 'websocket' && headers['sec-websocket-accept'] === websocketAccept(key);
}
