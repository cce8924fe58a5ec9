import type { AbstractHttpAdapter } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { GatewayProxy } from '../pipeline/gateway-proxy.js';

interface FastifyLike {
  addHook(name: 'onRequest', hook: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }, done: () => void) => void): void;
}
interface ExpressLike {
  use(handler: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void): void;
  router?: { stack: unknown[] };
}

/**
 * Puts the gateway in front of the app at the HTTP-adapter level, ahead of Nest's routing, body parsers and
 * pipeline: a Fastify `onRequest` hook (the request is hijacked, its body never parsed) or the first Express
 * middleware. Requests no route claims go on to the app's own controllers untouched. @internal
 */
export function attachGateway(adapter: AbstractHttpAdapter, proxy: GatewayProxy): void {
  const type = adapter.getType();
  if (type === 'fastify') {
    (adapter.getInstance() as FastifyLike).addHook('onRequest', (request, reply, done) => {
      const claimed = proxy.claim(request.raw);
      if (claimed) {
        reply.hijack(); // Fastify stops its lifecycle here: no body parsing, no handler, no reply of its own
        void proxy.handle(request.raw, reply.raw, claimed);
      }
      done();
    });
    return;
  }
  if (type === 'express') {
    const app = adapter.getInstance() as ExpressLike;
    app.use((req, res, next) => {
      const claimed = proxy.claim(req);
      if (!claimed) return next();
      void proxy.handle(req, res, claimed);
    });
    // Before Nest's body parsers (registered earlier): a proxied body must stream, never be parsed.
    const stack = app.router?.stack;
    if (stack && stack.length > 1) stack.unshift(stack.pop());
    return;
  }
  throw new GatewayConfigurationError(messages.unsupportedPlatform(type));
}

/**
 * Slow-client bounds on the HTTP server: `headersTimeout` for the header section (Node checks it every
 * `connectionsCheckingInterval`, 30 s by default, so a client is dropped within that much more). @internal
 */
export function applyServerTimeouts(server: Server | undefined, headersTimeout: number): void {
  if (!server) return;
  server.headersTimeout = headersTimeout;
  if (server.requestTimeout > 0 && server.requestTimeout < headersTimeout) server.requestTimeout = headersTimeout;
}
