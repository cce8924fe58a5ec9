import { Controller } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { ORDERS_PATTERNS } from '../orders.constants.js';
import type { Order, OrdersStats } from './order.interface.js';
import { parseOrderId } from './order-input.js';
import { OrdersService } from './orders.service.js';

/**
 * The orders service over the `@nestjs/microservices` TCP transport (the hybrid app's second listener,
 * registered as `ports.tcp`): `orders.get` with `{ id }`, and `orders.stats`. Errors are
 * `{ statusCode, error, message }`, as over HTTP.
 */
@Controller()
export class OrdersMessagesController {
  constructor(private readonly orders: OrdersService) {}

  @MessagePattern(ORDERS_PATTERNS.get)
  async get(@Payload() payload: unknown): Promise<Order> {
    const raw = (payload as { id?: unknown } | null)?.id;
    const id = parseOrderId(raw);
    if (id === undefined) {
      throw new RpcException({ statusCode: 400, error: 'Bad Request', message: `orders.get takes { id } with a positive integer id, got ${(JSON.stringify(payload) ?? "nothing").slice(0, 60)}.` });
    }
    const order = await this.orders.get(id);
    if (!order) throw new RpcException({ statusCode: 404, error: 'Not Found', message: `Order "${id}" does not exist.` });
    return order;
  }

  @MessagePattern(ORDERS_PATTERNS.stats)
  stats(): Promise<OrdersStats> {
    return this.orders.stats();
  }
}
