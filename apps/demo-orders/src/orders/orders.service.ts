import { Inject, Injectable } from '@nestjs/common';
import { PaymentService } from '../payment/payment.service.js';
import { OrdersRepository } from '../storage/orders.repository.js';
import type { Order, OrdersStats } from './order.interface.js';
import type { OrderInput } from './order-input.js';

/** Takes orders (paying for them first) and reads them back, over REST and TCP alike. */
@Injectable()
export class OrdersService {
  constructor(
    @Inject(OrdersRepository) private readonly repository: OrdersRepository,
    private readonly payment: PaymentService,
  ) {}

  /** Pays (or falls back to `payment_pending`), then stores the order. */
  async create({ item, quantity }: OrderInput): Promise<Order> {
    const status = await this.payment.pay(item, quantity);
    return this.repository.create({ item, quantity, status, createdAt: new Date().toISOString() });
  }

  get(id: string): Promise<Order | undefined> {
    return this.repository.get(id);
  }

  list(): Promise<Order[]> {
    return this.repository.list();
  }

  stats(): Promise<OrdersStats> {
    return this.repository.stats();
  }
}
