import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { OrdersConfig } from '../config/orders-config.js';
import { ORDERS_CONFIG } from '../orders.constants.js';
import { PaymentProvider } from '../payment/payment-provider.js';
import { PaymentService } from '../payment/payment.service.js';
import { InMemoryOrdersRepository } from '../storage/in-memory-orders.repository.js';
import { OrdersRepository } from '../storage/orders.repository.js';
import { RedisOrdersRepository } from '../storage/redis-orders.repository.js';
import { OrdersMessagesController } from './orders-messages.controller.js';
import { OrdersController } from './orders.controller.js';
import { OrdersHealthAdminController, OrdersHealthIndicator } from './orders.health.js';
import { OrdersService } from './orders.service.js';

/** Orders over REST and TCP, paid through the resilient payment service, stored in memory or in Redis (`REDIS_URL`). */
@Module({})
export class OrdersModule {
  static forConfig(config: OrdersConfig): DynamicModule {
    return {
      module: OrdersModule,
      imports: [TerminusModule],
      controllers: [OrdersController, OrdersMessagesController, OrdersHealthAdminController],
      providers: [
        { provide: ORDERS_CONFIG, useValue: config },
        { provide: OrdersRepository, useFactory: () => (config.redisUrl ? new RedisOrdersRepository(config.redisUrl) : new InMemoryOrdersRepository()) },
        PaymentProvider,
        PaymentService,
        OrdersService,
        OrdersHealthIndicator,
      ],
      exports: [OrdersHealthIndicator],
    };
  }
}
