import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // SIGTERM: mark critical, drain, deregister, close, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const port = Number(process.env.PORT ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(process.env.PORT)}.`);
  }
  await app.listen(port, process.env.HOST ?? '0.0.0.0');
  Logger.log(`demo-orders listening on ${await app.getUrl()}`, 'Bootstrap');
}

bootstrap().catch((error: Error) => {
  Logger.error(error.message, error.stack, 'Bootstrap');
  process.exit(1);
});
