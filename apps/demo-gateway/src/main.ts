import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ServiceDiscovery } from '@nestmesh/discovery';
import { AppModule } from './app.module.js';
import { demoBanner } from './demo-banner.js';
import { readDemoGatewayConfig } from './demo-config.js';
import { mintDemoToken } from './demo-key.js';
import { startEmbeddedOrders } from './embedded-orders.js';

const logger = new Logger('Demo');

/**
 * The demo gateway on Fastify, and (unless EMBEDDED_ORDERS=false) two demo-orders instances in this same
 * process. They find each other through the in-memory registry, or through Consul when CONSUL_HTTP_ADDR is set
 * (everything then registers there). SIGINT/SIGTERM close every app at once (each drains DRAIN_DELAY_MS, short
 * with the in-memory registry) and exit 0; a second Ctrl-C exits at once.
 */
async function main(): Promise<void> {
  const config = readDemoGatewayConfig();
  const apps: INestApplication[] = [];
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      logger.warn(`${signal} again: exiting without waiting for the drain`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal}: closing ${apps.length} app(s)`);
    const results = await Promise.allSettled(apps.map((app) => app.close()));
    const failed = results.filter((result) => result.status === 'rejected');
    for (const result of failed) logger.error(`Closing an app failed: ${String((result as PromiseRejectedResult).reason)}`);
    process.exit(failed.length ? 1 : 0);
  };
  // Signals are handled before any app starts, so every app of the process drains and deregisters on SIGTERM.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  const orders = config.embeddedOrders ? await startEmbeddedOrders(config) : [];
  apps.push(...orders.map((one) => one.app));
  const gateway = await NestFactory.create(AppModule.forConfig(config), new FastifyAdapter());
  apps.push(gateway);
  await gateway.listen(config.port, config.host);
  const url = await gateway.getUrl();
  logger.log(`demo-gateway listening on ${url}: routes /api/orders and /api/orders/* -> orders /orders...`);
  const token = config.jwksUrl ? undefined : await mintDemoToken({ issuer: config.issuer, audience: config.audience });
  process.stdout.write(demoBanner({ gateway: url, orders, registry: gateway.get(ServiceDiscovery).describeRegistry(), token }));
}

main().catch((error: Error) => {
  logger.error(error.message, error.stack);
  process.exit(1);
});
