import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { startOrders } from 'demo-orders';
import { AppModule } from './app.module.js';
import { readDemoGatewayConfig } from './demo-config.js';
import { mintDemoToken } from './demo-key.js';

const logger = new Logger('Demo');

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  const port = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be an integer from 0 to 65535, got ${JSON.stringify(raw)}.`);
  return port;
}

/**
 * The demo gateway on Fastify. With CONSUL_HTTP_ADDR unset it is embedded: the orders service runs in this same
 * process and both find each other through the in-memory registry; nothing to install. With CONSUL_HTTP_ADDR set,
 * the gateway alone starts and discovers orders (started separately) through Consul.
 */
async function main(): Promise<void> {
  const config = readDemoGatewayConfig();
  const embedded = !config.consulAddr && process.env.EMBEDDED_ORDERS !== 'false';
  const apps: INestApplication[] = [];
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    // Gateway first (it drains its own callers), then the services it forwards to.
    logger.log(`${signal}: closing`);
    for (const app of apps) await app.close();
    process.exit(0);
  };
  // Signals are handled before any app starts, so every app of the process drains and deregisters on SIGTERM.
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  if (embedded) {
    const orders = await startOrders({ port: portFrom('ORDERS_PORT', 3001), host: '127.0.0.1', shutdownHooks: false });
    apps.push(orders);
    logger.log(`embedded demo-orders listening on ${await orders.getUrl()}`);
  }
  const gateway = await NestFactory.create(AppModule.forConfig(config), new FastifyAdapter());
  apps.unshift(gateway);
  await gateway.listen(config.port, config.host);
  const url = await gateway.getUrl();
  logger.log(`demo-gateway listening on ${url}: routes /api/orders and /api/orders/* -> orders /orders...`);
  if (!config.jwksUrl) {
    const token = await mintDemoToken({ issuer: config.issuer, audience: config.audience });
    logger.log(`built-in demo key in use (JWT_JWKS_URL unset). A token with orders:read orders:write, valid 1 h:`);
    logger.log(`  curl ${url}/api/orders -H 'authorization: Bearer ${token}'`);
    logger.log(`  more: curl '${url}/demo/token?scope=orders:read&sub=alice'`);
  }
}

main().catch((error: Error) => {
  logger.error(error.message, error.stack);
  process.exit(1);
});
