import { HttpException, HttpStatus } from '@nestjs/common';
import type { NewOrder, Order, OrdersStats } from '../orders/order.interface.js';
import type { OrdersRepository } from './orders.repository.js';

/** How many orders the process keeps in memory at most (each is a few hundred bytes). */
export const IN_MEMORY_ORDERS_CAPACITY = 100_000;

/** The orders of one process, with one id sequence, bounded by `capacity`. */
export class InMemoryOrdersStore {
  readonly orders = new Map<string, Order>();
  totalQuantity = 0;
  private lastId = 0;

  constructor(readonly capacity = IN_MEMORY_ORDERS_CAPACITY) {}

  nextId(): string {
    this.lastId += 1;
    return String(this.lastId);
  }
}

/**
 * The store shared by every orders app of this process that keeps orders in memory: the embedded demo runs two
 * instances behind the gateway, and each must see the orders the other took.
 */
export const sharedOrdersStore = new InMemoryOrdersStore();

/** Orders in memory, in `store` (by default the one {@link sharedOrdersStore} of the process). */
export class InMemoryOrdersRepository implements OrdersRepository {
  constructor(private readonly store: InMemoryOrdersStore = sharedOrdersStore) {}

  /** Refuses with 507 once the store holds `capacity` orders: memory is never unbounded, whoever posts. */
  async create(order: NewOrder): Promise<Order> {
    if (this.store.orders.size >= this.store.capacity) {
      throw new HttpException(
        `The in-memory orders store is full (${this.store.capacity} orders). Restart the demo to empty it, or set REDIS_URL to keep orders in Redis.`,
        HttpStatus.INSUFFICIENT_STORAGE,
      );
    }
    const stored: Order = { id: this.store.nextId(), ...order };
    this.store.orders.set(stored.id, stored);
    this.store.totalQuantity += stored.quantity;
    return stored;
  }

  async get(id: string): Promise<Order | undefined> {
    return this.store.orders.get(id);
  }

  async list(): Promise<Order[]> {
    return [...this.store.orders.values()];
  }

  async stats(): Promise<OrdersStats> {
    return { count: this.store.orders.size, totalQuantity: this.store.totalQuantity };
  }
}
