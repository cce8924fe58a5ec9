import type { NewOrder, Order, OrdersStats } from '../orders/order.interface.js';
import type { OrdersRepository } from './orders.repository.js';

/** The orders of one process, with one id sequence. */
export class InMemoryOrdersStore {
  readonly orders = new Map<string, Order>();
  totalQuantity = 0;
  private lastId = 0;

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

  async create(order: NewOrder): Promise<Order> {
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
