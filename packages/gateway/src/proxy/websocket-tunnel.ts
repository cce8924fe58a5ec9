import type { EndpointLease } from '@nestmesh/client/relay';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, isIPv6 } from 'node:net';
import type { Duplex } from 'node:stream';
import type { GatewayHeaderRules } from '../interfaces/gateway-route.interface.js';
import { relayedResponseHeaders } from '../pipeline/returned-response-headers.js';
import type { ProblemDetails } from './problem-details.js';
import { answerHead, writeAndClose, writeSocketProblem } from './socket-answer.js';
import { acceptsHandshake } from './websocket-handshake.js';

/** Time to connect, hear the upstream's answer head and (when it is no `101`) its body, without a route `timeout` (ms). */
export const HANDSHAKE_DEADLINE = 10_000;
/** Bytes a client may send before the upstream's `101` (frames sent early), held until then; beyond, it waits. */
export const MAX_EARLY_BYTES = 64 * 1024;
/** Largest body of a non-`101` answer relayed to the client (a refusal of an upgrade is short); beyond, a 502. */
export const MAX_REFUSAL_BODY = 64 * 1024;

/** One admitted upgrade, ready to go upstream. @internal */
export interface TunnelRequest {
  /** The balancer's lease of the instance: its outcome feeds outlier ejection; released when the tunnel ends. */
  readonly lease: EndpointLease;
  /** Encoded path and query. */
  readonly path: string;
  /** The admitted request headers (hop-by-hop and client identity headers gone, the gateway's own set). */
  readonly headers: Record<string, string | string[]>;
  /** The client's own handshake headers (`Sec-WebSocket-*`). */
  readonly client: IncomingHttpHeaders;
  /** Headers the gateway adds to its answer (`X-Request-Id`, `RateLimit-*`). */
  readonly own: Record<string, string | number>;
  readonly responseRules: GatewayHeaderRules | undefined;
  readonly requestId: string;
  /** The request path, the `instance` of a problem. */
  readonly instance: string | undefined;
  /** Deadline of the handshake in ms, and how long one side may stay open once the other has ended. */
  readonly timeout: number;
  /** Largest answer head accepted from the upstream, in bytes. */
  readonly maxHeaderSize: number;
}

const HANDSHAKE_HEADERS = ['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions'] as const;

const REFUSED_BY_UPSTREAM: ProblemDetails = { status: 502, detail: 'The upstream did not complete the WebSocket handshake.', close: true };
const UNREACHABLE: ProblemDetails = { status: 502, detail: 'The upstream service could not be reached.', close: true };
const MALFORMED: ProblemDetails = { status: 502, detail: 'The upstream answer could not be used.', close: true };
const TOO_LARGE: ProblemDetails = { status: 502, detail: 'The upstream answer is larger than this gateway accepts.', close: true };
const TIMED_OUT: ProblemDetails = { status: 504, detail: 'The upstream did not answer in time.', close: true };

/**
 * Sends an admitted upgrade upstream (its cleaned headers with the client's `Sec-WebSocket-*`) and acts on what the
 * upstream actually answered, within `timeout` and `maxHeaderSize`:
 * - a `101` with the `Sec-WebSocket-Accept` of the client's key: the `101` goes to the client, then the bytes the
 *   client sent early (`head`), then bytes flow both ways until either side closes;
 * - any other answer: relayed whole (body up to {@link MAX_REFUSAL_BODY}), then both connections are closed;
 * - a `101` that does not prove the handshake, a malformed answer, no connection: a 502 (504 after `timeout`).
 * Nothing the client sends reaches the upstream before the `101` is checked. @internal
 */
