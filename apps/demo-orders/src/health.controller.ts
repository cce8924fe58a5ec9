import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ServiceRegistryHealthIndicator } from '@nestmesh/discovery';
import { ResilienceHealthIndicator } from '@nestmesh/resilience';
import { OrdersHealthIndicator } from './orders/orders.health.js';

/**
 * The app's terminus health endpoint: the orders store, the payment breaker (degraded while open: the orders are
 * still taken, as `payment_pending`) and the registry connection.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly orders: OrdersHealthIndicator,
    private readonly registry: ServiceRegistryHealthIndicator,
    private readonly payment: ResilienceHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.orders.isHealthy(), () => this.payment.isHealthy('payment-breaker', 'degraded'), () => this.registry.isHealthy()]);
  }
}
