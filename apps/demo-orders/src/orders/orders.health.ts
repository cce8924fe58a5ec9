import { BadRequestException, Body, Controller, Injectable, Put } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

type Status = 'up' | 'degraded' | 'down';

/**
 * The orders store's health. The demo lets you flip it (`PUT /admin/health {"status":"down"}`) to watch Consul's
 * check follow within one heartbeat.
 */
@Injectable()
export class OrdersHealthIndicator {
  status: Status = 'up';

  constructor(private readonly health: HealthIndicatorService) {}

  isHealthy(key = 'orders-store') {
    const indicator = this.health.check(key);
    if (this.status === 'down') return indicator.down({ message: 'orders store switched off via /admin/health' });
    if (this.status === 'degraded') return indicator.degraded({ message: 'orders store degraded via /admin/health' });
    return indicator.up();
  }
}

@Controller('admin/health')
export class OrdersHealthAdminController {
  constructor(private readonly indicator: OrdersHealthIndicator) {}

  @Put()
  set(@Body() body: { status?: unknown }): { status: Status } {
    const status = body?.status;
    if (status !== 'up' && status !== 'degraded' && status !== 'down') {
      throw new BadRequestException(`"status" must be "up", "degraded" or "down", got ${JSON.stringify(status)}.`);
    }
    this.indicator.status = status;
    return { status };
  }
}