export function openTunnel(client: Duplex, head: Buffer, tunnel: TunnelRequest): void {
  const { lease } = tunnel;
  const { address: host, port } = lease.instance;
  const headers: Record<string, string | string[]> = { ...tunnel.headers, host: `${isIPv6(host) ? `[${host}]` : host}:${port}` };
  for (const name of HANDSHAKE_HEADERS) {
    const value = tunnel.client[name];
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  headers.connection = 'Upgrade';
  headers.upgrade = 'websocket';
  const upstream = (lease.tls ? httpsRequest : httpRequest)({
    host,
    port,
    servername: lease.tls && isIP(host) === 0 ? host : undefined, // SNI takes host names only
    method: 'GET',
    path: tunnel.path,
    headers,
    agent: false,
    maxHeaderSize: tunnel.maxHeaderSize,
  });

  // What the client sends before the 101 is held (up to MAX_EARLY_BYTES, then it waits): read, so that a client
  // going away is seen at once (an unread socket never reports its peer's close).
  const early: Buffer[] = head.length > 0 ? [head] : [];
  let earlySize = head.length;
  const onEarly = (chunk: Buffer) => {
    early.push(chunk);
    earlySize += chunk.length;
    if (earlySize > MAX_EARLY_BYTES) client.pause();
  };
  let settled = false;
  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    clearTimeout(timer);
    client.off('close', clientGone);
    client.off('end', clientGone);
    client.off('data', onEarly);
    return true;
  };
  const fail = (problem: ProblemDetails) => {
    if (!settle()) return;
    // No connection, no answer in time, a broken answer: the instance's failure (a too large refusal is one too).
    lease.answered(false);
    lease.release();
    upstream.destroy();
    writeSocketProblem(client, problem, tunnel.instance, tunnel.requestId);
  };
  const clientGone = () => {
    if (!settle()) return;
    lease.release();
    upstream.destroy();
    client.destroy();
  };
  const timer = setTimeout(() => fail(TIMED_OUT), tunnel.timeout);
  client.once('close', clientGone);
  client.once('end', clientGone);
  client.on('data', onEarly);
  client.on('error', () => client.destroy());

  upstream.on('error', (error: NodeJS.ErrnoException) => fail(error.code?.startsWith('HPE_') ? MALFORMED : UNREACHABLE));
  upstream.on('upgrade', (answer: IncomingMessage, socket: Duplex, upstreamHead: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!acceptsHandshake(String(tunnel.client['sec-websocket-key']), answer.headers)) {
      socket.destroy();
      fail(REFUSED_BY_UPSTREAM);
      return;
    }
    if (!settle() || client.destroyed) {
      lease.release();
      socket.destroy();
      return;
    }
    lease.answered(true);
    // Bodiless: a 1xx carries no Content-Length (RFC 9110 §8.6); Transfer-Encoding, hop-by-hop, never passes.
    const { headers: answerHeaders } = relayedResponseHeaders(rawBuffers(answer.rawHeaders), tunnel.responseRules, tunnel.own, true);
    client.write(answerHead(101, [...answerHeaders, 'connection', 'Upgrade', 'upgrade', 'websocket']));
    if (upstreamHead.length > 0) client.write(upstreamHead);
    for (const chunk of early) socket.write(chunk);
    socket.pipe(client);
    client.pipe(socket);
    socket.once('close', () => {
      lease.release();
      client.destroy();
    });
    client.once('close', () => socket.destroy());
    // Once one side has ended (FIN), the other has `timeout` to end too: a peer that never does must not hold both.
    let halfClosed: NodeJS.Timeout | undefined;
    const endBoth = () => (halfClosed ??= setTimeout(() => client.destroy(), tunnel.timeout));
    client.once('end', endBoth);
    socket.once('end', endBoth);
    socket.once('close', () => clearTimeout(halfClosed));
  });
  upstream.on('response', (answer: IncomingMessage) => relayRefusal(answer, client, tunnel, settle, fail));
  upstream.end();
}

/** Relays a non-`101` answer as an ordinary one (body read whole, up to {@link MAX_REFUSAL_BODY}), then closes both sides. */
function relayRefusal(answer: IncomingMessage, client: Duplex, tunnel: TunnelRequest, settle: () => boolean, fail: (problem: ProblemDetails) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  answer.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_REFUSAL_BODY) fail(TOO_LARGE);
    else chunks.push(chunk);
  });
  answer.on('error', () => fail(MALFORMED));
  answer.on('end', () => {
    if (!settle()) return;
    tunnel.lease.answered((answer.statusCode ?? 502) < 500);
    tunnel.lease.release();
    answer.socket?.destroy();
    const body = Buffer.concat(chunks);
    // No Content-Length but the one writeAndClose sets, of the body as read (a chunked answer has none).
    const { headers } = relayedResponseHeaders(rawBuffers(answer.rawHeaders), tunnel.responseRules, tunnel.own, true);
    writeAndClose(client, answer.statusCode ?? 502, headers, body);
  });
}

function rawBuffers(raw: readonly string[]): Buffer[] {
  return raw.map((item) => Buffer.from(item, 'latin1'));
}
