import { maxHeaderSize as nodeMaxHeaderSize, type Server } from 'node:http';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';

/** The server settings Node reads when it accepts a connection (`maxHeaderSize`) or starts listening (the check interval), untyped on `Server`. */
type TunableServer = Server & { maxHeaderSize?: number; connectionsCheckingInterval?: number };

/**
 * How often Node looks for connections over `headersTimeout`: a tenth of it, between 50 ms and 1 s, so a client
 * that trickles its headers (slowloris) is dropped within `headersTimeout` plus at most 10% (Node's default
 * interval, 30 s, would let it hold the connection up to 30 s longer). @internal
 */
export function connectionsCheckingInterval(headersTimeout: number): number {
  return Math.min(1_000, Math.max(50, Math.ceil(headersTimeout / 10)));
}

/**
 * Puts the gateway's limits on the HTTP server before it listens (Node reads them then, or per new connection):
 * `headersTimeout` with the interval at which Node checks it, and a `maxHeaderSize` above Node's own parser limit
 * (`http.maxHeaderSize`, 16 KiB by default); a server that cannot take a larger one fails the bootstrap. @internal
 */
export function applyServerLimits(server: TunableServer, limits: { readonly headersTimeout: number; readonly maxHeaderSize: number }): void {
  const parserLimit = server.maxHeaderSize || nodeMaxHeaderSize;
  if (limits.maxHeaderSize > parserLimit) {
    if (!('maxHeaderSize' in server)) throw new GatewayConfigurationError(messages.headerSizeUnsupported(limits.maxHeaderSize, nodeMaxHeaderSize, server.constructor?.name ?? typeof server));
    server.maxHeaderSize = limits.maxHeaderSize;
  }
  server.headersTimeout = limits.headersTimeout;
  if (server.requestTimeout > 0 && server.requestTimeout < limits.headersTimeout) server.requestTimeout = limits.headersTimeout;
  server.connectionsCheckingInterval = Math.min(server.connectionsCheckingInterval ?? 30_000, connectionsCheckingInterval(limits.headersTimeout));
}
