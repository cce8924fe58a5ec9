import { Injectable, NotFoundException } from '@nestjs/common';

/** An order of the demo. */
export interface Order {
  id: string;
  item: string;
  quantity: number;
  createdAt: string;
}

/** The demo's orders, in memory. */
@Injectable()
export class OrdersStore {
  private readonly orders = new Map<string, Order>();
  private next = 1;

  list(): Order[] {
    return [...this.orders.values()];
  }

  get(id: string): Order {
    const order = this.orders.get(id);
    if (!order) throw new NotFoundException(`Order ${JSON.stringify(id)} does not exist.`);
    return order;
  }

  create(item: string, quantity: number): Order {
    const order = { id: String(this.next++), item, quantity, createdAt: new Date().toISOString() };
    this.orders.set(order.id, order);
    return order;
  }
}
