import { Logger } from '@nestjs/common';
import { ordersTcpPort, startOrders } from './bootstrap.js';

startOrders()
  .then(async (app) => Logger.log(`demo-orders listening on ${await app.getUrl()} (HTTP) and TCP port ${ordersTcpPort(app)} (orders.get, orders.stats)`, 'Bootstrap'))
  .catch((error: Error) => {
    Logger.error(error.message, error.stack, 'Bootstrap');
    process.exit(1);
  });
