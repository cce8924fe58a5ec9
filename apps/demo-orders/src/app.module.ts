import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Discoverable, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { ResilienceHealthIndicator, ResilienceModule } from '@nestmesh/resilience';
import type { OrdersConfig } from './config/orders-config.js';
import { HealthController } from './health.controller.js';
import { OrdersHealthIndicator } from './orders/orders.health.js';
import { OrdersModule } from './orders/orders.module.js';
import { paymentPolicy } from './payment/payment.policy.js';

/** Where the orders service registers: `'in-memory'` on purpose (the embedded demo), else the module's default choice. */
export type OrdersRegistry = 'default' | 'in-memory';

/**
 * The orders service. Registers as "orders" (HTTP port, and its TCP port as `ports.tcp`) in Consul when
 * CONSUL_HTTP_ADDR is set, in the in-memory registry otherwise; its TTL check follows the same terminus indicator
 * as GET /health.
 */
@Discoverable({ name: 'orders', tags: ['http', 'demo'], version: '0.1.0' })
@Module({})
export class AppModule {
  static forConfig(config: OrdersConfig, registry: OrdersRegistry = 'default'): DynamicModule {
    const orders = OrdersModule.forConfig(config);
    const resilience = ResilienceModule.forRoot(paymentPolicy(config));
    return {
      module: AppModule,
      imports: [
        TerminusModule,
        resilience,
        orders,
        ServiceDiscoveryModule.forRootAsync({
          imports: [orders, resilience],
          inject: [OrdersHealthIndicator, ResilienceHealthIndicator],
          // An open payment breaker is a warning (degraded), never critical: the instance keeps its traffic.
          useFactory: (indicator: OrdersHealthIndicator, payment: ResilienceHealthIndicator) => ({
            ...(registry === 'in-memory' ? { registry: 'in-memory' as const } : {}),
            health: { indicators: [() => indicator.isHealthy(), () => payment.isHealthy('payment-breaker', 'degraded')] },
            shutdown: { drainDelay: config.drainDelayMs },
          }),
        }),
      ],
      controllers: [HealthController],
    };
  }
}
