// One target of the proxy benchmark, in its own process (so each is measured on its own event loop), plain ESM
// JavaScript on the built packages (no TypeScript loader in the measured process):
//   node proxy-targets.child.js <name> <upstream port>
// Prints one JSON line { port, token? } once listening; exits when stdin ends. SIGUSR2 prints the live heap.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ServiceDiscoveryModule } from '@nestmesh/discovery';
import { GatewayModule } from '@nestmesh/gateway';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [name, upstreamPortText] = process.argv.slice(2);
const upstreamPort = Number(upstreamPortText);
const upstream = `http://127.0.0.1:${upstreamPort}`;
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host']);

async function listen(server) {
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

/** The plain node:http upstream every target forwards to. */
async function plainUpstream() {
  const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
  return { port: await listen(createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body))) };
}

/** The Node limit: node:http in front of an undici Pool, streaming, nothing else. */
async function nodeLimit() {
  return { port: await listen(createServer(nodeLimitHandler())) };
}

/**
 * The Node limit's handler on the server of a Nest app with the Fastify adapter, in place of Fastify's own: what
 * a gateway inside a Nest app starts from (the same server settings; a process with Nest and Fastify loaded).
 */
async function nestFastifyLimit() {
  class EmptyModule {}
  Module({})(EmptyModule);
  const app = await NestFactory.create(EmptyModule, new FastifyAdapter({ keepAliveTimeout: 60_000 }), { logger: false });
  const server = app.getHttpServer();
  server.removeAllListeners('request');
  server.on('request', nodeLimitHandler());
  await app.listen(0, '127.0.0.1');
  return { port: server.address().port };
}

function nodeLimitHandler() {
  const pool = new Pool(upstream, { connections: 64, pipelining: 1 });
  return (req, res) => {
    const headers = {};
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined && !HOP.has(key)) headers[key] = value;
    pool.request({ method: req.method, path: req.url ?? '/', headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req }).then(
      (answer) => {
        const out = {};
        for (const [key, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP.has(key)) out[key] = value;
        res.writeHead(answer.statusCode, out);
        answer.body.pipe(res);
      },
      () => res.writeHead(502).end(),
    );
  };
}

async function fastifyHttpProxy() {
  const { default: Fastify } = await import('fastify');
  const { default: proxy } = await import('@fastify/http-proxy');
  const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });
  await app.register(proxy, { upstream, prefix: '/api', rewritePrefix: '' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.server.address().port };
}

async function httpProxyMiddleware() {
  const { default: express } = await import('express');
  const { createProxyMiddleware } = await import('http-proxy-middleware');
  const { Agent } = await import('node:http');
  const app = express();
  app.use('/api', createProxyMiddleware({ target: upstream, agent: new Agent({ keepAlive: true, maxSockets: 64 }) }));
  return { port: await listen(createServer(app)) };
}

async function nestmesh(full) {
  let options = { routes: [{ prefix: '/api', url: upstream, rewrite: { stripPrefix: '/api' } }] };
  let token;
  if (full) {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
    token = await new SignJWT({ scope: 'orders:read' }).setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setSubject('bench-user').setIssuer('bench').setAudience('bench-api').setExpirationTime('2h').sign(privateKey);
    options = {
      routes: [
        {
          prefix: '/api',
          service: 'upstream',
          rewrite: { stripPrefix: '/api' },
          auth: 'jwt',
          access: { GET: { scopes: ['orders:read'] } },
          circuitBreaker: { consecutiveFailures: 50, halfOpenAfter: 5_000 },
        },
      ],
      auth: { jwt: { jwks: { keys: [jwk] }, issuer: 'bench', audience: 'bench-api' } },
      throttlers: [{ name: 'burst', limit: 1_000_000, ttl: 1_000 }, { name: 'sustained', limit: 100_000_000, ttl: 10_000 }],
      services: { upstream: { strategy: 'p2c-ewma', pool: { connections: 64 } } },
    };
  }
  class BenchGatewayModule {}
  Module({
    imports: [
      ...(full ? [ServiceDiscoveryModule.forRoot({ registry: 'static', staticServices: { upstream: [{ address: '127.0.0.1', port: upstreamPort, id: 'upstream-0' }] } })] : []),
      GatewayModule.forRoot(options),
    ],
  })(BenchGatewayModule);
  const app = await NestFactory.create(BenchGatewayModule, new FastifyAdapter({ keepAliveTimeout: 60_000 }), { logger: false });
  await app.listen(0, '127.0.0.1');
  return { port: app.getHttpServer().address().port, token };
}

const targets = {
  upstream: plainUpstream,
  'node-limit': nodeLimit,
  'nest-fastify-limit': nestFastifyLimit,
  'fastify-http-proxy': fastifyHttpProxy,
  'http-proxy-middleware': httpProxyMiddleware,
  'nestmesh-bare': () => nestmesh(false),
  'nestmesh-full': () => nestmesh(true),
};

const started = await targets[name]();
process.stdout.write(`${JSON.stringify(started)}\n`);
// SIGUSR2: a full GC (when started with --expose-gc), then the live heap, as one JSON line { heapUsedMb }.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stdout.write(`${JSON.stringify({ heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024 })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
