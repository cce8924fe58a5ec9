import type { AbstractHttpAdapter } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { GatewayProxy } from '../pipeline/gateway-proxy.js';
import { sendProblem, type ProblemDetails } from '../proxy/problem-details.js';
import { writeSocketProblem } from '../proxy/socket-answer.js';
import { answerClientError } from './client-error.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Puts the gateway in front of the app, below the HTTP adapter: the server's `request` listener (Fastify's or
 * Express', checked by name) is wrapped, so a request a route claims skips the framework's routing, hooks, body
 * parsers and Nest's pipeline (they cost more per request than the whole proxy: `npm run bench -- proxy`) while
 * every other request reaches the app's controllers untouched. Parser refusals get the gateway's problem+json
 * (`clientError`), and Express' `X-Powered-By` is off: every answer is the same on both adapters. @internal
 */
export function attachGateway(adapter: AbstractHttpAdapter, proxy: GatewayProxy): void {
  const type = adapter.getType();
  if (type !== 'fastify' && type !== 'express') throw new GatewayConfigurationError(messages.unsupportedPlatform(type));
  const server = adapter.getHttpServer() as Server | undefined;
  if (!server) throw new GatewayConfigurationError(messages.unsupportedPlatform(`${type} without an HTTP server`));
  server.removeAllListeners('clientError');
  server.on('clientError', answerClientError);
  if (type === 'express') (adapter.getInstance() as { disable?: (setting: string) => void }).disable?.('x-powered-by');
  const framework = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host === undefined && req.httpVersion === '1.1') return refuse(res, { status: 400, detail: 'An HTTP/1.1 request needs a Host header.', close: true });
    const claimed = proxy.claim(req);
    if (claimed) void proxy.handle(req, res, claimed);
    else for (const listener of framework) listener.call(server, req, res);
  };
  server.on('request', onRequest);
  // What Node answers by itself, with a bare status line or by closing the socket, gets problem+json too.
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false; // refused above, as problem+json
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => refuse(res, { status: 417, detail: 'Only "Expect: 100-continue" is understood.', close: true }));
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    writeSocketProblem(socket, { status: 501, detail: 'This gateway opens no CONNECT tunnels.', close: true }, undefined, randomUUID());
  });
  // Expect: 100-continue: a body the route would refuse by its declared length is refused before the client sends it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const claimed = proxy.claim(req);
    const route = claimed?.match?.route;
    if (claimed && route && Number(req.headers['content-length']) > route.maxBodySize) return void proxy.handle(req, res, claimed);
    res.writeContinue();
    onRequest(req, res);
  });
  // WebSocket upgrades a route claims go through the same admission, then a tunnel once the upstream answered a 101; others to the app's own.
  const upgrades = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  // An upgrade nobody takes (curl --http2 asks for h2c) stays a plain request, as without the gateway (Node >= 24.9).
  (server as Server & { shouldUpgradeCallback?: (req: IncomingMessage) => boolean }).shouldUpgradeCallback = (req) => upgrades.length > 0 || server.listenerCount('upgrade') > 1 || proxy.claim(req) !== undefined;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const claimed = proxy.claim(req);
    if (claimed) void proxy.tunnel(req, socket, head, claimed);
    else if (upgrades.length > 0) for (const listener of upgrades) listener.call(server, req, socket, head);
    else if (server.listenerCount('upgrade') === 1) socket.destroy(); // nobody else will answer
  });
}

/** Answers a request Node would have answered itself, as the gateway answers: problem+json with a new request id. */
function refuse(res: ServerResponse, problem: ProblemDetails): void {
  sendProblem(res, problem, undefined, randomUUID());
}
