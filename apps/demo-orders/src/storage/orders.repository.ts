import type { NewOrder, Order, OrdersStats } from '../orders/order.interface.js';

/**
 * Where orders live. Two implementations: {@link InMemoryOrdersRepository} (shared by every orders instance of
 * the process) and {@link RedisOrdersRepository} (shared by every instance using the same Redis).
 */
export interface OrdersRepository {
  /** Stores a new order under a fresh id, unique across every instance sharing this storage. */
  create(order: NewOrder): Promise<Order>;
  /** The order with this id, or `undefined`. */
  get(id: string): Promise<Order | undefined>;
  /** Every order, oldest first. */
  list(): Promise<Order[]>;
  /** How many orders and their total quantity. */
  stats(): Promise<OrdersStats>;
}

/** Injection token of the active {@link OrdersRepository} (`@Inject(OrdersRepository)`). */
export const OrdersRepository = Symbol('OrdersRepository');
