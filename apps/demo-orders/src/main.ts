import { Logger } from '@nestjs/common';
import { startOrders } from './bootstrap.js';

startOrders({ port: Number(process.env.PORT ?? 3001), host: process.env.HOST ?? '0.0.0.0' })
  .then(async (app) => Logger.log(`demo-orders listening on ${await app.getUrl()}`, 'Bootstrap'))
  .catch((error: Error) => {
    Logger.error(error.message, error.stack, 'Bootstrap');
    process.exit(1);
  });
