import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Discoverable, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { HealthController } from './health.controller.js';
import { OrdersHealthIndicator } from './orders/orders.health.js';
import { OrdersModule } from './orders/orders.module.js';

const drainDelay = Number(process.env.DRAIN_DELAY_MS ?? 2_000);

/**
 * The orders service. Registers as "orders" in Consul when CONSUL_HTTP_ADDR is set, in the in-memory registry
 * otherwise; its TTL check follows the same terminus indicator as GET /health.
 */
@Discoverable({ name: 'orders', tags: ['http', 'demo'], version: '0.1.0' })
@Module({
  imports: [
    TerminusModule,
    OrdersModule,
    ServiceDiscoveryModule.forRootAsync({
      imports: [OrdersModule],
      inject: [OrdersHealthIndicator],
      useFactory: (orders: OrdersHealthIndicator) => ({
        health: { indicators: [() => orders.isHealthy()] },
        shutdown: { drainDelay },
      }),
    }),
  ],
  controllers: [HealthController],
})
export class AppModule {}
